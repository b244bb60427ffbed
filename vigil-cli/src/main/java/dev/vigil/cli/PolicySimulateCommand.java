package dev.vigil.cli;

import dev.vigil.k8saudit.policy.check.PolicyEvaluator;
import dev.vigil.k8saudit.policy.load.LoadReport;
import dev.vigil.k8saudit.policy.simulate.LineProblem;
import dev.vigil.k8saudit.policy.simulate.Simulator;
import dev.vigil.k8saudit.policy.simulate.Summary;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vigil audit policy simulate}: replay audit logs through a policy. */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description = {
      "Replay audit logs (JSON lines, gzip, EventList or JSON files) through a policy, as",
      "kube-apiserver would have evaluated each request: per rule and level, the events and the",
      "log volume the policy would produce; the busiest users and resources; with --compare, the",
      "difference between two policies. With --json, one JSON object per event (auditID, stage,",
      "rule, level, written) and the summary last. Lines that are not audit events are reported",
      "on stderr with their line numbers and skipped (exit 1 if any was)."
    },
    footer = {
      "",
      "Examples:",
      "  vigil audit policy simulate audit-policy.yaml /var/log/kubernetes/audit/audit.log*",
      "  vigil audit policy simulate new-policy.yaml audit.log --compare old-policy.yaml",
      "  vigil audit policy simulate audit-policy.yaml audit.log --json | jq 'select(.written)'"
    })
final class PolicySimulateCommand implements Callable<Integer> {
  static final int SHOWN_PROBLEMS = 20;

  @Spec CommandSpec spec;
  @Mixin PolicyInput input;

  @Parameters(index = "0", paramLabel = "POLICY", description = "The audit policy file.")
  Path policy;

  @Parameters(
      index = "1..*",
      arity = "1..*",
      paramLabel = "LOG",
      description = "Audit log files (JSON lines, optionally gzip-compressed; EventList or JSON).")
  List<Path> logs = new ArrayList<>();

  @Option(names = "--json", description = "One JSON object per event, then the summary.")
  boolean json;

  @Option(
      names = "--compare",
      paramLabel = "OTHER_POLICY",
      description = "Also replay through this policy and show the difference.")
  Optional<Path> compare = Optional.empty();

  @Option(
      names = "--threads",
      paramLabel = "N",
      description = "Threads that decode events (default: the number of CPUs, at most 8).")
  int threads = Math.min(8, Runtime.getRuntime().availableProcessors());

  @Option(
      names = "--top",
      paramLabel = "N",
      description = "How many users and resources the summary lists (default: 10).")
  int top = 10;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    LoadReport a = loaded(policy, err);
    Optional<LoadReport> b = compare.map(c -> loaded(c, err));
    for (Path log : logs) {
      PolicyInput.checkReadable(log, "log");
    }
    PolicyEvaluator ea = new PolicyEvaluator(a.policy().orElseThrow(), a.version());
    Optional<PolicyEvaluator> eb =
        b.map(r -> new PolicyEvaluator(r.policy().orElseThrow(), r.version()));
    Listener listener = new Listener(err);
    Summary summary;
    out.flush();
    Optional<java.io.OutputStream> raw = ((VigilCommand) spec.root().userObject()).stdout;
    java.io.OutputStream events =
        raw.isPresent()
            ? new java.io.BufferedOutputStream(raw.get(), 1 << 16)
            : new WriterOutputStream(out);
    try {
      summary =
          new Simulator(ea, eb, new Simulator.Options(threads, json, top))
              .run(logs, events, listener);
      events.flush();
    } catch (IOException e) {
      throw new UserError(ExitCode.USAGE, "cannot read " + PolicyInput.reason(e));
    }
    listener.finish(summary.skipped());
    if (json) {
      SimulateReport.json(summary, a, b, out);
    } else {
      SimulateReport.text(summary, a, b, out);
    }
    return summary.skipped() > 0 ? ExitCode.FINDINGS : ExitCode.OK;
  }

  /** A policy kube-apiserver would load; otherwise its refusal, as check prints it. */
  private LoadReport loaded(Path file, PrintWriter err) {
    LoadReport r = input.load(file);
    if (r.policy().isEmpty()) {
      PolicyCheckCommand.text(r, err);
      throw new UserError(
          ExitCode.FINDINGS, file + ": cannot simulate a policy kube-apiserver would not load");
    }
    return r;
  }

  /** Problems (the first few) and progress on stderr. */
  static final class Listener implements Simulator.Listener {
    private final PrintWriter err;
    private final long start = System.nanoTime();
    private long lastReport = start;
    private long shown;

    Listener(PrintWriter err) {
      this.err = err;
    }

    @Override
    public void problem(LineProblem p) {
      if (shown++ < SHOWN_PROBLEMS) {
        err.println(
            p.file()
                + ":"
                + p.line()
                + (p.column() > 0 ? ":" + p.column() : "")
                + ": skipped: "
                + p.message());
      }
    }

    @Override
    public void progress(String file, long bytes, long total, long events) {
      long now = System.nanoTime();
      if (now - lastReport < 2_000_000_000L) {
        return;
      }
      lastReport = now;
      String of =
          total > 0 ? " of " + SimulateReport.size(total) + " (" + 100 * bytes / total + "%)" : "";
      err.println(
          "simulate: "
              + file
              + ": "
              + SimulateReport.size(bytes)
              + of
              + " read, "
              + Numbers.grouped(events)
              + " events");
      err.flush();
    }

    void finish(long skipped) {
      if (skipped > SHOWN_PROBLEMS) {
        err.println(
            "... "
                + Numbers.grouped(skipped)
                + " lines were skipped in all (the first "
                + SHOWN_PROBLEMS
                + " are shown above)");
      }
    }
  }
}
