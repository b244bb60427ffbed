package dev.vigil.k8saudit.policy.check;

import static dev.vigil.k8saudit.policy.Corpus.list;
import static dev.vigil.k8saudit.policy.Corpus.map;
import static dev.vigil.k8saudit.policy.Corpus.str;
import static dev.vigil.k8saudit.policy.Corpus.strings;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.k8saudit.policy.Corpus;
import dev.vigil.k8saudit.policy.KubeVersion;
import dev.vigil.k8saudit.policy.Level;
import dev.vigil.k8saudit.policy.Stage;
import dev.vigil.k8saudit.policy.load.LoadReport;
import dev.vigil.k8saudit.policy.load.PolicyLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Must-show 1: the 618 expanded cases of kubernetes' {@code audit_policy_test.go} against the GCE
 * policy, from {@code oracle/gce-policy-cases.yaml}.
 */
class GcePolicyOracleTest {
  static final Map<String, Object> ORACLE = Corpus.oracle("gce-policy-cases.yaml");
  static final PolicyEvaluator GCE = evaluator();

  static PolicyEvaluator evaluator() {
    String file = str(ORACLE, "policyFile");
    LoadReport r = PolicyLoader.load(file, Corpus.bytes(file), KubeVersion.DEFAULT);
    assertThat(r.warnings()).isEmpty();
    return new PolicyEvaluator(r.policy().orElseThrow(), KubeVersion.DEFAULT);
  }

  record Case(String name, RequestAttributes request, Level expect) {
    @Override
    public String toString() {
      return name;
    }
  }

  static List<Case> expand() {
    Map<String, Object> users = map(ORACLE.get("users"));
    Map<String, Object> resources = map(ORACLE.get("resources"));
    List<Case> out = new ArrayList<>();
    for (Object g : list(ORACLE.get("groups"))) {
      Map<String, Object> group = map(g);
      Level level = Level.parse(str(group, "expectLevel")).orElseThrow();
      for (String u : strings(group.get("users"))) {
        Map<String, Object> um = map(users.get(u));
        Optional<User> user = Optional.of(new User(str(um, "name"), strings(um.get("groups"))));
        for (String verb : strings(group.get("verbs"))) {
          if (str(group, "kind").equals("resource")) {
            for (String res : strings(group.get("resources"))) {
              Map<String, Object> rm = map(resources.get(res));
              RequestAttributes a =
                  new RequestAttributes(
                      user,
                      verb,
                      str(rm, "namespace"),
                      str(rm, "apiGroup"),
                      "v1",
                      str(rm, "resource"),
                      str(rm, "subresource"),
                      "",
                      true,
                      "");
              out.add(new Case(u + " " + verb + " " + res, a, level));
            }
          } else {
            for (String path : strings(group.get("paths"))) {
              out.add(
                  new Case(
                      u + " " + verb + " " + path,
                      RequestAttributes.nonResource(user, verb, path),
                      level));
            }
          }
        }
      }
    }
    return out;
  }

  static Stream<Case> cases() {
    return expand().stream();
  }

  @Test
  void expandsTo618Cases() {
    assertThat(expand()).hasSize(Corpus.integer(ORACLE, "expandedCaseCount")).hasSize(618);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void level(Case c) {
    Decision d = GCE.evaluate(c.request());
    assertThat(d.level()).isEqualTo(c.expect());
    if (c.expect() != Level.NONE) {
      assertThat(d.omitStages()).isEqualTo(Set.of(Stage.REQUEST_RECEIVED));
    }
  }
}
