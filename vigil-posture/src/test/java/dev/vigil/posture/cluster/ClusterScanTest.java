package dev.vigil.posture.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.posture.Exemptions;
import dev.vigil.posture.Finding;
import dev.vigil.posture.Scanner;
import dev.vigil.posture.pss.Level;
import dev.vigil.posture.pss.PsaVersion;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code scan --cluster} against a real HTTPS server on loopback serving recorded API lists. */
class ClusterScanTest {
  @TempDir Path dir;
  FakeApiServer api;

  static final String TOKEN_USER = "token: " + FakeApiServer.TOKEN;

  @BeforeEach
  void start() throws Exception {
    api = new FakeApiServer();
  }

  @AfterEach
  void stop() {
    api.close();
  }

  String caFile() {
    return "certificate-authority: " + FakeApiServer.pki("ca.crt");
  }

  /** What a scan reported: one line per finding ({@code location id}) and per clean workload. */
  record Outcome(List<String> lines, List<String> workloads, ClusterScan.Summary summary) {}

  Outcome scan(Path kubeconfig, String namespace, NamespacePolicies policies) throws Exception {
    Connection c = Kubeconfig.read(List.of(kubeconfig)).connect("");
    List<String> lines = new ArrayList<>();
    List<String> workloads = new ArrayList<>();
    try (KubeClient client = new KubeClient(c)) {
      ClusterScan scan =
          new ClusterScan(
              client,
              ns -> {
                NamespacePolicies.Policy p = policies.policy(ns);
                return new Scanner(new Scanner.Options(p.level(), p.version(), Exemptions.NONE));
              },
              namespace);
      ClusterScan.Summary summary =
          scan.run(
              new ClusterScan.Sink() {
                @Override
                public void begin(String name) {}

                @Override
                public void section(Scanner.SectionResult r) {
                  for (Scanner.WorkloadResult w : r.workloads()) {
                    workloads.add(w.workload().ref());
                    for (Finding f : w.findings()) {
                      lines.add(f.location() + " " + f.id());
                    }
                  }
                }

                @Override
                public void end() {}
              });
      return new Outcome(lines, workloads, summary);
    }
  }

  Outcome scanAll(Path kubeconfig) throws Exception {
    return scan(kubeconfig, "", NamespacePolicies.uniform(Level.RESTRICTED, PsaVersion.LATEST));
  }

