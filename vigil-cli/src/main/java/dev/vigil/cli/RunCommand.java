package dev.vigil.cli;

import dev.vigil.kernel.Capture;
import dev.vigil.kernel.capture.Recording;
import dev.vigil.rules.LoadResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vigil run}: live detection. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Watch syscalls and Kubernetes audit logs live; print alerts.",
      "Loads Vigil's bundled rules (or the -r files), captures the event types they need",
      "plus what process and fd tracking needs, and prints an alert for each match, as",
      "Falco does: text by default, Falco's JSON with -o json_output=true. Stops on",
      "Ctrl-C (SIGINT), SIGTERM or after --duration, then prints statistics to stderr."
    },
    footer = {
      "",
      "Options set with -o (Falco's names):",
      "  json_output=true|false              Falco's JSON alerts (default false)",
      "  json_include_output_property=BOOL   (default true)",
      "  json_include_tags_property=BOOL     (default true)",
      "  priority=LEVEL                      minimum rule priority (default debug)",
      "  rule_matching=first|all             (default first)",
      "  time_format_iso_8601=BOOL           ISO times in text alerts (default false)",
      "  k8saudit.files=FILE[,FILE...]       follow these k8s audit logs (k8s_audit rules)",
      "  k8saudit.checkpoint_dir=DIR         where their positions are kept across restarts",
      "                                      (default /var/lib/vigil/k8saudit)",
      "",
      "Needs root (or CAP_BPF and CAP_PERFMON), a kernel with BTF (5.17+) and libbpf1.",
      "",
      "Examples:",
      "  vigil run",
      "  vigil run -r /etc/falco/falco_rules.yaml -o json_output=true",
      "  vigil run --duration 60s -o priority=warning",
      "  vigil run --disable-source syscall -o k8saudit.files=/var/log/kubernetes/audit/audit.log"
    })
