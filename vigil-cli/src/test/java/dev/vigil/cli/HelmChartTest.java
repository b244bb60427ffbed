package dev.vigil.cli;

import static dev.vigil.cli.PackagingTest.at;
import static dev.vigil.cli.PackagingTest.kind;
import static dev.vigil.cli.PackagingTest.list;
import static dev.vigil.cli.PackagingTest.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import dev.vigil.cli.daemon.ConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The Helm chart, rendered and linted by Helm's own library (helm-java bundles it): with its
 * defaults it must give exactly the pod of the plain manifests (which {@link PackagingTest} checks
 * for privileges, capabilities, mounts, ports and probes), and its values must do what they say.
 */
class HelmChartTest {
  static final Path CHART = PackagingTest.ROOT.resolve("helm/vigil");

  /** Helm renders for v1.20 unless told; the chart requires 1.26 or later. */
  static final String KUBE = "v1.34.0";

  @TempDir Path tmp;

  static List<Map<String, Object>> render(UnaryOperator<TemplateCommand> values) {
    String out =
        values
            .apply(
                new Helm(CHART)
                    .template()
                    .withName("vigil")
                    .withNamespace("vigil")
                    .withKubeVersion(KUBE))
            .call();
    List<Map<String, Object>> docs = new ArrayList<>();
    for (Object d : new Load(LoadSettings.builder().build()).loadAllFromString(out)) {
      if (d != null) {
        docs.add(map(d));
      }
    }
    return docs;
  }

  static List<Map<String, Object>> plain() throws IOException {
    return PackagingTest.documents(PackagingTest.ROOT.resolve("kubernetes/vigil.yaml"));
  }

  @Test
  void helmLintsTheChartCleanInStrictMode() {
    LintResult r = new Helm(CHART).lint().strict().call();
    assertThat(r.isFailed()).as(String.join("\n", r.getMessages())).isFalse();
  }

  @Test
  void theDefaultsRenderThePodOfThePlainManifests() throws IOException {
    List<Map<String, Object>> chart = render(t -> t);
    List<Map<String, Object>> plain = plain();
    assertThat(at(kind(chart, "DaemonSet", "vigil"), "spec", "template", "spec"))
        .isEqualTo(at(kind(plain, "DaemonSet", "vigil"), "spec", "template", "spec"));
    for (String k : List.of("ClusterRole", "ClusterRoleBinding")) {
      Map<String, Object> c = kind(chart, k, "vigil");
      Map<String, Object> p = kind(plain, k, "vigil");
      for (String field : List.of("rules", "roleRef", "subjects")) {
        assertThat(c.get(field)).as(k + "." + field).isEqualTo(p.get(field));
      }
    }
    for (String svc : List.of("vigil-k8saudit", "vigil-metrics")) {
      Map<String, Object> c = at(kind(chart, "Service", svc), "spec");
      Map<String, Object> p = at(kind(plain, "Service", svc), "spec");
      assertThat(c.get("ports")).as(svc).isEqualTo(p.get("ports"));
      assertThat(c.get("type")).as(svc).isEqualTo(p.get("type"));
    }
    // selectors select the DaemonSet's pods
    Map<String, Object> ds = kind(chart, "DaemonSet", "vigil");
    Map<String, Object> podLabels = at(ds, "spec", "template", "metadata", "labels");
    assertThat(podLabels).containsAllEntriesOf(at(ds, "spec", "selector", "matchLabels"));
    assertThat(podLabels)
        .containsAllEntriesOf(at(kind(chart, "Service", "vigil-k8saudit"), "spec", "selector"));
    assertThat(kind(chart, "ServiceAccount", "vigil")).isNotNull();
  }

  @Test
  void theConfigurationIsThePlainManifestsAndChecksClean() throws IOException {
    Load load = new Load(LoadSettings.builder().build());
    String chart =
        (String) at(kind(render(t -> t), "ConfigMap", "vigil-config"), "data").get("vigil.yaml");
    String plain =
        (String) at(kind(plain(), "ConfigMap", "vigil-config"), "data").get("vigil.yaml");
    assertThat(load.loadFromString(chart)).isEqualTo(load.loadFromString(plain));
    Path p = tmp.resolve("vigil.yaml");
    Files.writeString(p, chart);
    ConfigLoader.Result r =
        ConfigLoader.load(Optional.of(p), List.of("webserver.listen_address=10.1.2.3"));
    assertThat(r.diagnostics()).isEmpty();
    assertThat(at(kind(render(t -> t), "ConfigMap", "vigil-rules"), "data"))
        .containsOnlyKeys("local_rules.yaml");
  }

