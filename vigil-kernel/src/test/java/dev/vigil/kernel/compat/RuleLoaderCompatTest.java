package dev.vigil.kernel.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.kernel.SyscallSource;
import dev.vigil.rules.Diagnostic;
import dev.vigil.rules.LoadResult;
import dev.vigil.rules.Rule;
import dev.vigil.rules.RulesFile;
import dev.vigil.rules.RulesLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Falco's rule-loader unit tests (compat/falco/rule_loader.yaml): load results, messages and codes,
 * compiled conditions, enabled state. Falco's separate JSON-schema status is not reproduced (see
 * the suite's README).
 */
class RuleLoaderCompatTest {

  static Stream<Named<Map<String, Object>>> cases() {
    return Tables.entries("falco/rule_loader.yaml").stream()
        .map(e -> Named.of(Tables.str(e, "test"), e));
  }

  static LoadResult load(List<Object> contents) {
    List<RulesFile> files = new ArrayList<>();
    for (int i = 0; i < contents.size(); i++) {
      files.add(new RulesFile("rules" + i + ".yaml", String.valueOf(contents.get(i))));
    }
    return new RulesLoader(List.of(SyscallSource.info())).load(files);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void loadsAsFalco(Map<String, Object> c) {
    LoadResult r = load(Tables.list(c, "files"));
    Map<String, Object> expect = Tables.map(c, "expect");
    assertThat(r.ok())
        .as("successful; diagnostics: %s", r.diagnostics())
        .isEqualTo(Tables.bool(expect, "ok"));
    assertDiagnostics(r.errors(), Tables.list(expect, "errors"));
    assertDiagnostics(r.warnings(), Tables.list(expect, "warnings"));
    if (Tables.bool(expect, "no_warnings")) {
      assertThat(r.warnings()).isEmpty();
    }
    if (expect.containsKey("absent_warnings")) {
      String s = Tables.str(expect, "absent_warnings");
      assertThat(r.warnings()).noneMatch(w -> w.message().contains(s));
    }
    Tables.map(expect, "compiled")
        .forEach((name, cond) -> assertThat(rule(r, name).compiled()).isEqualTo(cond));
    Tables.map(expect, "enabled")
        .forEach((name, en) -> assertThat(rule(r, name).enabled()).as(name).isEqualTo(en));
    if (expect.containsKey("default_ruleset_count")) {
      assertThat(r.ruleset().rules().stream().filter(Rule::enabled).count())
          .isEqualTo(((Number) expect.get("default_ruleset_count")).longValue());
    }
    if (expect.containsKey("rules")) {
      assertThat(r.ruleset().rules().stream().map(Rule::name).toList())
          .containsExactlyInAnyOrderElementsOf(
              Tables.list(expect, "rules").stream().map(String::valueOf).toList());
    }
  }

  private static Rule rule(LoadResult r, String name) {
    return r.ruleset().rule(name).orElseThrow(() -> new AssertionError("no rule " + name));
  }

  /** Each expected entry: some diagnostic has that code and a message containing the text. */
  @SuppressWarnings("unchecked")
  private static void assertDiagnostics(List<Diagnostic> actual, List<Object> expected) {
    for (Object o : expected) {
      Map<String, Object> e = (Map<String, Object>) o;
      String code = Tables.str(e, "code");
      String message = Tables.str(e, "message");
      assertThat(actual)
          .as("expected %s %s", code, message)
          .anyMatch(d ->
              (code.isEmpty() || d.code().name().equals(code)) && d.message().contains(message));
    }
  }
}
