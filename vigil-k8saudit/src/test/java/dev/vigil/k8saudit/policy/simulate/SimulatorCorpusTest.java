package dev.vigil.k8saudit.policy.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.k8saudit.policy.Corpus;
import dev.vigil.k8saudit.policy.KubeVersion;
import dev.vigil.k8saudit.policy.lint.Linter;
import dev.vigil.k8saudit.policy.load.LoadReport;
import dev.vigil.k8saudit.policy.load.PolicyLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Must-show 2: every policy of the corpus is checked, linted and — when kube-apiserver would load
 * it — simulated over every event file of the corpus, without a crash; every line is either an
 * event or a reported problem.
 */
class SimulatorCorpusTest {
  static final List<Path> EVENTS = Corpus.files("events", ".json", ".jsonl");

  static Stream<Path> policies() {
    return Corpus.files("policies", ".yaml").stream();
  }

  @Test
  void corpusIsThere() {
    assertThat(policies()).hasSizeGreaterThanOrEqualTo(45);
    assertThat(EVENTS).hasSizeGreaterThanOrEqualTo(50);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("policies")
  void checkLintSimulate(Path file) throws Exception {
    String name = Corpus.root().relativize(file).toString();
    for (KubeVersion v : List.of(KubeVersion.OLDEST, new KubeVersion(35), KubeVersion.DEFAULT)) {
      LoadReport r = PolicyLoader.load(name, java.nio.file.Files.readAllBytes(file), v);
      assertThat(r.outcome()).isNotEqualTo("not read");
      Linter.lint(r);
    }
    LoadReport r =
        PolicyLoader.load(name, java.nio.file.Files.readAllBytes(file), KubeVersion.DEFAULT);
    if (r.policy().isEmpty()) {
      return;
    }
    for (int threads : new int[] {1, 2}) {
      Run run = Run.of(r.policy().get(), EVENTS, threads);
      Summary s = run.summary();
      assertThat(s.events()).isEqualTo(run.events().size()).isEqualTo(104);
      assertThat(s.skipped()).isEqualTo(run.problems().size());
      long ruled = s.policy().rules().stream().mapToLong(Summary.RuleRow::events).sum();
      assertThat(ruled).isEqualTo(s.events());
      assertThat(s.policy().writtenBytes()).isLessThanOrEqualTo(s.eventBytes());
      for (JsonNode e : run.events()) {
        assertThat(e.get("level").asText()).isIn("None", "Metadata", "Request", "RequestResponse");
      }
    }
  }

  @Test
  void unreadableLinesOfTheCorpusAreReportedNotCounted() {
    LoadReport r =
        PolicyLoader.load(
            "p",
            Run.METADATA_ALL.getBytes(java.nio.charset.StandardCharsets.UTF_8),
            KubeVersion.DEFAULT);
    Run run = Run.of(r.policy().orElseThrow(), EVENTS, 2);
    assertThat(run.problems())
        .anySatisfy(p -> {
          assertThat(p.file()).endsWith("fal_01_003.json");
          assertThat(p.line()).isEqualTo(1);
          assertThat(p.message()).isEqualTo("\"kind\" is a number, not a string");
        });
    // Panther's rows wrap events in a test record: none of them is an audit event itself.
    assertThat(run.problems().stream().filter(p -> p.file().contains("panther")).count())
        .isEqualTo(279);
    // Every other line of the corpus is an event: Falco's 47 traces (one with 6 lines, one
    // malformed), audit2rbac's 37, the 13 synthetic events and the 3 items of the EventList.
    assertThat(run.summary().events()).isEqualTo(46 + 5 + 37 + 13 + 3);
  }
}