  @Test
  void valuesDoWhatTheySay() {
    List<Map<String, Object>> docs =
        render(t ->
            t.set("image.registry", "registry.example")
                .set("image.repository", "sec/vigil")
                .set("image.tag", "1.2.3")
                .set("vigil.webserver.listen_port", 9999)
                .set("vigil.json_output", false)
                .set("extra.args[0]", "-o")
                .set("extra.args[1]", "priority=warning")
                .set("extra.env[0].name", "EXTRA")
                .set("extra.env[0].value", "on")
                .set("mounts.volumes[0].name", "certs")
                .set("mounts.volumes[0].secret.secretName", "vigil-webhook-tls")
                .set("mounts.volumeMounts[0].name", "certs")
                .set("mounts.volumeMounts[0].mountPath", "/etc/vigil/tls")
                .set("k8sAudit.service.enabled", false)
                .set("customRules.extra\\.yaml", "- list: x\n  items: [a]\n"));
    Map<String, Object> ds = kind(docs, "DaemonSet", "vigil");
    Map<String, Object> c = map(list(at(ds, "spec", "template", "spec").get("containers")).get(0));
    assertThat(c.get("image")).isEqualTo("registry.example/sec/vigil:1.2.3");
    assertThat(list(c.get("args"))).endsWith("-o", "priority=warning");
    assertThat(map(list(c.get("ports")).get(0)).get("containerPort")).isEqualTo(9999);
    assertThat(list(c.get("env"))).contains(Map.of("name", "EXTRA", "value", "on"));
    assertThat(list(c.get("volumeMounts")))
        .contains(Map.of("name", "certs", "mountPath", "/etc/vigil/tls"));
    assertThat(list(at(ds, "spec", "template", "spec").get("volumes")))
        .contains(Map.of("name", "certs", "secret", Map.of("secretName", "vigil-webhook-tls")));
    assertThat(docs.stream().filter(d -> "Service".equals(d.get("kind"))))
        .extracting(d -> at(d, "metadata").get("name"))
        .containsExactly("vigil-metrics");
    Map<String, Object> rules = at(kind(docs, "ConfigMap", "vigil-rules"), "data");
    assertThat(rules).containsEntry("extra.yaml", "- list: x\n  items: [a]\n");
    // a change of configuration changes the pods' checksum, so they roll
    Object before =
        at(
                kind(render(t -> t), "DaemonSet", "vigil"),
                "spec",
                "template",
                "metadata",
                "annotations")
            .get("checksum/config");
    assertThat(at(ds, "spec", "template", "metadata", "annotations").get("checksum/config"))
        .isNotNull()
        .isNotEqualTo(before);
  }

  @Test
  void anotherReleaseNameNamesEverythingAfterIt() {
    String out =
        new Helm(CHART)
            .template()
            .withName("edge")
            .withNamespace("sec")
            .withKubeVersion(KUBE)
            .call();
    List<Map<String, Object>> docs = new ArrayList<>();
    new Load(LoadSettings.builder().build()).loadAllFromString(out).forEach(d -> docs.add(map(d)));
    Map<String, Object> ds = kind(docs, "DaemonSet", "edge-vigil");
    assertThat(at(ds, "metadata").get("namespace")).isEqualTo("sec");
    Map<String, Object> binding = kind(docs, "ClusterRoleBinding", "edge-vigil");
    assertThat(map(list(binding.get("subjects")).get(0)))
        .containsEntry("name", "edge-vigil")
        .containsEntry("namespace", "sec");
  }

  @Test
  void tooOldAClusterIsRefused() {
    assertThatThrownBy(
            () -> new Helm(CHART).template().withName("v").withKubeVersion("v1.25.0").call())
        .hasMessageContaining("kubeVersion");
  }

  @Test
  void aServiceAccountThatIsNotCreatedMustBeNamed() {
    assertThatThrownBy(() -> render(t -> t.set("serviceAccount.create", false)))
        .hasMessageContaining("serviceAccount.name is required");
  }
}
