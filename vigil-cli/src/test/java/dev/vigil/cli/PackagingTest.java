package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.cli.daemon.ConfigLoader;
import dev.vigil.cli.daemon.DaemonConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** The packaging parsed and checked: the systemd unit, the Kubernetes manifests, the configs. */
class PackagingTest {
  static final Path ROOT = Path.of(System.getProperty("vigil.root", "..")).resolve("packaging");

  @TempDir Path tmp;

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(@Nullable Object o) {
    assertThat(o).isNotNull();
    return (Map<String, Object>) java.util.Objects.requireNonNull(o);
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(@Nullable Object o) {
    assertThat(o).isNotNull();
    return (List<Object>) java.util.Objects.requireNonNull(o);
  }

  static int num(@Nullable Object o) {
    assertThat(o).isInstanceOf(Number.class);
    return ((Number) java.util.Objects.requireNonNull(o)).intValue();
  }

  static Map<String, Object> at(Map<String, Object> m, String... path) {
    Map<String, Object> cur = m;
    for (String p : path) {
      cur = map(cur.get(p));
    }
    return cur;
  }

  static List<Map<String, Object>> documents(Path p) throws IOException {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Object d :
        new Load(LoadSettings.builder().build()).loadAllFromString(Files.readString(p))) {
      if (d != null) {
        out.add(map(d));
      }
    }
    return out;
  }

