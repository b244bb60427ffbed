package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.cli.daemon.ConfigDiagnostic;
import dev.vigil.cli.daemon.ConfigLoader;
import dev.vigil.cli.daemon.DaemonConfig;
import dev.vigil.output.SinkConfig;
import dev.vigil.rules.Engine;
import dev.vigil.rules.Priority;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** vigil.yaml: Falco's keys, overlays, -o, positions in errors, and {@code vigil config check}. */
class ConfigTest {
  static final Path FALCO = Path.of("src/test/resources/config/falco.yaml");
  static final Path MISTAKES = Path.of("src/test/resources/config/mistakes.yaml");

  @TempDir Path tmp;

  static DaemonConfig load(Path p, String... options) {
    ConfigLoader.Result r = ConfigLoader.load(Optional.of(p), List.of(options));
    assertThat(r.diagnostics()).isEmpty();
    return r.config().orElseThrow();
  }

  @Test
  void falcosOwnConfigurationReadsWithoutWarnings() {
    DaemonConfig c = load(FALCO);
    assertThat(c.rulesFiles())
        .containsExactly(
            "/etc/falco/falco_rules.yaml",
            "/etc/falco/falco_rules.local.yaml",
            "/etc/falco/rules.d");
    assertThat(c.json()).isTrue();
    assertThat(c.matching()).isEqualTo(Engine.Matching.FIRST);
    assertThat(c.suggestedOutput()).isTrue();
    assertThat(c.appendOutput()).hasSize(1);
    assertThat(c.appendOutput().getFirst().extraFields())
        .extracting(f -> f.key() + "=" + f.format())
        .containsExactly("evt.hostname=%evt.hostname", "proc_exe=%proc.exepath");
    assertThat(c.selection().steps()).hasSize(2);
    assertThat(c.outputs())
        .extracting(SinkConfig::name)
        .containsExactly("stdout", "http", "syslog");
    SinkConfig.Http http = (SinkConfig.Http) c.outputs().get(1);
    assertThat(http.url().toString()).isEqualTo("http://falcosidekick:2801/");
    assertThat(http.userAgent()).isEqualTo("falcosecurity/falco");
    assertThat(c.webserver().address()).isEqualTo("0.0.0.0");
    assertThat(c.webserver().prometheusMetrics()).isFalse();
    assertThat(c.k8sAudit().enabled()).isTrue();
    assertThat(c.k8sAudit().webhookListen()).isEqualTo("0.0.0.0:9765");
    assertThat(c.k8sAudit().webhookPath()).isEqualTo("/k8s-audit");
    assertThat(c.k8sAudit().maxBatchSize()).isEqualTo(12_582_912);
  }

  @Test
  void optionsWinOverTheFileAndReachIntoListsAndMaps() {
    DaemonConfig c =
        load(
            FALCO,
            "priority=warning",
            "rule_matching=all",
            "rules_files[]=/etc/vigil/extra.yaml",
            "rules_files[0]=/opt/rules.yaml",
            "http_output.enabled=false",
            "file_output={enabled: true, filename: /var/log/vigil.json, rotation: {max_size_mb: 10}}",
            "webserver.listen_port=9000");
    assertThat(c.priority()).isEqualTo(Priority.WARNING);
    assertThat(c.matching()).isEqualTo(Engine.Matching.ALL);
    assertThat(c.rulesFiles()).first().isEqualTo("/opt/rules.yaml");
    assertThat(c.rulesFiles()).last().isEqualTo("/etc/vigil/extra.yaml");
    assertThat(c.outputs())
        .extracting(SinkConfig::name)
        .containsExactly("stdout", "file", "syslog");
    SinkConfig.File f = (SinkConfig.File) c.outputs().get(1);
    assertThat(f.path()).isEqualTo(Path.of("/var/log/vigil.json"));
    assertThat(f.rotateBytes()).isEqualTo(10L << 20);
    assertThat(c.webserver().port()).isEqualTo(9000);
  }

  @Test
  void escapedDotsAreLiteralInOptionKeys() throws IOException {
    Path y = tmp.resolve("v.yaml");
    Files.writeString(y, "http_output:\n  enabled: true\n  url: http://x/\n");
    DaemonConfig c = load(y, "http_output.headers.X-Team\\.Name=blue");
    assertThat(((SinkConfig.Http) c.outputs().get(1)).headers())
        .containsEntry("X-Team.Name", "blue");
  }

  @Test
  void kafkaSecurityKeysOfFalcosidekickBecomeClientProperties() throws IOException {
    Path y = tmp.resolve("k.yaml");
    Files.writeString(
        y,
        """
        kafka_output:
          enabled: true
          hostport: broker-1:9093,broker-2:9093
          tls: true
          sasl: SCRAM_SHA512
          username: vigil
          password: 's3"cret'
          properties:
            ssl.truststore.location: /etc/vigil/kafka.p12
        """);
    SinkConfig.Kafka k = (SinkConfig.Kafka) load(y).outputs().getLast();
    assertThat(k.brokers()).containsExactly("broker-1:9093", "broker-2:9093");
    assertThat(k.properties())
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
        .containsEntry(
            "sasl.jaas.config",
            "org.apache.kafka.common.security.scram.ScramLoginModule required"
                + " username=\"vigil\" password=\"s3\\\"cret\";")
        .containsEntry("ssl.truststore.location", "/etc/vigil/kafka.p12");

    Files.writeString(y, "kafka_output:\n  enabled: true\n  hostport: b:9092\n  sasl: GSSAPI\n");
    ConfigLoader.Result r = ConfigLoader.load(Optional.of(y), List.of());
    assertThat(r.ok()).isFalse();
    assertThat(r.diagnostics().getFirst().render())
        .isEqualTo(
            y
                + ":4:3: error: kafka_output.sasl: expected PLAIN, SCRAM_SHA256 or SCRAM_SHA512, got 'GSSAPI'");
  }

