package dev.vigil.cli;

import dev.vigil.cli.daemon.DaemonConfig;
import dev.vigil.cli.daemon.Generation;
import dev.vigil.kernel.SyscallSource;
import dev.vigil.kernel.capture.CaptureFormatException;
import dev.vigil.kernel.capture.Replay;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vigil replay}: evaluate rules over recorded events. */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    description = {
      "Evaluate rules offline over recorded events, deterministically.",
      "Prints the alerts the rules raise over a capture file (syscall rules) or over",
      "Kubernetes audit logs (k8s_audit rules), as 'vigil run' would have printed them",
      "live (text, or Falco's JSON with -o json_output=true). Audit logs are JSON lines",
      "as kube-apiserver writes them, or JSON documents (EventList, arrays), .gz too;",
      "'-' reads stdin. Malformed events are reported as file:line:col and skipped",
      "(exit code 1 at the end). Takes the same configuration as 'vigil run' (-c, -o):",
      "its rules_files, priority, rule_matching, rules selection, append_output and",
      "alert format; alerts go to stdout only. Audit events are evaluated on every",
      "available CPU, alerts printed in input order."
    },
    footer = {
      "",
      "Examples:",
      "  vigil replay --capture /tmp/incident.vcap",
      "  vigil replay -r /etc/falco/falco_rules.yaml --capture incident.vcap --json",
      "  vigil replay --audit /var/log/kubernetes/audit/audit.log",
      "  vigil replay -r k8s_audit_rules.yaml --audit audit.log audit-2026-03-01.log.gz"
    })
final class ReplayCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin RulesInput input;

  @Option(
      names = "--capture",
      paramLabel = "FILE",
      description = "A capture file written by 'vigil capture'.")
  Path file = Path.of("");

  @Option(
      names = "--audit",
      paramLabel = "FILE",
      arity = "1..*",
      description = "Kubernetes audit log files, read in order ('-' for stdin).")
  List<Path> audit = new ArrayList<>();

  @Mixin ConfigInput config;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    DaemonConfig c = config.loadOrExit(err);
    boolean hasCapture = !file.toString().isEmpty();
    if (hasCapture == !audit.isEmpty()) {
      throw new UserError(
          ExitCode.USAGE,
          "give either --capture FILE or --audit FILE... (see 'vigil replay --help')");
    }
    if (!audit.isEmpty()) {
      return replayAudit(c, out, err);
    }
    if (!Files.isReadable(file)) {
      throw new UserError(ExitCode.USAGE, "cannot open capture file " + file);
    }
    try {
      String hostname = Replay.hostname(file);
      Optional<Generation> g = prepare(c, hostname, err);
      if (g.isEmpty()) {
        return ExitCode.FINDINGS;
      }
      SyscallRules rules = SyscallRules.of(g.get().syscall());
      AlertSink sink = new AlertSink(out, c, hostname);
      Replay.Summary sum =
          Replay.run(file, SyscallSource.info().eventTypes(), e -> rules.evaluate(e, sink));
      out.flush();
      if (!sum.complete()) {
        err.println(
            "vigil: warning: "
                + file
                + " has no end record: the capture was interrupted; replayed what it holds");
      }
      err.printf(
          "vigil: replayed %d events from %s, %d alerts%s%n",
          sum.events(),
          sum.hostname().isEmpty() ? file : sum.hostname(),
          sink.total(),
          sum.kernelDrops() > 0 ? " (the capture lost " + sum.kernelDrops() + " events)" : "");
      sink.printCounts(err);
      err.flush();
      return ExitCode.OK;
    } catch (NoSuchFileException e) {
      throw new UserError(ExitCode.USAGE, "cannot open capture file " + file);
    } catch (IOException e) {
      throw new UserError(ExitCode.USAGE, "cannot read " + file + ": " + e.getMessage());
    } catch (CaptureFormatException e) {
      out.flush();
      err.println("vigil: " + file + ": " + e.getMessage());
      err.flush();
      return ExitCode.FINDINGS;
    }
  }

  /** The rules of the configuration (or -r), bound; empty when they have errors (reported). */
  private Optional<Generation> prepare(DaemonConfig c, String hostname, PrintWriter err) {
    return switch (new DaemonRules(input.paths, hostname, err).prepare(c)) {
      case Generation.Prepared.Ready r -> Optional.of(r.generation());
      case Generation.Prepared.Failed f -> {
        err.println("vigil: the rules have errors; not replaying");
        err.flush();
        yield Optional.empty();
      }
    };
  }

  private int replayAudit(DaemonConfig c, PrintWriter out, PrintWriter err) {
    AuditFiles.checkReadable(audit);
    String hostname = Hostname.get();
    Optional<Generation> g = prepare(c, hostname, err);
    if (g.isEmpty()) {
      return ExitCode.FINDINGS;
    }
    K8sAuditRules rules = new K8sAuditRules(g.get().k8sAudit());
    AlertSink sink = new AlertSink(out, c, hostname);
    AuditFiles files = new AuditFiles(err);
    int workers = Runtime.getRuntime().availableProcessors();
    if (workers > 1 && !rules.engine().rules().isEmpty()) {
      try (ParallelAuditRules parallel = new ParallelAuditRules(rules, workers, sink::accept)) {
        try {
          files.read(audit, (e, line) -> parallel.accept(e));
        } finally {
          parallel.finish();
        }
      }
    } else {
      files.read(audit, (e, line) -> rules.evaluate(e, sink::accept));
    }
    out.flush();
    err.printf(
        "vigil: replayed %d audit events from %d file%s with %d k8s_audit rules, %d alerts%s%n",
        files.events(),
        audit.size(),
        audit.size() == 1 ? "" : "s",
        rules.engine().rules().size(),
        sink.total(),
        files.problems() > 0 ? "; " + files.problems() + " events could not be read" : "");
    sink.printCounts(err);
    err.flush();
    return files.problems() > 0 ? ExitCode.FINDINGS : ExitCode.OK;
  }
}