final class RunCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin RulesInput input;

  @Option(
      names = "-o",
      paramLabel = "KEY=VALUE",
      description = "A configuration option, Falco style (repeatable; see below).")
  Map<String, String> options = new TreeMap<>();

  @Option(names = "--json", description = "Short for -o json_output=true.")
  boolean json;

  @Option(
      names = "--duration",
      paramLabel = "DURATION",
      description = "Stop after this long (e.g. 30s, 5m, 1h; default: until stopped).")
  String duration = "";

  @Option(
      names = "--disable-source",
      paramLabel = "SOURCE",
      description = "Do not run this event source: syscall or k8s_audit (repeatable).")
  List<String> disabled = new ArrayList<>();

  @Option(
      names = "--ring-size",
      paramLabel = "MiB",
      description = "Size of the kernel ring buffer in MiB, a power of two (default 8).")
  int ringMiB = 8;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Settings s = Settings.parse(options, json, err);
    long durationNanos = parseDuration(duration);
    if (Integer.bitCount(ringMiB) != 1 || ringMiB > 1024) {
      throw new UserError(
          ExitCode.USAGE, "--ring-size must be a power of two between 1 and 1024 MiB");
    }

    LoadResult loaded = RulesCommand.load(input, false, err);
    if (!loaded.ok()) {
      err.println("vigil: the rules have errors; not starting");
      err.flush();
      return ExitCode.FINDINGS;
    }
    String hostname = Hostname.get();
    AlertSink sink = new AlertSink(out, s, hostname);
    AuditFollower follower = auditSource(loaded, s, sink, err);
    if (disabled.contains("syscall")) {
      return auditOnly(follower, durationNanos, sink, err);
    }
    SyscallRules rules = SyscallRules.bind(loaded.ruleset(), s, hostname);
    err.println(
        "vigil: "
            + rules.engine().rules().size()
            + " syscall rules loaded, "
            + rules.events().size()
            + " event types needed by them");
    return Live.run(
        new Capture.Options(rules.events(), (long) ringMiB << 20, true),
        e -> rules.evaluate(e, sink),
        Recording.none(),
        durationNanos,
        err,
        r -> {
          if (follower != null) {
            follower.stop();
            auditStats(follower, err);
          }
          return report(r, sink, err);
        });
  }

  /** The k8s_audit source over log files, when -o k8saudit.files names some. */
  private @org.jspecify.annotations.Nullable AuditFollower auditSource(
      LoadResult loaded, Settings s, AlertSink sink, PrintWriter err) {
    for (String d : disabled) {
      if (!d.equals("syscall") && !d.equals("k8s_audit")) {
        throw new UserError(
            ExitCode.USAGE, "--disable-source: expected syscall or k8s_audit, got '" + d + "'");
      }
    }
    if (options.containsKey("k8saudit.webhook.listen")) {
      throw new UserError(
          ExitCode.USAGE,
          "-o k8saudit.webhook.listen: the audit webhook receiver is not available in this build"
              + " yet; use -o k8saudit.files=FILE");
    }
    List<Path> files = new ArrayList<>();
    for (String f : options.getOrDefault("k8saudit.files", "").split(",", -1)) {
      if (!f.isBlank()) {
        files.add(Path.of(f.strip()));
      }
    }
    boolean wanted = !files.isEmpty() && !disabled.contains("k8s_audit");
    if (!wanted) {
      if (disabled.contains("syscall")) {
        throw new UserError(
            ExitCode.USAGE,
            "nothing to watch: the syscall source is disabled and no k8s audit log is given"
                + " (-o k8saudit.files=FILE)");
      }
      return null;
    }
    Path checkpoints =
        Path.of(options.getOrDefault("k8saudit.checkpoint_dir", "/var/lib/vigil/k8saudit"));
    K8sAuditRules rules = K8sAuditRules.bind(loaded.ruleset(), s);
    try {
      AuditFollower f = new AuditFollower(files, checkpoints, rules, sink, err);
      err.println(
          "vigil: "
              + rules.engine().rules().size()
              + " k8s_audit rules loaded; following "
              + files.size()
              + " audit log"
              + (files.size() == 1 ? "" : "s")
              + " (checkpoints in "
              + checkpoints
              + ")");
      err.flush();
      f.start();
      return f;
    } catch (java.io.IOException e) {
      throw new UserError(
          ExitCode.RUNTIME,
          "cannot use the checkpoint directory " + checkpoints + ": " + e.getMessage());
    }
  }

  /** Runs the audit log source alone until a signal or the duration. */
  private static int auditOnly(
      @org.jspecify.annotations.Nullable AuditFollower follower,
      long durationNanos,
      AlertSink sink,
      PrintWriter err) {
    if (follower == null) {
      return ExitCode.USAGE;
    }
    java.util.concurrent.CountDownLatch stop = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch finished = new java.util.concurrent.CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              stop.countDown();
              try {
                finished.await(20, java.util.concurrent.TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "vigil-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    err.println("vigil: watching (Ctrl-C to stop)");
    err.flush();
    try {
      boolean signalled;
      if (durationNanos > 0) {
        signalled = stop.await(durationNanos, java.util.concurrent.TimeUnit.NANOSECONDS);
      } else {
        stop.await();
        signalled = true;
      }
      if (!signalled) {
        Runtime.getRuntime().removeShutdownHook(hook);
      }
      follower.stop();
      auditStats(follower, err);
      err.printf("vigil: %d alerts%n", sink.total());
      sink.printCounts(err);
      err.flush();
      return ExitCode.OK;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ExitCode.RUNTIME;
    } finally {
      finished.countDown();
    }
  }

  private static void auditStats(AuditFollower f, PrintWriter err) {
    err.printf(
        "vigil: k8s audit logs: %d events%s%n",
        f.events(), f.problems() > 0 ? ", " + f.problems() + " could not be read" : "");
  }

  private static int report(Live.Result r, AlertSink sink, PrintWriter err) {
    if (r.failure().isPresent()) {
      err.println("vigil: cannot start capture: " + r.failure().get());
      err.flush();
      return ExitCode.RUNTIME;
    }
    Capture.Stats st = r.stats();
    err.printf(
        "vigil: stopped after %.1f s: %d events (%.0f/s), %d dropped in the kernel%s, %d alerts%n",
        r.seconds(),
        st.delivered(),
        st.delivered() / r.seconds(),
        st.drops(),
        st.tooBig() > 0 ? " (" + st.tooBig() + " too large)" : "",
        sink.total());
    sink.printCounts(err);
    err.flush();
    return ExitCode.OK;
  }

  static long parseDuration(String d) {
    if (d.isEmpty()) {
      return 0;
    }
    try {
      String v = d.strip().toLowerCase(java.util.Locale.ROOT);
      long mult;
      String num;
      if (v.endsWith("ms")) {
        mult = 1_000_000L;
        num = v.substring(0, v.length() - 2);
      } else if (v.endsWith("s")) {
        mult = 1_000_000_000L;
        num = v.substring(0, v.length() - 1);
      } else if (v.endsWith("m")) {
        mult = 60_000_000_000L;
        num = v.substring(0, v.length() - 1);
      } else if (v.endsWith("h")) {
        mult = 3_600_000_000_000L;
        num = v.substring(0, v.length() - 1);
      } else {
        mult = 1_000_000_000L;
        num = v;
      }
      long n = (long) (Double.parseDouble(num) * mult);
      if (n <= 0) {
        throw new NumberFormatException();
      }
      return Duration.ofNanos(n).toNanos();
    } catch (NumberFormatException e) {
      throw new UserError(
          ExitCode.USAGE, "--duration: expected a duration such as 30s, 5m or 1h, got '" + d + "'");
    }
  }
}
