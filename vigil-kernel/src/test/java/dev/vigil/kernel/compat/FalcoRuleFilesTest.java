package dev.vigil.kernel.compat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.kernel.SyscallSource;
import dev.vigil.rules.LoadResult;
import dev.vigil.rules.Rule;
import dev.vigil.rules.RulesFile;
import dev.vigil.rules.RulesLoader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Must-show 1: Falco's rule files load without errors, and every syscall rule compiles to the same
 * condition and event-type set as real Falco 0.44.1 printed with {@code -L}.
 */
class FalcoRuleFilesTest {

  static Stream<Arguments> combinations() {
    return Stream.of(
        Arguments.of("rules-L-stable.json", List.of("falco_rules.yaml")),
        Arguments.of(
            "rules-L-stable+incubating.json",
            List.of("falco_rules.yaml", "falco-incubating_rules.yaml")),
        Arguments.of(
            "rules-L-stable+sandbox.json",
            List.of("falco_rules.yaml", "falco-sandbox_rules.yaml")));
  }

  static LoadResult load(List<String> names) {
    List<RulesFile> files = names.stream().map(Corpus::rulesFile).toList();
    return new RulesLoader(List.of(SyscallSource.info())).load(files);
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("combinations")
  void loadsAndCompilesAsFalco(String oracle, List<String> files) throws IOException {
    LoadResult result = load(files);
    assertThat(result.errors()).isEmpty();
    assertThat(result.warnings()).isEmpty();

    JsonNode expected =
        new ObjectMapper().readTree(Corpus.falco("falco-0.44.1-outputs").resolve(oracle).toFile());
    List<String> mismatches = new ArrayList<>();
    for (JsonNode e : expected) {
      String name = e.get("name").asText();
      Rule rule = result.ruleset().rule(name).orElse(null);
      if (rule == null) {
        mismatches.add(name + ": missing");
        continue;
      }
      TreeSet<String> events = new TreeSet<>();
      e.get("events").forEach(n -> events.add(n.asText()));
      events.remove("asyncevent");
      if (!new TreeSet<>(rule.events()).equals(events)) {
        mismatches.add(name + ": events " + rule.events() + " != " + events);
      }
      String compiled = e.get("condition_compiled").asText();
      if (!rule.compiled().equals(compiled)) {
        mismatches.add(name + ":\n  vigil: " + rule.compiled() + "\n  falco: " + compiled);
      }
      if (!rule.priority().title().equals(e.get("priority").asText())
          || rule.enabled() != e.get("enabled").asBoolean()
          || !rule.source().equals(e.get("source").asText())) {
        mismatches.add(name + ": priority/enabled/source differ");
      }
    }
    assertThat(mismatches).isEmpty();
    assertThat(result.ruleset().rules()).hasSize(expected.size());
  }
}
