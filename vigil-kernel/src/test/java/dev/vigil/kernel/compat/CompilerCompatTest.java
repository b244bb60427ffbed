package dev.vigil.kernel.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.event.FieldCatalogue;
import dev.vigil.event.FieldClass;
import dev.vigil.event.FieldDef;
import dev.vigil.event.FieldType;
import dev.vigil.event.SourceInfo;
import dev.vigil.kernel.SyscallSource;
import dev.vigil.rules.ast.Expr;
import dev.vigil.rules.compile.Checker;
import dev.vigil.rules.parse.ParseResult;
import dev.vigil.rules.parse.Parser;
import dev.vigil.rules.text.Text;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** libsinsp's filter_compiler.ut.cpp cases (compat/libs/compiler.yaml). */
class CompilerCompatTest {
  /** libsinsp's mock fields plus the real syscall fields, as the upstream tests' factory. */
  static final SourceInfo MOCK = mockSource();

  private static SourceInfo mockSource() {
    SourceInfo real = SyscallSource.info();
    List<FieldClass> classes = new ArrayList<>(real.fields().classes());
    classes.add(
        new FieldClass(
            "c",
            "mock",
            "libsinsp test mock fields",
            List.of(
                new FieldDef("c.true", FieldType.CHARBUF, Set.of(), "always true"),
                new FieldDef("c.false", FieldType.CHARBUF, Set.of(), "always false"),
                new FieldDef("c.buffer", FieldType.BYTEBUF, Set.of(), "always false"),
                new FieldDef("c.doublequote", FieldType.CHARBUF, Set.of(), "quote test"),
                new FieldDef("c.singlequote", FieldType.CHARBUF, Set.of(), "quote test"))));
    return new SourceInfo(
        "syscall", FieldCatalogue.of("syscall", classes), real.eventTypes(), "evt.type");
  }

  /** Values making the mock fields behave as upstream's mock compare does for these tests. */
  static final Map<String, Object> MOCK_VALUES =
      Map.of(
          "c.true", "1",
          "c.false", "0",
          "c.doublequote", "hello \"quoted\"",
          "c.singlequote", "hello 'quoted'");

  /** The failed getcwd event upstream generates. */
  static final Map<String, Object> GETCWD =
      Map.of(
          "evt.type", "getcwd",
          "syscall.type", "getcwd",
          "evt.source", "syscall",
          "evt.args", "res=-2(ENOENT) path=/",
          "evt.arg[res]", "-2(ENOENT)");

  @SuppressWarnings("unchecked")
  static Stream<Named<Map<String, Object>>> section(String name) {
    Map<String, Object> doc = (Map<String, Object>) Tables.load("libs/compiler.yaml");
    return ((List<Map<String, Object>>) doc.get(name))
        .stream().map(e -> Named.of(Tables.str(e, "condition"), e));
  }

  static Stream<Named<Map<String, Object>>> operatorCases() {
    return section("operator_compatibility_cases");
  }

  static Stream<Named<Map<String, Object>>> acceptCases() {
    return section("accept");
  }

  static Stream<Named<Map<String, Object>>> errorCases() {
    return section("compile_errors");
  }

  static Stream<Named<Map<String, Object>>> warningCases() {
    return section("warnings");
  }

  static Stream<Named<Map<String, Object>>> evaluationCases() {
    return section("evaluation");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("operatorCases")
  void operatorTypeCompatibility(Map<String, Object> c) {
    boolean compiles = compiles(Tables.str(c, "condition"));
    assertThat(compiles)
        .as(Tables.str(c, "type") + " " + Tables.str(c, "op"))
        .isEqualTo(Tables.bool(c, "accept"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("acceptCases")
  void accepts(Map<String, Object> c) {
    assertThat(compiles(Tables.str(c, "condition"))).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("errorCases")
  void rejects(Map<String, Object> c) {
    assertThat(compiles(Tables.str(c, "condition"))).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("warningCases")
  void warns(Map<String, Object> c) throws Exception {
    Expr e = ((ParseResult.Ok) Parser.parse(Text.plain(Tables.str(c, "condition")))).expr();
    assertThat(Checker.check(MOCK, e).warnings()).hasSize((Integer) c.get("warning_count"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("evaluationCases")
  void evaluates(Map<String, Object> c) throws Exception {
    Map<String, Object> fields = new HashMap<>(Tables.bool(c, "mock") ? MOCK_VALUES : GETCWD);
    fields.putAll(Tables.map(c, "fields"));
    assertThat(Eval.eval(MOCK, Tables.str(c, "condition"), fields))
        .isEqualTo(Tables.bool(c, "expect"));
  }

  private static boolean compiles(String condition) {
    try {
      Eval.compile(MOCK, condition);
      return true;
    } catch (Eval.Rejected e) {
      return false;
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("errorCases")
  void rejectionsAreDiagnosticsNotExceptions(Map<String, Object> c) {
    assertThatThrownBy(() -> Eval.compile(MOCK, Tables.str(c, "condition")))
        .isInstanceOf(Eval.Rejected.class);
  }
}
