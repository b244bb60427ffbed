package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.contrastsecurity.sarif.Result;
import com.contrastsecurity.sarif.SarifSchema210;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.posture.cluster.FakeApiServer;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.maven.plugin.surefire.log.api.NullConsoleLogger;
import org.apache.maven.plugins.surefire.report.ReportTestSuite;
import org.apache.maven.plugins.surefire.report.TestSuiteXmlParser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vigil scan --cluster} end to end: every format, exit codes, errors on stderr. */
class ScanClusterTest {
  @TempDir Path dir;
  FakeApiServer api;
  Path kubeconfig;

  @BeforeEach
  void start() throws Exception {
    api = new FakeApiServer();
    kubeconfig =
        api.kubeconfig(
            dir,
            "certificate-authority: " + FakeApiServer.pki("ca.crt"),
            "token: " + FakeApiServer.TOKEN);
  }

  @AfterEach
  void stop() {
    api.close();
  }

  Cli.Result scan(String... more) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of("scan", "--cluster", "--kubeconfig", kubeconfig.toString()));
    args.addAll(List.of(more));
    return Cli.run(args.toArray(String[]::new));
  }

  @Test
  void textLocatesFindingsAtNamespaceKindName() {
    Cli.Result r = scan("--level", "restricted");
    assertThat(r.code()).isEqualTo(ExitCode.FINDINGS);
    assertThat(r.out())
        .contains(
            "shop/Deployment/web: error: [pss/allowPrivilegeEscalation] allowPrivilegeEscalation"
                + " != false (container \"nginx\" must set"
                + " securityContext.allowPrivilegeEscalation=false) (Deployment/shop/web)")
        .doesNotContain("web-7d9c6b5f4")
        .doesNotContain(" | ") // no source snippets
        .contains("9 workloads in cluster test: ");
    assertThat(r.err())
        .contains("3 of 12 objects are owned by a controller and were checked through it");
  }

  @Test
  void namespaceLabelsWithoutLevel() {
    Cli.Result r = scan("--json");
    assertThat(r.err())
        .contains(
            "vigil: namespace legacy: pod-security.kubernetes.io/enforce=Strict is not a level;");
    assertThat(r.out())
        .contains("\"psa_message\" : \"violates PodSecurity \\\"baseline:v1.30\\\": ")
        .doesNotContain("monitoring/Deployment/node-agent\",\n      \"psa_allowed\" : false");
  }

  @Test
  void jsonNamesObjectsNotFiles() throws Exception {
    Cli.Result r = scan("--level", "baseline", "--json");
    JsonNode root = new ObjectMapper().readTree(r.out());
    assertThat(root.get("cluster").asText()).isEqualTo("test");
    JsonNode files = root.get("files");
    assertThat(files.get(0).get("name").asText())
        .isEqualTo(api.url() + "/apis/apps/v1/deployments");
    JsonNode agent = files.get(0).get("workloads").get(2);
    assertThat(agent.get("object").asText()).isEqualTo("monitoring/Deployment/node-agent");
    assertThat(agent.has("line")).isFalse();
    assertThat(agent.get("findings").get(0).get("object").asText())
        .isEqualTo("monitoring/Deployment/node-agent");
    assertThat(agent.get("findings").get(0).has("file")).isFalse();
  }

  @Test
  void sarifHasLogicalLocationsOnly() throws Exception {
    Cli.Result r = scan("--format", "sarif");
    SarifSchema210 sarif = new ObjectMapper().readValue(r.out(), SarifSchema210.class);
    List<Result> results = sarif.getRuns().getFirst().getResults();
    assertThat(results).isNotEmpty();
    var loc = results.getFirst().getLocations().getFirst();
    assertThat(loc.getPhysicalLocation()).isNull();
    assertThat(loc.getLogicalLocations().iterator().next().getFullyQualifiedName())
        .isEqualTo("shop/Deployment/web");
  }

  @Test
  void junitSuitePerResource() throws Exception {
    Cli.Result r = scan("--format", "junit");
    Path xml = dir.resolve("report.xml");
    Files.writeString(xml, r.out());
    List<ReportTestSuite> suites =
        new TestSuiteXmlParser(new NullConsoleLogger())
            .parse(
                new InputStreamReader(
                    new ByteArrayInputStream(r.out().getBytes(StandardCharsets.UTF_8)),
                    StandardCharsets.UTF_8));
    assertThat(suites).hasSize(9);
    assertThat(suites.getFirst().getFullClassName())
        .isEqualTo(api.url() + "/apis/apps/v1/deployments");
    assertThat(suites.getFirst().getNumberOfFailures()).isGreaterThan(0);
  }

  @Test
  void oneNamespace() {
    Cli.Result r = scan("-n", "shop", "--level", "baseline");
    assertThat(r.out()).contains("6 workloads in cluster test");
  }

  @Test
  void forbiddenKindIsExitTwoAfterTheReport() {
    api.forbidden.add("/api/v1/pods");
    Cli.Result r = scan("--level", "restricted");
    assertThat(r.code()).isEqualTo(ExitCode.USAGE);
    assertThat(r.out()).contains("6 workloads in cluster test");
    assertThat(r.err()).contains("vigil: error: not scanned: GET ").contains("403 Forbidden");
  }

  @Test
  void unreachableIsExitThreeAndJsonStillCloses() throws Exception {
    api.override =
        (p, q) ->
            p.equals("/apis/batch/v1/cronjobs")
                ? Optional.of(
                    new FakeApiServer.Answer(
                        200, "application/json", "{\"items\":[".getBytes(StandardCharsets.UTF_8)))
                : Optional.empty();
    Cli.Result r = scan("--level", "restricted", "--json");
    assertThat(r.code()).isEqualTo(ExitCode.RUNTIME);
    assertThat(r.err()).contains("bad response").contains("invalid or truncated JSON");
    assertThat(new ObjectMapper().readTree(r.out()).get("files")).isNotEmpty();
  }

  @Test
  void wrongTokenIsExitTwo() throws Exception {
    kubeconfig =
        api.kubeconfig(
            dir, "certificate-authority: " + FakeApiServer.pki("ca.crt"), "token: wrong");
    Cli.Result r = scan();
    assertThat(r.code()).isEqualTo(ExitCode.USAGE);
    assertThat(r.err()).contains("401 Unauthorized");
  }

  @Test
  void badKubeconfigAndBadUsage() throws Exception {
    Files.writeString(kubeconfig, "clusters: [\n");
    Cli.Result bad = scan();
    assertThat(bad.code()).isEqualTo(ExitCode.FINDINGS);
    assertThat(bad.err()).contains(kubeconfig + ":2:1: invalid YAML");
    Cli.Result missing =
        Cli.run("scan", "--cluster", "--kubeconfig", dir.resolve("nope").toString());
    assertThat(missing.code()).isEqualTo(ExitCode.USAGE);
    assertThat(missing.err()).contains("nope: cannot read kubeconfig: no such file");
    assertThat(Cli.run("scan").err()).contains("give manifests to scan");
    assertThat(Cli.run("scan", "x.yaml", "--cluster").code()).isEqualTo(ExitCode.USAGE);
    assertThat(Cli.run("scan", "x.yaml", "-n", "shop").err()).contains("go with --cluster");
    assertThat(Cli.run("scan", "--cluster", "--fix").code()).isEqualTo(ExitCode.USAGE);
  }

  @Test
  void admissionWebhookUsageErrors() {
    Cli.Result noCert =
        Cli.run("scan", "--admission-webhook", "--cert", "/nope.crt", "--key", "/nope.key");
    assertThat(noCert.code()).isEqualTo(ExitCode.USAGE);
    assertThat(noCert.err()).contains("cannot read /nope.crt: no such file");
    Cli.Result listen =
        Cli.run("scan", "--admission-webhook", "--cert", "a", "--key", "b", "--listen", "nowhere");
    assertThat(listen.code()).isEqualTo(ExitCode.USAGE);
    assertThat(listen.err()).contains("--listen must be ADDR:PORT");
  }

  @Test
  void admissionWebhookPortInUseIsExitThree() throws Exception {
    Path pki = Path.of("src/test/resources/admission/pki");
    try (java.net.ServerSocket taken =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      Cli.Result r =
          org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
              java.time.Duration.ofSeconds(60),
              () ->
                  Cli.run(
                      "scan",
                      "--admission-webhook",
                      "--cert",
                      pki.resolve("server.crt").toString(),
                      "--key",
                      pki.resolve("server.key").toString(),
                      "--listen",
                      "127.0.0.1:" + taken.getLocalPort()));
      assertThat(r.code()).isEqualTo(ExitCode.RUNTIME);
      assertThat(r.err()).contains("cannot listen on 127.0.0.1:" + taken.getLocalPort());
    }
  }
}
