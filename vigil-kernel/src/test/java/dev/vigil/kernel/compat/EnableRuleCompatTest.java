package dev.vigil.kernel.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.kernel.SyscallSource;
import dev.vigil.rules.LoadResult;
import dev.vigil.rules.RuleSelection;
import dev.vigil.rules.RuleSelection.NameMatch;
import dev.vigil.rules.RulesFile;
import dev.vigil.rules.RulesLoader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Falco's rule enable/disable tests (compat/falco/enable_rule.yaml). Each of Falco's named rulesets
 * is a {@link RuleSelection}: the default one starts from the files' {@code enabled} flags, the
 * others from nothing.
 */
class EnableRuleCompatTest {
  private static final String DEFAULT = "falco-default-ruleset";

  static Stream<Named<Map<String, Object>>> cases() {
    return Tables.entries("falco/enable_rule.yaml").stream()
        .map(e -> Named.of(Tables.str(e, "test"), e));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  @SuppressWarnings("unchecked")
  void selectsAsFalco(Map<String, Object> c) {
    List<RulesFile> files = new ArrayList<>();
    for (Object f : Tables.list(c, "files")) {
      files.add(new RulesFile("rules.yaml", String.valueOf(f)));
    }
    LoadResult r = new RulesLoader(List.of(SyscallSource.info())).load(files);
    assertThat(r.ok()).as("diagnostics %s", r.diagnostics()).isTrue();

    Map<String, RuleSelection> rulesets = new HashMap<>();
    Tables.map(c, "initial")
        .forEach((name, count) -> {
          RuleSelection s = name.equals(DEFAULT) ? RuleSelection.asInFiles() : RuleSelection.none();
          rulesets.put(name, s);
          assertThat(s.enabled(r.ruleset())).as("initially in %s", name).hasSize((Integer) count);
        });
    int n = 0;
    for (Object o : Tables.list(c, "steps")) {
      Map<String, Object> step = (Map<String, Object>) o;
      String target = step.containsKey("ruleset") ? Tables.str(step, "ruleset") : DEFAULT;
      rulesets.compute(target, (k, s) -> apply(s == null ? RuleSelection.none() : s, step));
      n++;
      int at = n;
      Tables.map(step, "expect")
          .forEach((name, count) ->
              assertThat(rulesets.get(name).enabled(r.ruleset()))
                  .as("step %d, ruleset %s", at, name)
                  .hasSize((Integer) count));
    }
  }

  private static RuleSelection apply(RuleSelection s, Map<String, Object> step) {
    boolean enable = Tables.bool(step, "enabled");
    String pattern = Tables.str(step, "pattern");
    RuleSelection.Step next =
        switch (Tables.str(step, "op")) {
          case "enable_rule" -> new RuleSelection.ByName(NameMatch.SUBSTRING, pattern, enable);
          case "enable_rule_exact" -> new RuleSelection.ByName(NameMatch.EXACT, pattern, enable);
          case "enable_rule_wildcard" ->
              new RuleSelection.ByName(NameMatch.WILDCARD, pattern, enable);
          case "enable_rule_by_tag" ->
              new RuleSelection.ByTags(
                  new LinkedHashSet<>(
                      Tables.list(step, "tags").stream().map(String::valueOf).toList()),
                  enable);
          default -> throw new AssertionError("unknown op in the table: " + step);
        };
    return s.then(next);
  }
}
