package dev.vigil.k8saudit.policy.lint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.k8saudit.policy.Corpus;
import dev.vigil.k8saudit.policy.KubeVersion;
import dev.vigil.k8saudit.policy.load.LoadReport;
import dev.vigil.k8saudit.policy.load.PolicyLoader;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Must-show 2: the real mistakes in published policies that the reference names are reported. */
class VendorMistakesTest {

  static List<Finding> lint(String file) {
    LoadReport r = PolicyLoader.load(file, Corpus.bytes(file), KubeVersion.DEFAULT);
    return Linter.lint(r);
  }

  static List<Finding> with(List<Finding> findings, String id, String... says) {
    return findings.stream()
        .filter(f -> f.id().equals(id))
        .filter(f -> {
          for (String s : says) {
            if (!(f.message() + " | " + f.hint()).contains(s)) {
              return false;
            }
          }
          return true;
        })
        .toList();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "policies/vendors/openshift-profile-writerequestbodies.yaml",
        "policies/vendors/openshift-profile-allrequestbodies.yaml",
        "policies/vendors/openshift-profile-oauth.yaml"
      })
  void openShiftResourceKey(String file) {
    List<Finding> f =
        with(
            lint(file),
            "unknown-field",
            "unknown field \"resource\" in rules[2].resources[4]",
            "every resource of group \"machineconfiguration.openshift.io\"",
            "did you mean resources?",
            "machineconfig, controllerconfig");
    assertThat(f).singleElement().extracting(x -> x.pos().line()).isEqualTo(40);
  }

  @org.junit.jupiter.api.Test
  void datadogMisIndentedVerbs() {
    assertThat(
            with(
                lint("policies/tools/datadog-docs-audit-policy.yaml"),
                "unknown-field",
                "unknown field \"verbs\" in rules[3].resources[0]",
                "rules[3] applies to every verb"))
        .singleElement()
        .extracting(x -> x.pos().line())
        .isEqualTo(46);
  }

  @org.junit.jupiter.api.Test
  void falcoDeploymentsInCoreGroup() {
    assertThat(
            with(
                lint("policies/tools/falco-k8saudit-plugin-policy.yaml"),
                "wrong-group",
                "deployments is not served by group \"\"",
                "it is in \"apps\""))
        .singleElement()
        .extracting(x -> x.pos().line())
        .isEqualTo(13);
  }

  @org.junit.jupiter.api.Test
  void aksEngineSecretsAtRequest() {
    assertThat(
            with(
                lint("policies/vendors/aks-engine-audit-policy.yaml"),
                "sensitive-payload",
                "rules[5] records secrets at level Request"))
        .singleElement()
        .extracting(x -> x.pos().line())
        .isEqualTo(38);
  }
}