  static Map<String, Object> kind(List<Map<String, Object>> docs, String kind, String name) {
    return docs.stream()
        .filter(d -> kind.equals(d.get("kind")) && name.equals(at(d, "metadata").get("name")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
  }

  @Test
  void theDaemonSetHasWhatTheProbeNeedsAndNoMore() throws IOException {
    List<Map<String, Object>> docs = documents(ROOT.resolve("kubernetes/vigil.yaml"));
    Map<String, Object> ds = kind(docs, "DaemonSet", "vigil");
    Map<String, Object> pod = at(ds, "spec", "template", "spec");
    assertThat(pod.get("hostPID")).isEqualTo(true);
    assertThat(pod.get("hostNetwork")).isNull();
    assertThat(pod.get("serviceAccountName")).isEqualTo("vigil");
    assertThat(list(pod.get("tolerations")).stream().map(t -> map(t).get("key")))
        .contains("node-role.kubernetes.io/control-plane");
    Map<String, Object> c = map(list(pod.get("containers")).getFirst());
    Map<String, Object> sc = at(c, "securityContext");
    assertThat(sc.get("privileged")).isEqualTo(false);
    assertThat(sc.get("allowPrivilegeEscalation")).isEqualTo(false);
    assertThat(sc.get("readOnlyRootFilesystem")).isEqualTo(true);
    assertThat(at(sc, "capabilities").get("drop")).isEqualTo(List.of("ALL"));
    assertThat(list(at(sc, "capabilities").get("add")))
        .containsExactlyInAnyOrder("BPF", "PERFMON", "SYS_RESOURCE", "SYS_PTRACE");

    Map<String, Integer> ports = new LinkedHashMap<>();
    list(c.get("ports"))
        .forEach(p -> ports.put((String) map(p).get("name"), num(map(p).get("containerPort"))));
    assertThat(ports).containsEntry("web", 8765).containsEntry("k8saudit", 9765);
    for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
      Map<String, Object> get = at(c, probe, "httpGet");
      assertThat(get.get("path")).as(probe).isEqualTo("/healthz");
      assertThat(ports).as(probe).containsKey((String) get.get("port"));
    }
    Map<String, String> mounts = new LinkedHashMap<>();
    list(c.get("volumeMounts"))
        .forEach(m ->
            mounts.put((String) map(m).get("mountPath"), String.valueOf(map(m).get("readOnly"))));
    assertThat(mounts)
        .containsEntry("/sys/kernel/btf", "true")
        .containsEntry("/etc/vigil/vigil.yaml", "true")
        .containsEntry("/etc/vigil/rules.d", "true")
        .containsKey("/var/lib/vigil")
        .containsKey("/tmp");
    // the web endpoints listen on the pod IP, so the kubelet's probes reach them
    assertThat(list(c.get("args"))).contains("webserver.listen_address=$(POD_IP)");
    assertThat(list(c.get("env")).stream().map(e -> map(e)))
        .anyMatch(e ->
            "POD_IP".equals(e.get("name"))
                && "status.podIP".equals(at(e, "valueFrom", "fieldRef").get("fieldPath")))
        .anyMatch(e -> "FALCO_HOSTNAME".equals(e.get("name")));

    Map<String, Object> role = kind(docs, "ClusterRole", "vigil");
    for (Object r : list(role.get("rules"))) {
      assertThat(list(map(r).get("verbs"))).isSubsetOf("get", "list", "watch");
    }
    Map<String, Object> binding = kind(docs, "ClusterRoleBinding", "vigil");
    assertThat(map(list(binding.get("subjects")).getFirst()).get("name")).isEqualTo("vigil");
  }

  @Test
  void theConfigMapIsAValidConfigurationMatchingTheManifests() throws IOException {
    List<Map<String, Object>> docs = documents(ROOT.resolve("kubernetes/vigil.yaml"));
    String yaml = (String) at(kind(docs, "ConfigMap", "vigil-config"), "data").get("vigil.yaml");
    Path p = tmp.resolve("vigil.yaml");
    Files.writeString(p, yaml);
    ConfigLoader.Result r =
        ConfigLoader.load(Optional.of(p), List.of("webserver.listen_address=10.1.2.3"));
    assertThat(r.diagnostics()).isEmpty();
    DaemonConfig c = r.config().orElseThrow();
    assertThat(c.webserver().port()).isEqualTo(8765);
    assertThat(c.webserver().healthzPath()).isEqualTo("/healthz");
    assertThat(c.webserver().prometheusMetrics()).isTrue();
    // the webhook stays off until it is given a certificate (commented out in the ConfigMap)
    assertThat(c.k8sAudit().webhookListen()).isEmpty();

    Map<String, Object> svc = kind(docs, "Service", "vigil-k8saudit");
    Map<String, Object> port = map(list(at(svc, "spec").get("ports")).getFirst());
    assertThat(port.get("targetPort")).isEqualTo("k8saudit");
    assertThat(at(svc, "spec", "selector"))
        .isEqualTo(at(kind(docs, "DaemonSet", "vigil"), "spec", "selector", "matchLabels"));

    // kube-apiserver's webhook kubeconfig points at that NodePort and the configured path
    Map<String, Object> kubeconfig =
        documents(ROOT.resolve("kubernetes/audit-webhook-kubeconfig.yaml")).getFirst();
    assertThat(kubeconfig.get("kind")).isEqualTo("Config");
    URI server =
        URI.create(
            (String) at(map(list(kubeconfig.get("clusters")).getFirst()), "cluster").get("server"));
    assertThat(server.getPort()).isEqualTo(num(port.get("nodePort")));
    assertThat(server.getPath()).isEqualTo(c.k8sAudit().webhookPath());
    assertThat(map(list(kubeconfig.get("contexts")).getFirst()).get("name"))
        .isEqualTo(kubeconfig.get("current-context"));
  }

  @Test
  void theSystemdUnitRunsTheDaemonWithReloadAndTheJournal() throws IOException {
    Map<String, String> unit = new LinkedHashMap<>();
    String section = "";
    for (String line : Files.readAllLines(ROOT.resolve("systemd/vigil.service"))) {
      String l = line.strip();
      if (l.startsWith("[")) {
        section = l;
      } else if (!l.isEmpty() && !l.startsWith("#")) {
        int eq = l.indexOf('=');
        assertThat(eq).as(line).isPositive();
        unit.put(section + l.substring(0, eq), l.substring(eq + 1));
      }
    }
    assertThat(unit.get("[Service]ExecStart"))
        .isEqualTo("/opt/vigil/bin/vigil run -c /etc/vigil/vigil.yaml");
    assertThat(unit.get("[Service]ExecReload")).isEqualTo("/bin/kill -HUP $MAINPID");
    assertThat(unit.get("[Service]StandardOutput")).isEqualTo("journal");
    assertThat(unit.get("[Service]Restart")).isEqualTo("on-failure");
    assertThat(unit.get("[Service]StateDirectory")).isEqualTo("vigil");
    assertThat(unit.get("[Install]WantedBy")).isEqualTo("multi-user.target");
  }

  @Test
  void theShippedConfigurationChecksClean() {
    Cli.Result r = Cli.run("config", "check", "-c", ROOT.resolve("vigil.yaml").toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains(": Ok").contains("outputs: stdout, store");
  }

  @Test
  void theAdmissionWebhookCoversEveryWorkloadKindAndPassesItsOwnCheck() throws IOException {
    Path file = ROOT.resolve("kubernetes/admission-webhook.yaml");
    List<Map<String, Object>> docs = documents(file);
    Map<String, Object> hook =
        map(
            list(kind(docs, "ValidatingWebhookConfiguration", "vigil-pod-security").get("webhooks"))
                .getFirst());
    assertThat(list(hook.get("admissionReviewVersions"))).contains("v1");
    assertThat(hook.get("sideEffects")).isEqualTo("None");
    List<Object> resources = new ArrayList<>();
    for (Object r : list(hook.get("rules"))) {
      assertThat(list(map(r).get("operations"))).containsExactlyInAnyOrder("CREATE", "UPDATE");
      resources.addAll(list(map(r).get("resources")));
    }
    assertThat(resources)
        .containsExactlyInAnyOrder(
            "pods",
            "pods/ephemeralcontainers",
            "replicationcontrollers",
            "podtemplates",
            "deployments",
            "replicasets",
            "statefulsets",
            "daemonsets",
            "jobs",
            "cronjobs");
    Map<String, Object> svc = at(hook, "clientConfig", "service");
    assertThat(svc.get("path")).isEqualTo("/validate");
    assertThat(num(svc.get("port"))).isEqualTo(443);

    Map<String, Object> pod =
        at(kind(docs, "Deployment", "vigil-admission"), "spec", "template", "spec");
    Map<String, Object> c = map(list(pod.get("containers")).getFirst());
    List<Object> args = list(c.get("args"));
    assertThat(args).startsWith("scan", "--admission-webhook");
    String secret =
        (String) at(kind(docs, "Certificate", "vigil-admission"), "spec").get("secretName");
    Map<String, Object> tls =
        list(pod.get("volumes")).stream()
            .map(v -> map(v))
            .filter(v -> "tls".equals(v.get("name")))
            .findFirst()
            .orElseThrow();
    assertThat(at(tls, "secret").get("secretName")).isEqualTo(secret);
    assertThat(args).contains("/etc/vigil/tls/tls.crt", "/etc/vigil/tls/tls.key");

    Cli.Result r = Cli.run("scan", file.toString(), "--level", "restricted");
    assertThat(r.code()).as(r.out() + r.err()).isZero();
  }
}
