package dev.vigil.cli;

import dev.vigil.cli.daemon.Daemon;
import dev.vigil.cli.daemon.DaemonConfig;
import dev.vigil.cli.daemon.Generation;
import dev.vigil.kernel.Capture;
import dev.vigil.kernel.capture.Recording;
import dev.vigil.output.OutputException;
import dev.vigil.output.OutputStats;
import dev.vigil.output.PromText;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
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
      "Watch this machine's syscalls live and send alerts to the configured outputs.",
      "Reads vigil.yaml (-c; Falco's falco.yaml keys), loads its rules_files (or the -r",
      "files; Vigil's bundled rules by default), captures the event types the rules need",
      "plus what process and fd tracking needs, and delivers each alert to every enabled",
      "output (stdout by default) through its own bounded queue. Serves /healthz, /metrics",
      "and /versions on 127.0.0.1:8765. SIGHUP (or a change to a watched file) reloads the",
      "configuration and rules, keeping the running ones if the new ones have errors;",
      "SIGUSR1 reopens file outputs. Stops on SIGINT, SIGTERM or after --duration,",
      "delivers what the outputs still hold, then prints statistics to stderr."
    },
    footer = {
      "",
      "Common -o options (Falco's names; see docs/configuration.md for all):",
      "  json_output=true|false              Falco's JSON alerts (default false)",
      "  priority=LEVEL                      minimum rule priority (default debug)",
      "  rule_matching=first|all             (default first)",
      "  file_output.enabled=true            also write alerts to file_output.filename",
      "  http_output.enabled=true            POST alerts to http_output.url (falcosidekick)",
      "  webserver.listen_port=PORT          the /healthz, /metrics, /versions port (8765)",
      "",
      "Needs root (or CAP_BPF and CAP_PERFMON), a kernel with BTF (5.17+) and libbpf1.",
      "",
      "Examples:",
      "  vigil run -c /etc/vigil/vigil.yaml",
      "  vigil run -r /etc/falco/falco_rules.yaml -o json_output=true",
      "  vigil run -o http_output.enabled=true -o http_output.url=http://falcosidekick:2801/",
      "  vigil run --duration 60s -o priority=warning"
    })
final class RunCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin RulesInput input;
  @Mixin ConfigInput config;

  @Option(
      names = "--duration",
      paramLabel = "DURATION",
      description = "Stop after this long (e.g. 30s, 5m, 1h; default: until stopped).")
  String duration = "";

  @Option(
      names = "--ring-size",
      paramLabel = "MiB",
      description = "Size of the kernel ring buffer in MiB, a power of two (default 8).")
  int ringMiB = 8;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    long durationNanos = parseDuration(duration);
    if (Integer.bitCount(ringMiB) != 1 || ringMiB > 1024) {
      throw new UserError(
          ExitCode.USAGE, "--ring-size must be a power of two between 1 and 1024 MiB");
    }
    String hostname = Hostname.get();
    DaemonConfig c = config.loadOrExit(err);
    if (c.k8sAudit().enabled()) {
      err.println(
          "vigil: warning: the k8saudit source is configured, but this build has no audit source"
              + " yet: no webhook is served and no audit log is read");
    }
    DaemonRules daemonRules = new DaemonRules(input.paths, hostname, err);
    Generation first;
    switch (daemonRules.prepare(c)) {
      case Generation.Prepared.Failed f -> {
        f.errors().forEach(e -> err.println("vigil: " + e));
        err.println("vigil: the rules have errors; not starting");
        err.flush();
        return ExitCode.FINDINGS;
      }
      case Generation.Prepared.Ready r -> first = r.generation();
    }
    SyscallRules rules = SyscallRules.of(first.syscall());
    err.println(
        "vigil: "
            + rules.engine().rules().size()
            + " syscall rules loaded, "
            + rules.events().size()
            + " event types needed by them");

    Daemon daemon;
    try {
      daemon =
          Daemon.start(
              first,
              () -> config.load(),
              daemonRules,
              out,
              hostname,
              VigilCommand.Version.number(),
              true);
    } catch (OutputException | IOException e) {
      err.println("vigil: cannot start: " + e.getMessage());
      err.flush();
      return ExitCode.RUNTIME;
    }
    daemon.webPort().ifPresent(p -> err.println("vigil: web endpoints on port " + p));
    return Live.run(
        new Capture.Options(rules.events(), (long) ringMiB << 20, true),
        daemon::onSyscall,
        Recording.none(),
        durationNanos,
        err,
        capture -> daemon.addMetrics(t -> captureMetrics(capture.stats(), t)),
        r -> finish(r, daemon, err));
  }

  /**
   * After the capture stopped (a signal, --duration, or a failure to start): the outputs deliver
   * what they hold, then the statistics.
   */
  private static int finish(Live.Result r, Daemon daemon, PrintWriter err) {
    boolean flushed = daemon.shutdown();
    if (r.failure().isPresent()) {
      err.println("vigil: cannot start capture: " + r.failure().get());
      err.flush();
      return ExitCode.RUNTIME;
    }
    Capture.Stats st = r.stats();
    Map<String, Long> byRule = daemon.outputs().alertsByRule();
    err.printf(
        "vigil: stopped after %.1f s: %d events (%.0f/s), %d dropped in the kernel%s, %d alerts%s%n",
        r.seconds(),
        st.delivered(),
        st.delivered() / r.seconds(),
        st.drops(),
        st.tooBig() > 0 ? " (" + st.tooBig() + " too large)" : "",
        byRule.values().stream().mapToLong(Long::longValue).sum(),
        flushed ? "" : " (some outputs could not deliver everything: see the drop counts)");
    byRule.forEach((rule, n) -> err.printf("  %6d  %s%n", n, rule));
    for (OutputStats o : daemon.outputs().stats()) {
      if (o.dropped() > 0 || o.failures() > 0) {
        err.printf(
            "  output %s: %d delivered, %d dropped, %d failed attempts%n",
            o.name(), o.delivered(), o.dropped(), o.failures());
      }
    }
    err.flush();
    return ExitCode.OK;
  }

  private static void captureMetrics(Capture.Stats st, PromText t) {
    t.family(
        "falcosecurity_vigil_kernel_events_total", "counter", "Events the kernel probe delivered.");
    t.sample("falcosecurity_vigil_kernel_events_total", st.delivered());
    t.family(
        "falcosecurity_vigil_kernel_drops_total",
        "counter",
        "Events dropped in the kernel (ring buffer full).");
    t.sample("falcosecurity_vigil_kernel_drops_total", st.drops());
  }

  /** A duration in nanoseconds (s, ms, m, h, d), or {@code dflt} when it is not one. */
  static long parseDurationOr(String d, long dflt) {
    String v = d.strip().toLowerCase(java.util.Locale.ROOT);
    if (v.endsWith("d")) {
      try {
        double days = Double.parseDouble(v.substring(0, v.length() - 1));
        return days > 0 ? (long) (days * 86_400e9) : dflt;
      } catch (NumberFormatException e) {
        return dflt;
      }
    }
    try {
      return parseDuration(d);
    } catch (UserError e) {
      return dflt;
    }
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
