package dev.vigil.k8saudit.policy.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.k8saudit.policy.KubeVersion;
import dev.vigil.k8saudit.policy.lint.Finding;
import dev.vigil.k8saudit.policy.lint.Linter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Must-show 3 for policies: non-YAML, binary garbage, alias bombs, deep nesting and a 50 MB file
 * give clear messages (kube-apiserver's where it has one), never an exception or a hang.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class BadPolicyInputTest {

  static LoadReport load(byte[] content) {
    return PolicyLoader.load("policy.yaml", content, KubeVersion.DEFAULT);
  }

  static LoadReport load(String content) {
    return load(content.getBytes(StandardCharsets.UTF_8));
  }

  static String refusal(LoadReport r) {
    assertThat(r.verdict()).isInstanceOf(LoadReport.Refuses.class);
    return ((LoadReport.Refuses) r.verdict()).message();
  }

  @Test
  void notYaml() {
    LoadReport r = load("apiVersion: audit.k8s.io/v1\nkind: Policy\nrules: [\n  - level: None\n");
    assertThat(refusal(r))
        .startsWith(
            "loading audit policy file: failed decoding: error converting YAML to JSON: yaml:"
                + " line ")
        .endsWith(": from file policy.yaml");
    List<Finding> f = Linter.lint(r);
    assertThat(f)
        .singleElement()
        .satisfies(x -> {
          assertThat(x.id()).isEqualTo("yaml-syntax");
          assertThat(x.pos().line()).isGreaterThan(1);
        });
  }

  @Test
  void binaryGarbage() {
    byte[] garbage = new byte[4096];
    new Random(7).nextBytes(garbage);
    LoadReport r = load(garbage);
    assertThat(refusal(r)).contains("yaml: invalid leading UTF-8 octet");
    assertThat(Linter.lint(r)).extracting(Finding::id).containsExactly("yaml-syntax");

    byte[] controls =
        "apiVersion: audit.k8s.io/v1\u0000\u0001\u0002\n".getBytes(StandardCharsets.UTF_8);
    assertThat(refusal(load(controls))).contains("control characters are not allowed");
  }

  @Test
  void aliasBomb() {
    StringBuilder sb = new StringBuilder("apiVersion: audit.k8s.io/v1\nkind: Policy\n");
    sb.append("a0: &a0 [\"x\", \"x\", \"x\", \"x\", \"x\", \"x\", \"x\", \"x\", \"x\", \"x\"]\n");
    for (int i = 1; i < 40; i++) {
      sb.append("a").append(i).append(": &a").append(i).append(" [");
      for (int k = 0; k < 10; k++) {
        sb.append(k == 0 ? "" : ", ").append("*a").append(i - 1);
      }
      sb.append("]\n");
    }
    sb.append("rules:\n- level: None\n");
    LoadReport r = load(sb.toString());
    assertThat(refusal(r)).contains("document contains excessive aliasing");
  }

  @Test
  void aliasesWithinLimitsAreExpanded() {
    LoadReport r =
        load(
            """
            apiVersion: audit.k8s.io/v1
            kind: Policy
            rules:
            - level: None
              users: &system [system:kube-proxy, system:kube-scheduler]
            - level: Metadata
              users: *system
            """);
    assertThat(r.policy().orElseThrow().rules().get(1).users())
        .containsExactly("system:kube-proxy", "system:kube-scheduler");
  }

  @Test
  void deepNesting() {
    String deep = "rules: " + "[".repeat(200_000) + "]".repeat(200_000) + "\n";
    LoadReport r = load("apiVersion: audit.k8s.io/v1\nkind: Policy\n" + deep);
    assertThat(refusal(r)).contains("failed decoding");
  }

  @Test
  void fiftyMegabytes() {
    byte[] big = new byte[50 * 1024 * 1024];
    byte[] head =
        "apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n".getBytes(StandardCharsets.UTF_8);
    System.arraycopy(head, 0, big, 0, head.length);
    Arrays.fill(big, head.length, big.length, (byte) '#');
    LoadReport r = load(big);
    assertThat(r.verdict()).isInstanceOf(LoadReport.NotRead.class);
    assertThat(((LoadReport.NotRead) r.verdict()).reason())
        .isEqualTo(
            "the file is 50.0 MiB; Vigil reads policy files up to 16 MiB (real policies are a few"
                + " KiB)");
    assertThat(Linter.lint(r)).extracting(Finding::id).containsExactly("too-large");
  }

  @Test
  void notAnObject() {
    assertThat(refusal(load("- level: None\n")))
        .contains("couldn't get version/kind; json parse error: json: cannot unmarshal array");
    assertThat(refusal(load("just a sentence\n"))).contains("cannot unmarshal string");
  }

  @Test
  void emptyFileAndNoKind() {
    assertThat(refusal(load("")))
        .contains("unknown group version field audit.k8s.io/__internal, Kind=Policy in policy");
    assertThat(refusal(load("# only a comment\n"))).contains("unknown group version field");
  }

  @Test
  void wrongTypes() {
    LoadReport r =
        load("apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: None\n  verbs: get\n");
    assertThat(((LoadReport.Refuses) r.verdict()).error())
        .isEqualTo(
            "failed decoding: json: cannot unmarshal string into Go struct field"
                + " PolicyRule.rules.verbs of type []string");
    LoadReport yes =
        load("apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: None\n  users: [yes]\n");
    assertThat(((LoadReport.Refuses) yes.verdict()).error())
        .isEqualTo(
            "failed decoding: json: cannot unmarshal bool into Go struct field"
                + " PolicyRule.rules.users of type string");
    LoadReport strings =
        load(
            """
            apiVersion: audit.k8s.io/v1
            kind: Policy
            rules:
            - level: None
              resources: [pods]
            """);
    assertThat(Linter.lint(strings))
        .filteredOn(f -> f.id().equals("wrong-type"))
        .singleElement()
        .satisfies(f -> assertThat(f.hint()).contains("each resources entry is an object"));
  }

  @Test
  void jsonIsYamlToo() {
    LoadReport r =
        load(
            "{\"apiVersion\":\"audit.k8s.io/v1\",\"kind\":\"Policy\",\"rules\":[{\"level\":\"None\"}]}");
    assertThat(r.verdict()).isInstanceOf(LoadReport.Loads.class);
  }

  @Test
  void laterDocumentsAreIgnored() {
    LoadReport r =
        load(
            """
            apiVersion: audit.k8s.io/v1
            kind: Policy
            rules:
            - level: Metadata
            ---
            not: [valid
            """);
    assertThat(r.verdict()).isInstanceOf(LoadReport.Loads.class);
    assertThat(Linter.lint(r)).extracting(Finding::id).contains("extra-documents");
  }
}
