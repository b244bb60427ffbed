package dev.vigil.k8saudit.policy.lint;

import static dev.vigil.k8saudit.policy.Corpus.list;
import static dev.vigil.k8saudit.policy.Corpus.map;
import static dev.vigil.k8saudit.policy.Corpus.str;
import static dev.vigil.k8saudit.policy.Corpus.strings;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.k8saudit.policy.Corpus;
import dev.vigil.k8saudit.policy.KubeVersion;
import dev.vigil.k8saudit.policy.load.LoadReport;
import dev.vigil.k8saudit.policy.load.PolicyLoader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Must-show 1: every entry of {@code oracle/lint-cases.yaml} yields the finding our expectations
 * table ({@code policy/lint-expectations.yaml}) names, saying what the case's suggestedFinding
 * says; and kube-apiserver's outcome (loads or refuses, its error and warning) is reproduced.
 */
class LintCasesTest {
  static final Map<String, Object> ORACLE = Corpus.oracle("lint-cases.yaml");
  static final Map<String, Object> EXPECT = expectations();

  static Map<String, Object> expectations() {
    try (InputStream in =
        Objects.requireNonNull(
            LintCasesTest.class.getResourceAsStream("/policy/lint-expectations.yaml"))) {
      return map(new Load(LoadSettings.builder().build()).loadFromInputStream(in));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Stream<Arguments> cases() {
    return list(ORACLE.get("cases")).stream().map(c -> Arguments.of(str(map(c), "id"), map(c)));
  }

  @Test
  void everyCaseHasAnExpectation() {
    List<String> ids = list(ORACLE.get("cases")).stream().map(c -> str(map(c), "id")).toList();
    assertThat(ids).hasSize(27);
    assertThat(EXPECT.keySet()).containsExactlyInAnyOrderElementsOf(ids);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void findings(String id, Map<String, Object> c) {
    for (Object e : list(EXPECT.get(id))) {
      Map<String, Object> want = map(e);
      KubeVersion v =
          want.containsKey("version")
              ? KubeVersion.parse(str(want, "version")).orElseThrow()
              : KubeVersion.DEFAULT;
      List<Finding> findings = Linter.lint(load(str(c, "file"), v));
      List<Finding> matching = new ArrayList<>();
      for (Finding f : findings) {
        String text = f.message() + " | " + f.hint();
        boolean says = strings(want.get("says")).stream().allMatch(text::contains);
        boolean line = !want.containsKey("line") || f.pos().line() == Corpus.integer(want, "line");
        if (f.id().equals(str(want, "id")) && says && line) {
          matching.add(f);
        }
      }
      assertThat(matching).as("%s among %s", want, findings).isNotEmpty();
      assertThat(matching.get(0).severity().label()).isEqualTo(str(want, "severity"));
      assertThat(matching.get(0).pos().line()).isGreaterThan(2);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void kubeApiserverOutcome(String id, Map<String, Object> c) {
    Map<String, Object> kube = map(c.get("kubeApiserver"));
    Object loads = kube.get("loads");
    LoadReport r = load(str(c, "file"), KubeVersion.DEFAULT);
    if (Boolean.FALSE.equals(loads)) {
      assertThat(r.verdict()).isInstanceOf(LoadReport.Refuses.class);
      String error = str(kube, "error");
      String prefix = error.contains("...") ? error.substring(0, error.indexOf("...")) : error;
      if (!error.startsWith("failed decoding (")) {
        assertThat(((LoadReport.Refuses) r.verdict()).error()).startsWith(prefix);
      }
    } else if (Boolean.TRUE.equals(loads)) {
      assertThat(r.verdict()).isInstanceOf(LoadReport.Loads.class);
      if (kube.containsKey("warning")) {
        String w = str(kube, "warning");
        String quoted = w.contains("unknown field") ? w.substring(w.indexOf("unknown field")) : "";
        assertThat(r.warnings()).singleElement().asString().contains(quoted);
      } else {
        assertThat(r.warnings()).isEmpty();
      }
    } else {
      // "only on kube-apiserver >= 1.36"
      assertThat(r.verdict()).isInstanceOf(LoadReport.Loads.class);
      assertThat(load(str(c, "file"), new KubeVersion(35)).verdict())
          .isInstanceOf(LoadReport.Refuses.class);
    }
  }

  static LoadReport load(String file, KubeVersion v) {
    return PolicyLoader.load(file, Corpus.bytes(file), v);
  }
}
