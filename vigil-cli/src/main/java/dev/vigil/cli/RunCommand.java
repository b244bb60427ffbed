package dev.vigil.cli;

import dev.vigil.kernel.Capture;
import dev.vigil.kernel.capture.Recording;
import dev.vigil.rules.LoadResult;
import java.io.PrintWriter;
import java.time.Duration;
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
      "Watch this machine's syscalls live and print alerts.",
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
      "",
      "Needs root (or CAP_BPF and CAP_PERFMON), a kernel with BTF (5.17+) and libbpf1.",
      "",
      "Examples:",
      "  vigil run",
      "  vigil run -r /etc/falco/falco_rules.yaml -o json_output=true",
      "  vigil run --duration 60s -o priority=warning"
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
    SyscallRules rules = SyscallRules.bind(loaded.ruleset(), s, hostname);
    err.println(
        "vigil: "
            + rules.engine().rules().size()
            + " syscall rules loaded, "
            + rules.events().size()
            + " event types needed by them");
    AlertSink sink = new AlertSink(out, s, hostname);
    return Live.run(
        new Capture.Options(rules.events(), (long) ringMiB << 20, true),
        e -> rules.evaluate(e, sink),
        Recording.none(),
        durationNanos,
        err,
        r -> report(r, sink, err));
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
