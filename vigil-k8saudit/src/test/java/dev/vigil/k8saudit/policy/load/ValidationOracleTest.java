package dev.vigil.k8saudit.policy.load;

import static dev.vigil.k8saudit.policy.Corpus.list;
import static dev.vigil.k8saudit.policy.Corpus.map;
import static dev.vigil.k8saudit.policy.Corpus.str;
import static dev.vigil.k8saudit.policy.Corpus.strings;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.k8saudit.policy.Corpus;
import dev.vigil.k8saudit.policy.KubeVersion;
import dev.vigil.k8saudit.policy.Policies;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Must-show 1: kube-apiserver's validation cases with their exact messages, from {@code
 * oracle/apiserver-validation-cases.yaml}: valid policies validate, invalid ones produce exactly
 * the listed field errors, and the loader refuses them with the aggregate of those messages.
 */
class ValidationOracleTest {
  static final Map<String, Object> ORACLE = Corpus.oracle("apiserver-validation-cases.yaml");

  static Stream<Arguments> valid() {
    return list(ORACLE.get("successCases")).stream()
        .map(c -> Arguments.of(str(map(c), "name"), map(c)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valid")
  void validPolicies(String name, Map<String, Object> c) {
    RawPolicy raw = Policies.raw(Policies.yaml(Corpus.get(c, "policy")));
    assertThat(Validation.validate(raw, KubeVersion.DEFAULT)).isEmpty();
  }

  static Stream<Arguments> invalid() {
    return list(ORACLE.get("errorCases")).stream()
        .map(c -> Arguments.of(str(map(c), "name"), map(c)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void invalidPolicies(String name, Map<String, Object> c) {
    expect(Corpus.get(c, "policy"), strings(c.get("derivedErrors")), KubeVersion.DEFAULT);
  }

  static Stream<Arguments> extra() {
    return list(ORACLE.get("derivedExtraCases")).stream()
        .map(c -> Arguments.of(str(map(c), "name"), map(c)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("extra")
  void derivedExtraCases(String name, Map<String, Object> c) {
    expect(
        Corpus.get(c, "policy"), strings(c.get("derivedErrors_v1_36_plus")), KubeVersion.DEFAULT);
    if (c.containsKey("derivedErrors_v1_35_and_older")) {
      expect(
          Corpus.get(c, "policy"),
          strings(c.get("derivedErrors_v1_35_and_older")),
          new KubeVersion(35));
    }
  }

  private static void expect(Object policy, List<String> errors, KubeVersion version) {
    String yaml = Policies.yaml(policy);
    List<String> got =
        Validation.validate(Policies.raw(yaml), version).stream().map(FieldError::message).toList();
    assertThat(got).containsExactlyElementsOf(errors);

    // The loader refuses with the aggregate, wrapped as kube-apiserver prints it.
    @SuppressWarnings("unchecked")
    Map<String, Object> doc = new java.util.LinkedHashMap<>((Map<String, Object>) policy);
    doc.put("apiVersion", "audit.k8s.io/v1");
    doc.put("kind", "Policy");
    LoadReport r = Policies.load(Policies.yaml(doc), version);
    if (errors.isEmpty()) {
      if (!list(doc.get("rules")).isEmpty()) {
        assertThat(r.verdict()).isInstanceOf(LoadReport.Loads.class);
      }
      return;
    }
    assertThat(r.verdict()).isInstanceOf(LoadReport.Refuses.class);
    LoadReport.Refuses refused = (LoadReport.Refuses) r.verdict();
    String aggregate = errors.size() == 1 ? errors.get(0) : "[" + String.join(", ", errors) + "]";
    assertThat(refused.error()).isEqualTo(aggregate);
    assertThat(refused.message())
        .isEqualTo("loading audit policy file: " + aggregate + ": from file policy.yaml");
  }
}
