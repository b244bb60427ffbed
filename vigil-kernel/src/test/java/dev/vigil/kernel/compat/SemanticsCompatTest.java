package dev.vigil.kernel.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.event.Extractor;
import dev.vigil.event.FieldCatalogue;
import dev.vigil.event.FieldClass;
import dev.vigil.event.FieldDef;
import dev.vigil.event.FieldType;
import dev.vigil.event.MapEvent;
import dev.vigil.event.SourceInfo;
import dev.vigil.kernel.SyscallSource;
import dev.vigil.rules.ast.Expr;
import dev.vigil.rules.compile.Checker;
import dev.vigil.rules.compile.Cond;
import dev.vigil.rules.match.Extractors;
import dev.vigil.rules.parse.ParseResult;
import dev.vigil.rules.parse.Parser;
import dev.vigil.rules.text.Text;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Operator and transformer semantics from libsinsp's tests (compat/libs/semantics.yaml). */
class SemanticsCompatTest {
  private static final SourceInfo SYSCALL = SyscallSource.info();

  static Stream<Named<Map<String, Object>>> cases(String kind) {
    return Tables.entries("libs/semantics.yaml").stream()
        .filter(e -> Tables.str(e, "kind").equals(kind))
        .map(e ->
            Named.of(
                Tables.str(e, "test")
                    + ": "
                    + (e.containsKey("condition")
                        ? Tables.str(e, "condition")
                        : Tables.str(e, "transformer") + " " + Tables.list(e, "input")),
                e));
  }

  static Stream<Named<Map<String, Object>>> operators() {
    return cases("operator");
  }

  static Stream<Named<Map<String, Object>>> evals() {
    return cases("eval");
  }

  static Stream<Named<Map<String, Object>>> compiles() {
    return cases("compile");
  }

  static Stream<Named<Map<String, Object>>> transformers() {
    return cases("transformer");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("operators")
  void operator(Map<String, Object> c) throws Exception {
    Map<String, Object> fields = new HashMap<>();
    String lhs = Tables.str(c, "lhs");
    Object left = c.get("left");
    if (lhs.contains("(")) {
      String inner = lhs.substring(lhs.indexOf('(') + 1, lhs.indexOf(')'));
      fields.put(inner, String.valueOf(left).toLowerCase(java.util.Locale.ROOT));
    } else if (left instanceof Map<?, ?> m) {
      fields.put(lhs, List.of(String.valueOf(m.get("client")), String.valueOf(m.get("server"))));
    } else if (c.containsKey("left_hex")) {
      fields.put(lhs, HexFormat.of().parseHex(Tables.str(c, "left_hex")));
    } else if (left instanceof Integer i) {
      fields.put(lhs, (long) i);
    } else {
      fields.put(lhs, left);
    }
    assertThat(Eval.eval(SYSCALL, Tables.str(c, "condition"), fields))
        .isEqualTo(Tables.bool(c, "expect"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("evals")
  void evaluation(Map<String, Object> c) throws Exception {
    Map<String, Object> fields = new HashMap<>();
    Tables.map(c, "fields").forEach((k, v) -> fields.put(k, fieldValue(v)));
    if (Tables.bool(c, "error")) {
      try {
        Eval.compile(SYSCALL, Tables.str(c, "condition"));
        throw new AssertionError("must not compile");
      } catch (Eval.Rejected expected) {
        return;
      }
    }
    assertThat(Eval.eval(SYSCALL, Tables.str(c, "condition"), fields))
        .isEqualTo(Tables.bool(c, "expect"));
  }

  /** Integers as longs; {type: BYTEBUF, hex: ...} as the bytes' characters. */
  private static Object fieldValue(Object v) {
    if (v instanceof Integer i) {
      return (long) i;
    }
    if (v instanceof Map<?, ?> m && m.containsKey("hex")) {
      byte[] b = HexFormat.of().parseHex(String.valueOf(m.get("hex")));
      return new String(b, StandardCharsets.ISO_8859_1);
    }
    return v;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("compiles")
  void compilation(Map<String, Object> c) {
    boolean ok;
    try {
      Eval.compile(SYSCALL, Tables.str(c, "condition"));
      ok = true;
    } catch (Eval.Rejected e) {
      ok = false;
    }
    assertThat(ok).isEqualTo(Tables.bool(c, "accept"));
  }

  /** One field per input type, single and list, to apply transformers to. */
  private static final SourceInfo TYPED = typedSource();

  private static SourceInfo typedSource() {
    List<FieldDef> fields = new ArrayList<>();
    for (FieldType t : FieldType.values()) {
      String n = t.name().toLowerCase(java.util.Locale.ROOT);
      fields.add(new FieldDef("t." + n, t, Set.of(), n));
      fields.add(new FieldDef("l." + n, t, Set.of(FieldDef.Attribute.LIST), n + " list"));
    }
    return new SourceInfo(
        "typed",
        FieldCatalogue.of("typed", List.of(new FieldClass("t", "typed", "typed", fields))),
        dev.vigil.event.EventTypes.single("typed", "test"),
        "");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("transformers")
  void transformer(Map<String, Object> c) throws Exception {
    String type = Tables.str(c, "input_type").toLowerCase(java.util.Locale.ROOT);
    boolean list = Tables.bool(c, "list");
    String field = (list ? "l." : "t.") + type;
    List<Object> input = Tables.list(c, "input");
    String expr = Tables.str(c, "transformer") + "(" + field + ")";
    Expr e = ((ParseResult.Ok) Parser.parse(Text.plain(expr + " exists"))).expr();
    Cond.Check check = (Cond.Check) Checker.check(TYPED, e).cond();
    Extractor<MapEvent> x = Extractors.bind(check.left(), new MapEvent.Factory());
    List<String> actual = new ArrayList<>();
    if (list) {
      actual.addAll(
          values(
              x, new MapEvent(0, 0, Map.of(field, input.stream().map(String::valueOf).toList()))));
    } else {
      // a single-valued field: each input value is transformed on its own
      for (Object in : input) {
        Object value =
            type.equals("bytebuf")
                ? String.valueOf(in).getBytes(StandardCharsets.ISO_8859_1)
                : in instanceof Integer i ? (Object) (long) i : in;
        actual.addAll(values(x, new MapEvent(0, 0, Map.of(field, value))));
      }
    }
    if (Tables.bool(c, "error")) {
      assertThat(actual).isEmpty();
      return;
    }
    assertThat(actual).isEqualTo(Tables.list(c, "output").stream().map(String::valueOf).toList());
  }

  private static List<String> values(Extractor<MapEvent> x, MapEvent e) {
    if (x instanceof Extractor.OfList<MapEvent> l) {
      List<String> v = l.values(e);
      return v == null ? List.of() : v;
    }
    String v = x.format(e);
    return v == null ? List.of() : List.of(v);
  }
}
