package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.contrastsecurity.sarif.Result;
import com.contrastsecurity.sarif.SarifSchema210;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.maven.plugin.surefire.log.api.NullConsoleLogger;
import org.apache.maven.plugins.surefire.report.ReportTestSuite;
import org.apache.maven.plugins.surefire.report.TestSuiteXmlParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** {@code vigil scan}: golden outputs, exit codes, and SARIF/JUnit read back by real parsers. */
class ScanCommandTest {
  private static final String NGINX = "src/test/resources/scan/nginx-deployment.yaml";
  private static final String HELM = "src/test/resources/scan/multi-doc-helm.yaml";

  @TempDir Path dir;

  @Test
  void textFindingsWithPositionsAndExitOne() throws IOException {
    Cli.Result r = Cli.run("scan", NGINX, HELM);
    assertThat(r.code()).isEqualTo(ExitCode.FINDINGS);
    Golden.check("scan-text.txt", r.out());
    assertThat(r.out()).contains(NGINX + ":17:11: error: [pss/allowPrivilegeEscalation]");
  }

  @Test
  void baselineAtAnOlderVersionPassesAndFailOnWarningFails() {
    assertThat(Cli.run("scan", NGINX, "--level", "baseline", "--psa-version", "v1.30").code())
        .isEqualTo(ExitCode.OK);
    assertThat(Cli.run("scan", NGINX, "--level", "baseline", "--fail-on", "warning").code())
        .isEqualTo(ExitCode.FINDINGS);
  }

  @Test
  void jsonHasPsaMessageAndFindings() throws IOException {
    Cli.Result r = Cli.run("scan", NGINX, "--json");
    Golden.check("scan.json", r.out());
    JsonNode w = new ObjectMapper().readTree(r.out()).get("files").get(0).get("workloads").get(0);
    assertThat(w.get("psa_message").asText())
        .startsWith(
            "violates PodSecurity \"restricted:latest\": allowPrivilegeEscalation != false");
    assertThat(w.get("findings").get(0).get("line").asInt()).isEqualTo(17);
  }

  @Test
  void sarifIsReadBackByASarifLibrary() throws IOException {
    Cli.Result r = Cli.run("scan", NGINX, HELM, "--format", "sarif");
    SarifSchema210 sarif = new ObjectMapper().readValue(r.out(), SarifSchema210.class);
    assertThat(sarif.getVersion().value()).isEqualTo("2.1.0");
    List<Result> results = sarif.getRuns().getFirst().getResults();
    assertThat(results).isNotEmpty();
    Result first = results.getFirst();
    assertThat(first.getRuleId()).isEqualTo("pss/allowPrivilegeEscalation");
    assertThat(first.getLevel().value()).isEqualTo("error");
    var loc = first.getLocations().getFirst().getPhysicalLocation();
    assertThat(loc.getArtifactLocation().getUri()).isEqualTo(NGINX);
    assertThat(loc.getRegion().getStartLine()).isEqualTo(17);
    assertThat(sarif.getRuns().getFirst().getTool().getDriver().getRules())
        .extracting(rule -> rule.getId())
        .contains("pss/runAsNonRoot", "imm/readOnlyRootFilesystem");
  }

  @Test
  void junitIsReadBySurefiresReportParser(@TempDir Path dir) throws Exception {
    Path rollout = dir.resolve("rollout.yaml"); // an info note, below --fail-on: no test case
    Files.writeString(
        rollout, "apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: {name: r}\n");
    Cli.Result r = Cli.run("scan", NGINX, HELM, rollout.toString(), "--format", "junit");
    List<ReportTestSuite> suites =
        new TestSuiteXmlParser(new NullConsoleLogger())
            .parse(
                new InputStreamReader(
                    new ByteArrayInputStream(r.out().getBytes(StandardCharsets.UTF_8)),
                    StandardCharsets.UTF_8));
    assertThat(suites).hasSize(3);
    assertThat(suites.getLast().getTestCases()).isEmpty();
    // the parser counts test cases itself; the counts written must agree with them
    NodeList written =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(new ByteArrayInputStream(r.out().getBytes(StandardCharsets.UTF_8)))
            .getElementsByTagName("testsuite");
    for (int i = 0; i < written.getLength(); i++) {
      Element suite = (Element) written.item(i);
      assertThat(suite.getAttribute("tests"))
          .as(suite.getAttribute("name"))
          .isEqualTo(String.valueOf(suite.getElementsByTagName("testcase").getLength()));
    }
    ReportTestSuite nginx = suites.getFirst();
    assertThat(nginx.getFullClassName()).isEqualTo(NGINX);
    assertThat(nginx.getNumberOfFailures()).isEqualTo(4);
    assertThat(nginx.getTestCases())
        .anySatisfy(
            tc -> assertThat(tc.getName()).isEqualTo("Deployment/shop/web pss/runAsNonRoot"));
  }

  @Test
  void fixPrintsFixedManifestsThatPass() throws IOException {
    Cli.Result r = Cli.run("scan", NGINX, "--fix");
    assertThat(r.code()).isEqualTo(ExitCode.OK);
    Golden.check("scan-fix.yaml", r.out());
    Path fixed = dir.resolve("fixed.yaml");
    Files.writeString(fixed, r.out());
    assertThat(Cli.run("scan", fixed.toString()).code()).isEqualTo(ExitCode.OK);
  }

  @Test
  void fixDiffJsonPatchAndWrite() throws IOException {
    Golden.check("scan-fix.diff", Cli.run("scan", NGINX, "--fix", "--diff").out());
    String patch = Cli.run("scan", NGINX, "--fix", "--json-patch").out();
    JsonNode ops = new ObjectMapper().readTree(patch).get(0).get("patch");
    assertThat(ops.get(0).get("op").asText()).isEqualTo("add");
    Path copy = dir.resolve("app.yaml");
    Files.copy(Path.of(HELM), copy);
    Cli.Result w = Cli.run("scan", copy.toString(), "--fix", "--write");
    assertThat(w.code()).isEqualTo(ExitCode.OK);
    assertThat(Files.readString(copy))
        .contains("# Source: app/templates/cronjob.yaml")
        .contains("readOnlyRootFilesystem: true");
  }

  @Test
  void exemptionsByAnnotationAndConfig() throws IOException {
    Path cfg = dir.resolve("vigil.yaml");
    Files.writeString(
        cfg, "exemptions:\n  - checks: [\"*\"]\n    namespaces: [shop]\n    reason: legacy shop\n");
    Cli.Result r = Cli.run("scan", NGINX, "--config", cfg.toString(), "--fail-on", "info");
    assertThat(r.code()).isEqualTo(ExitCode.OK);
    assertThat(r.out()).contains("exempted");
    Path annotated = dir.resolve("pod.yaml");
    Files.writeString(
        annotated,
        """
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
          annotations:
            vigil.dev/ignore: "*=debug pod"
        spec:
          containers: [{name: c, image: busybox}]
        """);
    assertThat(Cli.run("scan", annotated.toString()).code()).isEqualTo(ExitCode.OK);
  }
}
