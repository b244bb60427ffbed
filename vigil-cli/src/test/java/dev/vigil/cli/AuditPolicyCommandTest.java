package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vigil audit policy check|lint|simulate|explain}: exit codes, outputs, formats. */
class AuditPolicyCommandTest {
  static final String GCE =
      AuditCli.corpus("policies/upstream/gce-configure-helper-master-audit-policy.yaml");
  static final String DATADOG = AuditCli.corpus("policies/tools/datadog-docs-audit-policy.yaml");
  static final String STAGE_TYPO = AuditCli.corpus("policies/lint/02-stage-typo.yaml");
  static final String GROUP_STAR = AuditCli.corpus("policies/lint/22-group-star.yaml");
  static final String SYNTHETIC = AuditCli.corpus("events/synthetic/vigil-synthetic-events.jsonl");
  @TempDir Path dir;

  @Test
  void checkSaysWhatKubeApiserverDoes() {
    AuditCli ok = AuditCli.run("audit", "policy", "check", GCE);
    assertThat(ok.code()).isZero();
    assertThat(ok.out()).isEqualTo(GCE + ": kube-apiserver 1.36 loads it (17 rules)\n");

    AuditCli warn = AuditCli.run("audit", "policy", "check", DATADOG);
    assertThat(warn.code()).isZero();
    assertThat(warn.out())
        .contains("loads it with warnings (5 rules):")
        .contains(
            "  W Audit policy contains errors, falling back to lenient decoding: strict decoding"
                + " error: unknown field \"rules[3].resources[0].verbs\"");

    AuditCli refused = AuditCli.run("audit", "policy", "check", STAGE_TYPO);
    assertThat(refused.code()).isEqualTo(1);
    assertThat(refused.out())
        .contains("kube-apiserver 1.36 refuses to start:")
        .contains(
            "  E loading audit policy file: [omitStages[0]: Invalid value: \"RequestRecieved\"")
        .endsWith(": from file " + STAGE_TYPO + "\n");
  }

