package dev.vigil.k8saudit.policy.load;

import static dev.vigil.k8saudit.policy.Corpus.list;
import static dev.vigil.k8saudit.policy.Corpus.map;
import static dev.vigil.k8saudit.policy.Corpus.str;
import static dev.vigil.k8saudit.policy.Corpus.strings;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.k8saudit.policy.Corpus;
import dev.vigil.k8saudit.policy.GroupResources;
import dev.vigil.k8saudit.policy.KubeVersion;
import dev.vigil.k8saudit.policy.Policies;
import dev.vigil.k8saudit.policy.Policy;
import dev.vigil.k8saudit.policy.PolicyRule;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Must-show 1: kube-apiserver's reader behaviour, from {@code oracle/apiserver-reader-cases.yaml}:
 * strict then lenient decoding with its warning, the group/version check, zero rules, and the rules
 * that remain in effect once unknown fields are dropped.
 */
class ReaderOracleTest {
  static final Map<String, Object> ORACLE = Corpus.oracle("apiserver-reader-cases.yaml");

  static Stream<Arguments> cases() {
    return list(ORACLE.get("cases")).stream().map(c -> Arguments.of(str(map(c), "id"), map(c)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void reader(String id, Map<String, Object> c) {
    Map<String, Object> expect = map(c.get("expect"));
    LoadReport r = Policies.load(str(c, "input"), KubeVersion.DEFAULT);
    if (!Boolean.TRUE.equals(expect.get("ok"))) {
      assertThat(r.verdict()).isInstanceOf(LoadReport.Refuses.class);
      if (expect.containsKey("errorContains")) {
        assertThat(((LoadReport.Refuses) r.verdict()).error())
            .contains(str(expect, "errorContains"));
      }
      return;
    }
    assertThat(r.verdict()).as("%s", r).isInstanceOf(LoadReport.Loads.class);
    Policy p = r.policy().orElseThrow();
    if (expect.containsKey("ruleCount")) {
      assertThat(p.rules()).hasSize(Corpus.integer(expect, "ruleCount"));
    }
    if (Boolean.TRUE.equals(expect.get("warningLogged"))) {
      assertThat(r.warnings()).hasSize(1);
      assertThat(r.warnings().get(0))
          .startsWith(
              "Audit policy contains errors, falling back to lenient decoding: strict decoding"
                  + " error: ");
    } else {
      assertThat(r.warnings()).isEmpty();
    }
    if (expect.containsKey("strictErrorContains")) {
      assertThat(r.warnings().get(0)).contains(str(expect, "strictErrorContains"));
    }
    if (expect.containsKey("effectiveRules")) {
      List<PolicyRule> want =
          Policies.loaded(
                  Policies.document(list(expect.get("effectiveRules")), List.of()),
                  KubeVersion.DEFAULT)
              .rules();
      assertThat(p.rules()).isEqualTo(want);
    }
    if (expect.containsKey("effectivePolicyOmitStages")) {
      assertThat(p.omitStages().stream().map(Object::toString).toList())
          .containsExactlyInAnyOrderElementsOf(strings(expect.get("effectivePolicyOmitStages")));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void silentBefore126(String id, Map<String, Object> c) {
    LoadReport r = Policies.load(str(c, "input"), new KubeVersion(25));
    assertThat(r.warnings()).isEmpty();
    LoadReport now = Policies.load(str(c, "input"), KubeVersion.DEFAULT);
    assertThat(r.verdict().getClass()).isEqualTo(now.verdict().getClass());
  }

  @org.junit.jupiter.api.Test
  void bareGroupEntryMeansTheWholeCoreGroup() {
    Policy p =
        Policies.loaded(str(map(list(ORACLE.get("cases")).get(0)), "input"), KubeVersion.DEFAULT);
    assertThat(p.rules().get(1).resources())
        .containsExactly(
            new GroupResources("", List.of(), List.of()),
            new GroupResources(
                "rbac.authorization.k8s.io",
                List.of("clusterroles", "clusterrolebindings"),
                List.of()));
  }
}