  @Test
  void bearerTokenAndCaFileScanEveryKindThroughControllers() throws Exception {
    Outcome o = scanAll(api.kubeconfig(dir, caFile(), TOKEN_USER));
    assertThat(o.workloads())
        .containsExactly(
            "Deployment/shop/web",
            "Deployment/shop/api",
            "Deployment/monitoring/node-agent", // from the second page
            "StatefulSet/shop/db",
            "ReplicaSet/legacy/old-frontend", // not the one the Deployment owns
            "CronJob/shop/nightly-report", // not its Job
            "Pod/shop/debug-shell", // not the ReplicaSet's pod
            "Pod/kube-system/kube-apiserver-node-1", // a static pod: owned by a Node
            "Pod/shop/cache-0"); // owned by a custom controller: reported itself
    assertThat(o.summary().owned()).isEqualTo(3);
    assertThat(o.summary().objects()).isEqualTo(12);
    assertThat(o.lines())
        .contains(
            "shop/Deployment/web pss/allowPrivilegeEscalation",
            "shop/Deployment/web imm/readOnlyRootFilesystem",
            "monitoring/Deployment/node-agent pss/privileged",
            "shop/Pod/debug-shell pss/capabilities_restricted",
            "legacy/ReplicaSet/old-frontend imm/mutableImageTag")
        .noneMatch(l -> l.startsWith("shop/Deployment/api "))
        .noneMatch(l -> l.startsWith("shop/CronJob/"))
        .noneMatch(l -> l.contains(":")); // no file:line
    assertThat(api.requests)
        .contains("GET /apis/apps/v1/deployments?limit=500")
        .anyMatch(r -> r.startsWith("GET /apis/apps/v1/deployments?limit=500&continue=eyJ2"))
        .anyMatch(r -> r.startsWith("GET /api/v1/pods?limit=500&continue=eyJ2"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"client-rsa", "client-ec", "client-p8"})
  void clientCertificatesInEveryPemKeyFormatWithInlineCa(String name) throws Exception {
    String user =
        "client-certificate-data: "
            + b64("pki/" + name + ".crt")
            + "\nclient-key-data: "
            + b64("pki/" + name + ".key");
    Path kc = api.kubeconfig(dir, "certificate-authority-data: " + b64("pki/ca.crt"), user);
    assertThat(scanAll(kc).workloads()).hasSize(9);
  }

  @Test
  void clientCertificateFilesRelativeToTheKubeconfig() throws Exception {
    for (String f : List.of("ca.crt", "client-ec.crt", "client-ec.key")) {
      Files.copy(FakeApiServer.PKI.resolve(f), dir.resolve(f));
    }
    Path kc =
        api.kubeconfig(
            dir,
            "certificate-authority: ca.crt",
            "client-certificate: client-ec.crt\nclient-key: client-ec.key");
    assertThat(scanAll(kc).workloads()).hasSize(9);
  }

  @Test
  void tokenFile() throws Exception {
    Files.writeString(dir.resolve("token"), FakeApiServer.TOKEN + "\n");
    Path kc = api.kubeconfig(dir, caFile(), "tokenFile: token");
    assertThat(scanAll(kc).workloads()).hasSize(9);
  }

  @Test
  void wrongCaIsATlsErrorThatSaysSo() throws Exception {
    Path kc =
        api.kubeconfig(
            dir, "certificate-authority: " + FakeApiServer.pki("other-ca.crt"), TOKEN_USER);
    assertThatThrownBy(() -> scanAll(kc))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> assertThat(e.failure()).isEqualTo(ApiException.Failure.UNREACHABLE))
        .hasMessageContaining("cannot reach the API server " + api.url())
        .hasMessageContaining("TLS handshake failed")
        .hasMessageContaining("not signed by the kubeconfig's certificate-authority");
  }

  @Test
  void noCaAtAllTrustsOnlyPublicRootsSoTheTestCaFails() throws Exception {
    Path kc = api.kubeconfig(dir, "", TOKEN_USER);
    assertThatThrownBy(() -> scanAll(kc)).hasMessageContaining("TLS handshake failed");
  }

  @Test
  void insecureSkipTlsVerify() throws Exception {
    Path kc = api.kubeconfig(dir, "insecure-skip-tls-verify: true", TOKEN_USER);
    assertThat(scanAll(kc).workloads()).hasSize(9);
  }