  @Test
  void checkFollowsTheVersion() {
    assertThat(AuditCli.run("audit", "policy", "check", GROUP_STAR).code()).isZero();
    AuditCli old = AuditCli.run("audit", "policy", "check", GROUP_STAR, "--k8s-version", "1.35");
    assertThat(old.code()).isEqualTo(1);
    assertThat(old.out()).contains("rules[0].resources.group: Invalid value: \"*\"");
    AuditCli bad = AuditCli.run("audit", "policy", "check", GROUP_STAR, "--k8s-version", "1.99");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err())
        .isEqualTo(
            "vigil: unknown --k8s-version '1.99': Vigil emulates kube-apiserver 1.24 to 1.37\n");
  }

  @Test
  void checkJson() {
    JsonNode j = AuditCli.run("audit", "policy", "check", STAGE_TYPO, "--json").json();
    assertThat(j.get("outcome").asText()).isEqualTo("refuses to start");
    assertThat(j.get("starts").asBoolean()).isFalse();
    assertThat(j.get("error").asText()).startsWith("loading audit policy file: [omitStages[0]");
  }

  @Test
  void lintText() {
    AuditCli r = AuditCli.run("audit", "policy", "lint", DATADOG);
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out())
        .contains(
            DATADOG
                + ":46:13: error: unknown field \"verbs\" in rules[3].resources[0]:"
                + " kube-apiserver warns and drops it, so rules[3] applies to every verb"
                + " [unknown-field]\n"
                + "  46 |             verbs: ['create', 'patch', 'update', 'delete']\n"
                + "     |             ^\n"
                + "  hint: \"verbs\" belongs to the rule")
        .endsWith("1 error, 0 warnings, 1 info (kube-apiserver 1.36: loads with warnings)\n");
  }

  @Test
  void lintFailOn() {
    String falco = AuditCli.corpus("policies/tools/falco-k8saudit-plugin-policy.yaml");
    assertThat(AuditCli.run("audit", "policy", "lint", falco).code()).isZero();
    assertThat(AuditCli.run("audit", "policy", "lint", falco, "--fail-on", "warning").code())
        .isEqualTo(1);
    assertThat(AuditCli.run("audit", "policy", "lint", GCE, "--fail-on", "warning").code())
        .isZero();
    assertThat(AuditCli.run("audit", "policy", "lint", GCE, "--fail-on", "info").code())
        .isEqualTo(1);
    assertThat(AuditCli.run("audit", "policy", "lint", GCE, "--fail-on", "fatal").code())
        .isEqualTo(2);
  }

  @Test
  void lintJson() {
    JsonNode j = AuditCli.run("audit", "policy", "lint", DATADOG, "--json").json();
    assertThat(j.get("kubeApiserver").get("outcome").asText()).isEqualTo("loads with warnings");
    JsonNode f = j.get("findings").get(1);
    assertThat(f.get("id").asText()).isEqualTo("unknown-field");
    assertThat(f.get("severity").asText()).isEqualTo("error");
    assertThat(f.get("line").asInt()).isEqualTo(46);
    assertThat(f.get("column").asInt()).isEqualTo(13);
    assertThat(f.get("rule").asInt()).isEqualTo(3);
    assertThat(j.get("summary").get("error").asInt()).isEqualTo(1);
  }

  @Test
  void lintSarif() {
    JsonNode s = AuditCli.run("audit", "policy", "lint", DATADOG, "--format", "sarif").json();
    assertThat(s.get("version").asText()).isEqualTo("2.1.0");
    assertThat(s.get("$schema").asText()).contains("sarif-2.1.0");
    JsonNode run = s.get("runs").get(0);
    JsonNode rules = run.get("tool").get("driver").get("rules");
    assertThat(rules.size()).isGreaterThan(30);
    JsonNode result = run.get("results").get(1);
    assertThat(result.get("ruleId").asText()).isEqualTo("unknown-field");
    assertThat(rules.get(result.get("ruleIndex").asInt()).get("id").asText())
        .isEqualTo("unknown-field");
    assertThat(result.get("level").asText()).isEqualTo("error");
    assertThat(run.get("results").get(0).get("level").asText()).isEqualTo("note");
    JsonNode loc = result.get("locations").get(0).get("physicalLocation");
    assertThat(loc.get("artifactLocation").get("uri").asText())
        .endsWith("datadog-docs-audit-policy.yaml");
    assertThat(loc.get("region").get("startLine").asInt()).isEqualTo(46);
    assertThat(loc.get("region").get("startColumn").asInt()).isEqualTo(13);
  }

  @Test
  void simulateText() {
    AuditCli r = AuditCli.run("audit", "policy", "simulate", GCE, SYNTHETIC);
    assertThat(r.code()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(r.out())
        .startsWith("Policy " + GCE + " (kube-apiserver 1.36) over 1 log file: 13 events")
        .contains(" rules[13]  Metadata")
        .contains("The policy writes 13 of 13 events (100.0%)")
        .contains(" top users")
        .contains(" bob@example.com ");
  }

  @Test
  void simulateJsonLines() {
    AuditCli r = AuditCli.run("audit", "policy", "simulate", GCE, SYNTHETIC, "--json");
    List<String> lines = r.out().lines().toList();
    assertThat(lines).hasSize(14);
    JsonNode first = AuditCli.JSON.valueToTree(read(lines.get(0)));
    assertThat(first.get("auditID").asText()).isEqualTo("0b5d3f3e-1d0c-4c8e-9a55-000000000001");
    assertThat(first.get("stage").asText()).isEqualTo("ResponseComplete");
    assertThat(first.get("rule").asInt()).isEqualTo(13);
    assertThat(first.get("level").asText()).isEqualTo("Metadata");
    assertThat(first.get("written").asBoolean()).isTrue();
    JsonNode summary = read(lines.get(13)).get("summary");
    assertThat(summary.get("events").asInt()).isEqualTo(13);
    assertThat(summary.get("policy").get("rules").get(13).get("line").asInt()).isEqualTo(109);
  }

  @Test
  void simulateCompare() {
    AuditCli r = AuditCli.run("audit", "policy", "simulate", GCE, SYNTHETIC, "--compare", DATADOG);
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("Compared with " + DATADOG + ":").contains("Level changes");
    JsonNode s =
        read(AuditCli.run(
                    "audit", "policy", "simulate", GCE, SYNTHETIC, "--compare", DATADOG, "--json")
                .out()
                .lines()
                .reduce((a, b) -> b)
                .orElseThrow())
            .get("summary");
    assertThat(s.get("compare").get("file").asText()).isEqualTo(DATADOG);
    assertThat(s.get("levelChanges").size()).isPositive();
  }

  @Test
  void simulateReportsBadLinesAndGoesOn() throws IOException {
    Path log = dir.resolve("audit.log");
    List<String> good = Files.readAllLines(Path.of(SYNTHETIC));
    Files.writeString(
        log, good.get(0) + "\n{\"truncated\": tr\n\u0000\u0001binary\n" + good.get(1) + "\n");
    AuditCli r = AuditCli.run("audit", "policy", "simulate", GCE, log.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).contains("2 events").contains("2 lines skipped");
    assertThat(r.err())
        .isEqualTo(
            log
                + ":2:17: skipped: the line ends in the middle of the event (truncated?)\n"
                + log
                + ":3:1: skipped: expected a JSON object, found byte 0x00\n");
  }

  /** A rotated backup cut short: what was decompressed is used, the cut is reported, exit 1. */
  @Test
  void simulateAndExplainAGzipFileCutShort() throws IOException {
    String lines = Files.readString(Path.of(SYNTHETIC));
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (java.io.OutputStream gz = new java.util.zip.GZIPOutputStream(bytes)) {
      for (int i = 0; i < 200; i++) {
        gz.write(lines.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
    }
    byte[] whole = bytes.toByteArray();
    Path log = dir.resolve("audit-2026-03-01T10-00-00.000.log.gz");
    Files.write(log, java.util.Arrays.copyOf(whole, whole.length / 2));

    AuditCli sim = AuditCli.run("audit", "policy", "simulate", GCE, log.toString());
    assertThat(sim.code()).isEqualTo(1);
    assertThat(sim.err())
        .matches(
            "(?s).*"
                + java.util.regex.Pattern.quote(log.toString())
                + ":\\d+: skipped: the compressed data ends early \\(a gzip file cut short\\?\\):"
                + " the rest of the file is lost\n")
        .doesNotContain("\tat ");
    assertThat(sim.out()).containsPattern("over 1 log file: [1-9][0-9,]* events");

    AuditCli explain =
        AuditCli.run("audit", "policy", "explain", GCE, "--event", log.toString(), "--json");
    assertThat(explain.code()).isZero();
    assertThat(explain.json().size()).isPositive();
    assertThat(explain.err()).contains("the compressed data ends early");
  }

  @Test
  void simulateMissingLogOrRefusedPolicy() {
    AuditCli missing =
        AuditCli.run("audit", "policy", "simulate", GCE, dir.resolve("nope.log").toString());
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err())
        .isEqualTo("vigil: log " + dir.resolve("nope.log") + " does not exist\n");
    AuditCli refused = AuditCli.run("audit", "policy", "simulate", STAGE_TYPO, SYNTHETIC);
    assertThat(refused.code()).isEqualTo(1);
    assertThat(refused.err())
        .contains("refuses to start")
        .endsWith(
            "vigil: " + STAGE_TYPO + ": cannot simulate a policy kube-apiserver would not load\n");
  }

  @Test
  void explainRequest() {
    AuditCli r =
        AuditCli.run(
            "audit",
            "policy",
            "explain",
            GCE,
            "--request",
            "user=alice groups=dev verb=get resource=secrets namespace=prod name=db");
    assertThat(r.code()).isZero();
    assertThat(r.out())
        .contains(
            "  rules[0]   None            line 9    no: users: \"alice\" is not in"
                + " [\"system:kube-proxy\"]")
        .contains(
            "  rules[9]   None            line 77   no: resources: group \"\" resource"
                + " \"secrets\" name \"db\" is not selected by any entry")
        .contains("  rules[13]  Metadata        line 109  MATCHES")
        .contains(
            "=> level Metadata by rules[13]; events written at ResponseStarted,"
                + " ResponseComplete, Panic");
  }

  @Test
  void explainEventJson() {
    String exec = AuditCli.corpus("events/falco/exec_pod.json");
    JsonNode j = AuditCli.run("audit", "policy", "explain", GCE, "--event", exec, "--json").json();
    JsonNode e = j.get(0);
    assertThat(e.get("request").get("subresource").asText()).isEqualTo("exec");
    assertThat(e.get("decision").get("rule").asInt()).isEqualTo(15);
    assertThat(e.get("decision").get("stage").asText()).isEqualTo("ResponseStarted");
    assertThat(e.get("decision").get("written").asBoolean()).isTrue();
    assertThat(e.get("rules").size()).isEqualTo(16);
  }

  @Test
  void explainRefusesLargeEventFiles() throws IOException {
    Path big = dir.resolve("big.log");
    try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(big.toFile(), "rw")) {
      f.setLength(65L << 20);
    }
    AuditCli r = AuditCli.run("audit", "policy", "explain", GCE, "--event", big.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "vigil: cannot read "
                + big
                + ": larger than 64 MiB; explain reads small files (simulate --json reads logs of"
                + " any size)\n");
  }

  @Test
  void explainUsageErrors() {
    AuditCli r =
        AuditCli.run("audit", "policy", "explain", GCE, "--request", "verb=get colour=red");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).startsWith("vigil: --request: unknown key 'colour'");
    assertThat(AuditCli.run("audit", "policy", "explain", GCE).code()).isEqualTo(2);
  }

  static JsonNode read(String line) {
    try {
      return AuditCli.JSON.readTree(line);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