  @Test
  void overlaysMergeWithFalcosStrategies() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("config.d"));
    Path main = tmp.resolve("vigil.yaml");
    Files.writeString(
        main,
        """
        config_files:
          - config.d
          - path: late.yaml
            strategy: add-only
        rules_files: [/a.yaml]
        priority: debug
        """);
    Files.writeString(dir.resolve("10-more.yaml"), "rules_files: [/b.yaml]\npriority: notice\n");
    Files.writeString(dir.resolve("20-json.yml"), "json_output: true\n");
    Files.writeString(tmp.resolve("late.yaml"), "priority: critical\nrule_matching: all\n");
    DaemonConfig c = load(main);
    assertThat(c.rulesFiles()).containsExactly("/a.yaml", "/b.yaml");
    assertThat(c.priority()).isEqualTo(Priority.NOTICE);
    assertThat(c.json()).isTrue();
    assertThat(c.matching()).isEqualTo(Engine.Matching.ALL);
    assertThat(c.files()).hasSize(4);
  }

  @Test
  void mistakesArePositionedWithSuggestions() {
    ConfigLoader.Result r = ConfigLoader.load(Optional.of(MISTAKES), List.of());
    assertThat(r.ok()).isFalse();
    assertThat(r.diagnostics())
        .extracting(ConfigDiagnostic::render)
        .containsExactlyInAnyOrder(
            MISTAKES + ":2:14: error: json_output: expected true or false, got 'maybe'",
            MISTAKES
                + ":9:18: error: file_output.rotation.max_size_mb: expected a whole number"
                + " from 0 to 1000000, got 'lots'",
            MISTAKES
                + ":12:8: error: http_output.url: expected an http:// or https:// URL, got"
                + " 'falcosidekick:2801'",
            MISTAKES
                + ":3:1: warning: unknown key 'stdout_ouput' (ignored) (did you mean"
                + " 'stdout_output'?)",
            MISTAKES
                + ":13:1: warning: 'outputs' (rate, max_burst) was removed in Falco 0.37; set"
                + " 'rate' and 'max_burst' on each output instead (ignored)",
            MISTAKES
                + ":15:1: warning: 'grpc' was removed in Falco 0.44; Vigil has no gRPC output"
                + " (ignored)");
  }

  @Test
  void yamlSyntaxErrorsArePositioned() throws IOException {
    Path y = tmp.resolve("bad.yaml");
    Files.writeString(y, "priority: debug\nrules_files: [a, b\njson_output: true\n");
    ConfigLoader.Result r = ConfigLoader.load(Optional.of(y), List.of());
    assertThat(r.diagnostics()).hasSize(1);
    assertThat(r.diagnostics().getFirst().render()).startsWith(y + ":3:").contains("invalid YAML");
  }

  @Test
  void configCheckExitCodes() throws IOException {
    Path rules = tmp.resolve("r.yaml");
    Files.writeString(rules, DaemonTest.RULES);
    Path ok = tmp.resolve("ok.yaml");
    Files.writeString(ok, "rules_files: [" + rules + "]\njson_output: true\n");
    Cli.Result good = Cli.run("config", "check", "-c", ok.toString());
    assertThat(good.code()).isZero();
    assertThat(good.out()).isEqualTo(ok + ": Ok\noutputs: stdout\n");

    Cli.Result bad = Cli.run("config", "check", "-c", MISTAKES.toString());
    assertThat(bad.code()).isEqualTo(ExitCode.FINDINGS);
    assertThat(bad.out()).isEqualTo(MISTAKES + ": Invalid\n");
    assertThat(bad.err())
        .contains(
            MISTAKES
                + ":2:14: error: json_output: expected true or false, got 'maybe'\n"
                + "  2 | json_output: maybe\n"
                + "    |              ^\n");

    Cli.Result missing = Cli.run("config", "check", "-c", tmp.resolve("nope.yaml").toString());
    assertThat(missing.code()).isEqualTo(ExitCode.USAGE);
    assertThat(missing.err()).contains("cannot open configuration file: no such file");

    Files.writeString(rules, DaemonTest.RULES.replace("fd.name", "fd.nam"));
    Cli.Result badRules = Cli.run("config", "check", "-c", ok.toString());
    assertThat(badRules.code()).isEqualTo(ExitCode.FINDINGS);
    assertThat(badRules.err()).contains(rules + ":4:45: error: invalid formatting token fd.nam");

    Cli.Result json = Cli.run("config", "check", "-c", MISTAKES.toString(), "--format", "json");
    assertThat(json.out()).contains("\"severity\" : \"warning\"").contains("\"line\" : 3");
  }

  @Test
  void runRefusesABadConfigurationBeforeTouchingTheKernel() {
    Cli.Result r = Cli.run("run", "-c", MISTAKES.toString());
    assertThat(r.code()).isEqualTo(ExitCode.FINDINGS);
    assertThat(r.err()).contains("the configuration has errors; not starting");
    Cli.Result o = Cli.run("run", "-o", "priority=sometimes");
    assertThat(o.code()).isEqualTo(ExitCode.FINDINGS);
    assertThat(o.err()).contains("priority: expected emergency");
  }
}
