package dev.vigil.k8saudit.policy.check;

import static dev.vigil.k8saudit.policy.Corpus.get;
import static dev.vigil.k8saudit.policy.Corpus.list;
import static dev.vigil.k8saudit.policy.Corpus.map;
import static dev.vigil.k8saudit.policy.Corpus.str;
import static dev.vigil.k8saudit.policy.Corpus.strings;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.k8saudit.policy.Corpus;
import dev.vigil.k8saudit.policy.KubeVersion;
import dev.vigil.k8saudit.policy.Level;
import dev.vigil.k8saudit.policy.Policies;
import dev.vigil.k8saudit.policy.Policy;
import dev.vigil.k8saudit.policy.PolicyRule;
import dev.vigil.k8saudit.policy.Stage;
import dev.vigil.k8saudit.policy.load.LoadReport;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Must-show 1: the 104 level/stage cases of kube-apiserver's {@code checker_test.go}, the stage
 * union cases and the omitManagedFields cases, from {@code oracle/apiserver-checker-cases.yaml}.
 * Each policy goes through the loader too, so the oracle also pins decoding of its rules.
 */
class CheckerOracleTest {
  static final Map<String, Object> ORACLE = Corpus.oracle("apiserver-checker-cases.yaml");

  static Stream<Arguments> cases() {
    return list(ORACLE.get("cases")).stream().map(c -> Arguments.of(str(map(c), "id"), map(c)));
  }

  @Test
  void oracleHas104Cases() {
    assertThat(list(ORACLE.get("cases"))).hasSize(104);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void levelAndStages(String id, Map<String, Object> c) {
    Map<String, Object> rules = map(ORACLE.get("rules"));
    List<Object> chosen = new ArrayList<>();
    for (String name : strings(c.get("rules"))) {
      chosen.add(rules.get(name));
    }
    String doc = Policies.document(chosen, strings(c.get("policyOmitStages")));
    Object minVersion = c.get("minKubernetesVersion");
    KubeVersion version = KubeVersion.DEFAULT;
    if (minVersion != null) {
      KubeVersion min = KubeVersion.parse(minVersion.toString()).orElseThrow();
      assertThat(version).isGreaterThanOrEqualTo(min);
      KubeVersion older = new KubeVersion(min.minor() - 1);
      assertThat(Policies.load(doc, older).verdict())
          .as("refused before %s", min)
          .isInstanceOf(LoadReport.Refuses.class);
    }
    Policy policy = Policies.loaded(doc, version);
    RequestAttributes request = request(map(get(map(ORACLE.get("requests")), str(c, "request"))));
    Decision d = new PolicyEvaluator(policy, version).evaluate(request);

    Map<String, Object> expect = map(c.get("expect"));
    assertThat(d.level().text()).isEqualTo(str(expect, "level"));
    assertThat(d.omitStages()).isEqualTo(stages(strings(expect.get("omitStages"))));
  }

  static Stream<Arguments> unions() {
    return list(ORACLE.get("unionStages")).stream().map(u -> Arguments.of(map(u)));
  }

  @ParameterizedTest
  @MethodSource("unions")
  void unionStages(Map<String, Object> u) {
    assertThat(
            PolicyEvaluator.unionStages(stages(strings(u.get("a"))), stages(strings(u.get("b")))))
        .isEqualTo(stages(strings(u.get("expect"))));
  }

  static Stream<Arguments> managedFields() {
    Map<String, Object> omf = map(ORACLE.get("omitManagedFields"));
    return list(omf.get("cases")).stream().map(c -> Arguments.of(str(map(c), "name"), map(c)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("managedFields")
  void omitManagedFields(String name, Map<String, Object> c) {
    Map<String, Object> omf = map(ORACLE.get("omitManagedFields"));
    PolicyRule rule =
        new PolicyRule(
            Level.REQUEST_RESPONSE,
            List.of(),
            List.of(),
            strings(map(omf.get("rule")).get("verbs")),
            List.of(),
            List.of(),
            List.of(),
            Set.of(),
            c.get("ruleOmitManagedFields") instanceof Boolean b
                ? Optional.of(b)
                : Optional.empty());
    Policy policy = new Policy(List.of(rule), Set.of(), Corpus.bool(c, "policyOmitManagedFields"));
    Decision d =
        new PolicyEvaluator(policy, KubeVersion.DEFAULT).evaluate(request(map(omf.get("request"))));
    assertThat(d.omitManagedFields()).isEqualTo(c.get("want"));
  }

  static RequestAttributes request(Map<String, Object> r) {
    Optional<User> user = Optional.empty();
    if (r.get("user") != null) {
      Map<String, Object> u = map(r.get("user"));
      user = Optional.of(new User(str(u, "name"), strings(u.get("groups"))));
    }
    return new RequestAttributes(
        user,
        str(r, "verb"),
        str(r, "namespace"),
        str(r, "apiGroup"),
        str(r, "apiVersion"),
        str(r, "resource"),
        str(r, "subresource"),
        str(r, "name"),
        Boolean.TRUE.equals(r.get("resourceRequest")),
        str(r, "path"));
  }

  static Set<Stage> stages(List<String> names) {
    EnumSet<Stage> out = EnumSet.noneOf(Stage.class);
    for (String n : names) {
      out.add(Stage.parse(n).orElseThrow());
    }
    return out;
  }
}
