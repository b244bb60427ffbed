package dev.vigil.cli;

import dev.vigil.posture.Exemptions;
import dev.vigil.posture.Scanner;
import dev.vigil.posture.cluster.ApiException;
import dev.vigil.posture.cluster.ClusterScan;
import dev.vigil.posture.cluster.Connection;
import dev.vigil.posture.cluster.KubeClient;
import dev.vigil.posture.cluster.Kubeconfig;
import dev.vigil.posture.cluster.NamespacePolicies;
import dev.vigil.posture.pss.Level;
import dev.vigil.posture.pss.PsaVersion;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code vigil scan --cluster}: the workloads of a live cluster, read through the Kubernetes API
 * with a kubeconfig, checked as files are and written by the same reports (findings located as
 * {@code namespace/Kind/name}). Without {@code --level}, each namespace is checked at the level its
 * {@code pod-security.kubernetes.io/enforce} label names, as Pod Security Admission does.
 *
 * @param kubeconfig the file given with {@code --kubeconfig}, "" for {@code $KUBECONFIG} or {@code
 *     ~/.kube/config}
 * @param context the context given with {@code --context}, "" for the current one
 * @param namespace the namespace given with {@code -n}, "" for all
 */
record ScanCluster(String kubeconfig, String context, String namespace) {

  /** Scans the cluster into {@code report}; returns the exit code. */
  int run(
      Optional<Level> level,
      PsaVersion version,
      Exemptions exemptions,
      ScanReport report,
      PrintWriter err) {
    Connection connection = connect(kubeconfig, context);
    report.cluster(connection.context());
    try (KubeClient client = new KubeClient(connection)) {
      NamespacePolicies policies = policies(client, level, version, err);
      Map<NamespacePolicies.Policy, Scanner> scanners = new HashMap<>();
      ClusterScan scan =
          new ClusterScan(
              client,
              ns ->
                  scanners.computeIfAbsent(
                      policies.policy(ns),
                      p -> new Scanner(new Scanner.Options(p.level(), p.version(), exemptions))),
              namespace);
      ClusterScan.Summary summary;
      try {
        summary =
            scan.run(
                new ClusterScan.Sink() {
                  @Override
                  public void begin(String name) {
                    report.beginFile(name);
                  }

                  @Override
                  public void section(Scanner.SectionResult result) {
                    report.section(result);
                  }

                  @Override
                  public void end() {
                    report.endFile();
                  }
                });
      } catch (ApiException e) {
        report.end();
        err.println("vigil: " + e.getMessage());
        return exitCode(e);
      }
      report.end();
      int code = report.failed() ? ExitCode.FINDINGS : ExitCode.OK;
      for (ApiException e : summary.skipped()) {
        if (e.failure() == ApiException.Failure.FORBIDDEN) {
          err.println("vigil: error: not scanned: " + e.getMessage());
          code = ExitCode.USAGE;
        } else {
          err.println("vigil: note: not served by this cluster, skipped: " + e.getMessage());
        }
      }
      if (summary.owned() > 0) {
        err.println(
            "vigil: "
                + summary.owned()
                + " of "
                + summary.objects()
                + " objects are owned by a controller and were checked through it");
      }
      return code;
    }
  }

  private static Connection connect(String kubeconfig, String context) {
    List<Path> files =
        Kubeconfig.files(kubeconfig, System.getenv("KUBECONFIG"), System.getProperty("user.home"));
    try {
      return Kubeconfig.read(files).connect(context);
    } catch (Kubeconfig.KubeconfigException e) {
      throw new UserError(
          e.unreadable() ? ExitCode.USAGE : ExitCode.FINDINGS, String.valueOf(e.getMessage()));
    }
  }

  private NamespacePolicies policies(
      KubeClient client, Optional<Level> level, PsaVersion version, PrintWriter err) {
    if (level.isPresent()) {
      return NamespacePolicies.uniform(level.get(), version);
    }
    NamespacePolicies.Policy fallback =
        new NamespacePolicies.Policy(Level.RESTRICTED, version, false);
    try {
      return NamespacePolicies.read(client, namespace, fallback, w -> err.println("vigil: " + w));
    } catch (ApiException e) {
      if (e.failure() != ApiException.Failure.FORBIDDEN) {
        throw new UserError(exitCode(e), String.valueOf(e.getMessage()));
      }
      err.println(
          "vigil: cannot read namespace labels ("
              + e.getMessage()
              + "); checking every namespace at restricted (give --level to choose)");
      return NamespacePolicies.uniform(Level.RESTRICTED, version);
    }
  }

  static int exitCode(ApiException e) {
    return switch (e.failure()) {
      case UNAUTHORIZED, FORBIDDEN, NOT_FOUND -> ExitCode.USAGE;
      case UNREACHABLE, EXPIRED, BAD_RESPONSE -> ExitCode.RUNTIME;
    };
  }
}