  @Test
  void wrongTokenIs401WithTheStatusMessage() throws Exception {
    Path kc = api.kubeconfig(dir, caFile(), "token: not-the-token");
    assertThatThrownBy(() -> scanAll(kc))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> assertThat(e.failure()).isEqualTo(ApiException.Failure.UNAUTHORIZED))
        .hasMessageContaining("GET " + api.url() + "/apis/apps/v1/deployments?limit=500: 401")
        .hasMessageContaining("token or client certificate was not accepted");
  }

  @Test
  void untrustedClientCertificateIsRefused() throws Exception {
    Path kc =
        api.kubeconfig(
            dir,
            caFile(),
            "client-certificate: "
                + FakeApiServer.pki("rogue.crt")
                + "\nclient-key: "
                + FakeApiServer.pki("rogue.key"));
    assertThatThrownBy(() -> scanAll(kc)).isInstanceOf(ApiException.class);
  }

  @Test
  void forbiddenKindsAreSkippedWithTheApisMessage() throws Exception {
    api.forbidden.add("/api/v1/pods");
    Outcome o = scanAll(api.kubeconfig(dir, caFile(), TOKEN_USER));
    assertThat(o.workloads()).hasSize(6).noneMatch(w -> w.startsWith("Pod/"));
    assertThat(o.summary().skipped())
        .singleElement()
        .satisfies(e -> {
          assertThat(e.failure()).isEqualTo(ApiException.Failure.FORBIDDEN);
          assertThat(e.getMessage())
              .contains(
                  "403 Forbidden: pods is forbidden: User"
                      + " \"system:serviceaccount:ci:scanner\" cannot list resource \"pods\"");
        });
  }

  @Test
  void unservedKindIsSkipped() throws Exception {
    api.override =
        (p, q) ->
            p.equals("/apis/batch/v1/cronjobs")
                ? Optional.of(
                    FakeApiServer.status(
                        404, "NotFound", "the server could not find the requested resource"))
                : Optional.empty();
    Outcome o = scanAll(api.kubeconfig(dir, caFile(), TOKEN_USER));
    assertThat(o.summary().skipped())
        .singleElement()
        .extracting(ApiException::failure)
        .isEqualTo(ApiException.Failure.NOT_FOUND);
  }

  @Test
  void truncatedJsonIsABadResponse() throws Exception {
    byte[] full = Files.readAllBytes(FakeApiServer.API.resolve("apis/apps/v1/deployments.json"));
    byte[] half = Arrays.copyOf(full, full.length / 2);
    api.override =
        (p, q) ->
            p.equals("/apis/apps/v1/deployments")
                ? Optional.of(new FakeApiServer.Answer(200, "application/json", half))
                : Optional.empty();
    assertThatThrownBy(() -> scanAll(api.kubeconfig(dir, caFile(), TOKEN_USER)))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> assertThat(e.failure()).isEqualTo(ApiException.Failure.BAD_RESPONSE))
        .hasMessageContaining("invalid or truncated JSON")
        .hasMessageContaining("at byte");
  }

  @Test
  void nonJsonBodyIsABadResponseWithAPreview() throws Exception {
    byte[] html = "<html><body>502 Bad Gateway</body></html>".getBytes(StandardCharsets.UTF_8);
    api.override = (p, q) -> Optional.of(new FakeApiServer.Answer(200, "text/html", html));
    assertThatThrownBy(() -> scanAll(api.kubeconfig(dir, caFile(), TOKEN_USER)))
        .hasMessageContaining("expected application/json, got text/html")
        .hasMessageContaining("502 Bad Gateway");
  }

  @Test
  void jsonThatIsNotAListIsABadResponse() throws Exception {
    byte[] body = "[1,2,3]".getBytes(StandardCharsets.UTF_8);
    api.override = (p, q) -> Optional.of(new FakeApiServer.Answer(200, "application/json", body));
    assertThatThrownBy(() -> scanAll(api.kubeconfig(dir, caFile(), TOKEN_USER)))
        .hasMessageContaining("the body is not a JSON object");
  }

  @Test
  void expiredContinueTokenIs410() throws Exception {
    api.override =
        (p, q) ->
            q.containsKey("continue")
                ? Optional.of(
                    FakeApiServer.status(
                        410,
                        "Expired",
                        "The provided continue parameter is too old to display a consistent"
                            + " list result."))
                : Optional.empty();
    assertThatThrownBy(() -> scanAll(api.kubeconfig(dir, caFile(), TOKEN_USER)))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> assertThat(e.failure()).isEqualTo(ApiException.Failure.EXPIRED))
        .hasMessageContaining("410 Gone: The provided continue parameter is too old")
        .hasMessageContaining("scan again");
  }

  @Test
  void sameContinueTokenTwiceStopsInsteadOfLooping() throws Exception {
    byte[] body =
        "{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"metadata\":{\"continue\":\"again\"},\"items\":[]}"
            .getBytes(StandardCharsets.UTF_8);
    api.override =
        (p, q) ->
            p.equals("/api/v1/pods")
                ? Optional.of(new FakeApiServer.Answer(200, "application/json", body))
                : Optional.empty();
    assertThatThrownBy(() -> scanAll(api.kubeconfig(dir, caFile(), TOKEN_USER)))
        .hasMessageContaining("the same continue token again");
  }

  @Test
  void hugeListsAreStreamedPageByPage() throws Exception {
    int pages = 20;
    int perPage = 2_000;
    api.override =
        (p, q) -> {
          if (!p.equals("/api/v1/pods")) {
            return Optional.empty();
          }
          int page = Integer.parseInt(q.getOrDefault("continue", "0"));
          return Optional.of(
              new FakeApiServer.Answer(
                  200, "application/json", podPage(page, perPage, page + 1 < pages)));
        };
    Outcome o = scanAll(api.kubeconfig(dir, caFile(), TOKEN_USER));
    assertThat(o.workloads().stream().filter(w -> w.startsWith("Pod/bulk/")).count())
        .isEqualTo((long) pages * perPage);
    assertThat(api.requests.stream().filter(r -> r.startsWith("GET /api/v1/pods")).count())
        .isEqualTo(pages);
  }

  static byte[] podPage(int page, int n, boolean more) {
    StringBuilder b = new StringBuilder();
    b.append("{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"9\"");
    if (more) {
      b.append(",\"continue\":\"").append(page + 1).append('"');
    }
    b.append("},\"items\":[");
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        b.append(',');
      }
      b.append("{\"metadata\":{\"name\":\"p-")
          .append(page)
          .append('-')
          .append(i)
          .append("\",\"namespace\":\"bulk\"},\"spec\":{\"containers\":[{\"name\":\"c\",")
          .append("\"image\":\"busybox:1.37\"}]},\"status\":{\"phase\":\"Pending\"}}");
    }
    return b.append("]}").toString().getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void unreachableServer() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path kc = dir.resolve("kc");
    Files.writeString(
        kc,
        """
        current-context: x
        clusters: [{name: c, cluster: {server: "https://127.0.0.1:%d", insecure-skip-tls-verify: true}}]
        users: [{name: u, user: {token: t}}]
        contexts: [{name: x, context: {cluster: c, user: u}}]
        """
            .formatted(port));
    assertThatThrownBy(() -> scanAll(kc))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> assertThat(e.failure()).isEqualTo(ApiException.Failure.UNREACHABLE))
        .hasMessageContaining("connection refused");
  }

  @Test
  void oneNamespaceUsesNamespacedPaths() throws Exception {
    Outcome o =
        scan(
            api.kubeconfig(dir, caFile(), TOKEN_USER),
            "shop",
            NamespacePolicies.uniform(Level.RESTRICTED, PsaVersion.LATEST));
    assertThat(o.workloads())
        .containsExactly(
            "Deployment/shop/web",
            "Deployment/shop/api",
            "StatefulSet/shop/db",
            "CronJob/shop/nightly-report",
            "Pod/shop/debug-shell",
            "Pod/shop/cache-0");
    assertThat(api.requests)
        .contains("GET /apis/apps/v1/namespaces/shop/deployments?limit=500")
        .noneMatch(r -> r.startsWith("GET /apis/apps/v1/deployments"));
  }

  @Test
  void namespaceLabelsChooseTheLevelAsPsaDoes() throws Exception {
    Path kc = api.kubeconfig(dir, caFile(), TOKEN_USER);
    List<String> warnings = new ArrayList<>();
    NamespacePolicies policies;
    try (KubeClient c = new KubeClient(Kubeconfig.read(List.of(kc)).connect(""))) {
      policies =
          NamespacePolicies.read(
              c,
              "",
              new NamespacePolicies.Policy(Level.RESTRICTED, PsaVersion.LATEST, false),
              warnings::add);
    }
    assertThat(policies.policy("shop"))
        .isEqualTo(new NamespacePolicies.Policy(Level.BASELINE, PsaVersion.of(30), true));
    assertThat(policies.policy("monitoring").level()).isEqualTo(Level.PRIVILEGED);
    assertThat(policies.policy("kube-system").labelled()).isFalse();
    assertThat(policies.policy("legacy").level()).isEqualTo(Level.RESTRICTED);
    assertThat(warnings)
        .containsExactly(
            "namespace legacy: pod-security.kubernetes.io/enforce=Strict is not a level;"
                + " checking it as restricted");
    Outcome o = scan(kc, "", policies);
    assertThat(o.lines())
        .noneMatch(l -> l.startsWith("monitoring/") && l.contains(" pss/")) // privileged
        .contains("monitoring/Deployment/node-agent imm/privileged")
        .contains("shop/Pod/debug-shell pss/capabilities_baseline")
        .noneMatch(l -> l.startsWith("shop/") && l.endsWith(" pss/allowPrivilegeEscalation"));
  }

  private static String b64(String resource) throws IOException {
    return java.util.Base64.getEncoder()
        .encodeToString(Files.readAllBytes(Path.of("src/test/resources/cluster", resource)));
  }
}
