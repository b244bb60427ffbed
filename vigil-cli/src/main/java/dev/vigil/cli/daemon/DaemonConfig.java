package dev.vigil.cli.daemon;

import dev.vigil.output.FalcoFormat;
import dev.vigil.output.Rendering;
import dev.vigil.output.SinkConfig;
import dev.vigil.rules.AppendOutput;
import dev.vigil.rules.Engine;
import dev.vigil.rules.Priority;
import dev.vigil.rules.RuleSelection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The daemon's configuration, read from {@code vigil.yaml}, its overlays and {@code -o} options.
 *
 * @param rulesFiles rules files and directories in load order; {@code bundled:rules} stands for
 *     Vigil's own rules
 * @param priority the least severe rule priority loaded
 * @param matching {@code rule_matching}
 * @param json {@code json_output}
 * @param format Falco's alert format options
 * @param appendOutput {@code append_output} entries other than {@code suggested_output}
 * @param suggestedOutput whether {@code append_output} has {@code suggested_output: true}
 * @param selection Falco's {@code rules:} enable/disable steps
 * @param outputs the enabled outputs
 * @param webserver the web endpoints
 * @param watchConfigFiles reload when the configuration or rules files change
 * @param outputTimeout how long outputs may take for one delivery (and to drain on shutdown)
 * @param k8sAudit the audit source's settings
 * @param files the configuration files read, in order (watched for changes)
 */
public record DaemonConfig(
    List<String> rulesFiles,
    Priority priority,
    Engine.Matching matching,
    boolean json,
    FalcoFormat.Options format,
    List<AppendOutput> appendOutput,
    boolean suggestedOutput,
    RuleSelection selection,
    List<SinkConfig> outputs,
    Webserver webserver,
    boolean watchConfigFiles,
    Duration outputTimeout,
    K8sAudit k8sAudit,
    List<Path> files) {

  /** The bundled rules, as a {@code rules_files} entry. */
  public static final String BUNDLED = "bundled:rules";

  public DaemonConfig {
    rulesFiles = List.copyOf(rulesFiles);
    appendOutput = List.copyOf(appendOutput);
    outputs = List.copyOf(outputs);
    files = List.copyOf(files);
  }

  public Rendering rendering(String hostname) {
    return new Rendering(format, json, hostname);
  }

  /**
   * Falco's {@code webserver}.
   *
   * @param prometheusMetrics serve {@code /metrics} ({@code prometheus_metrics_enabled} and {@code
   *     metrics.enabled})
   * @param sslCertificate one PEM file with the certificate and the key, when {@code ssl}
   */
  public record Webserver(
      boolean enabled,
      String address,
      int port,
      String healthzPath,
      boolean prometheusMetrics,
      boolean ssl,
      Path sslCertificate) {}

  /**
   * The Kubernetes audit source ({@code k8saudit:}, or Falco's {@code k8saudit} plugin entry).
   *
   * @param webhookListen {@code host:port} of the audit webhook ({@code ""}: none)
   * @param webhookPath the webhook's path
   * @param files audit log files to follow
   * @param checkpointDir where the positions in {@code files} are kept across restarts
   * @param sslCertificate the webhook's PEM certificate and key ({@code ""}: plain HTTP)
   * @param maxEventSize bytes per event at most
   * @param maxBatchSize bytes per webhook request at most
   * @param sslKey the webhook's PEM key when it is not in {@code sslCertificate}'s file
   * @param clientCa PEM CA bundles client certificates must chain to (empty: none required)
   * @param tokenFile a file holding the bearer token clients must send ({@code ""}: none)
   * @param queueEvents webhook events that may wait for the rules before 429
   * @param spoolDir the webhook's on-disk spool ({@code ""}: off, batches wait in memory)
   * @param spoolMaxSize bytes the spool may hold before 429
   */
  public record K8sAudit(
      boolean enabled,
      String webhookListen,
      String webhookPath,
      List<String> files,
      Path checkpointDir,
      String sslCertificate,
      long maxEventSize,
      long maxBatchSize,
      String sslKey,
      List<String> clientCa,
      String tokenFile,
      long queueEvents,
      String spoolDir,
      long spoolMaxSize) {
    public K8sAudit {
      files = List.copyOf(files);
      clientCa = List.copyOf(clientCa);
    }

    public static K8sAudit off() {
      return new K8sAudit(
          false,
          "",
          "/k8s-audit",
          List.of(),
          Path.of("/var/lib/vigil/k8saudit"),
          "",
          262_144,
          12L << 20,
          "",
          List.of(),
          "",
          20_000,
          "",
          1L << 30);
    }
  }
}
