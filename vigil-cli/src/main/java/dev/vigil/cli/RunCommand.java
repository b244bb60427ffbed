package dev.vigil.cli;

import dev.vigil.cli.daemon.Daemon;
import dev.vigil.cli.daemon.DaemonConfig;
import dev.vigil.cli.daemon.Generation;
import dev.vigil.kernel.Capture;
import dev.vigil.kernel.OpenFilter;
import dev.vigil.kernel.capture.Recording;
import dev.vigil.kernel.ffi.ProbeException;
import dev.vigil.kernel.ffi.Scheduling;
import dev.vigil.output.OutputException;
import dev.vigil.output.OutputStats;
import dev.vigil.output.PromText;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
      "Watch syscalls and Kubernetes audit logs live; send alerts to the configured outputs.",
      "Reads vigil.yaml (-c; Falco's falco.yaml keys), loads its rules_files (or the -r",
      "files; Vigil's bundled rules by default), captures the event types the rules need",
      "plus what process and fd tracking needs, follows the k8s audit logs it names, and",
      "delivers each alert to every enabled output (stdout by default) through its own",
      "bounded queue. Serves /healthz, /metrics",
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
      "  k8saudit.files=FILE[,FILE...]       follow these k8s audit logs (k8s_audit rules)",
      "  k8saudit.checkpoint_dir=DIR         where their positions are kept across restarts",
      "                                      (default /var/lib/vigil/k8saudit)",
      "  k8saudit.webhook.listen=HOST:PORT   receive kube-apiserver's audit webhook on",
      "                                      POST /k8s-audit (Falco's: 0.0.0.0:9765)",
      "  k8saudit.webhook.ssl_certificate=FILE",
      "                                      HTTPS: PEM certificate and key (or the key",
      "                                      in k8saudit.webhook.ssl_key=FILE)",
      "  k8saudit.webhook.client_ca=FILE     require client certificates from this CA",
      "  k8saudit.webhook.token_file=FILE    require this bearer token",
      "  k8saudit.webhook.spool_dir=DIR      acknowledge batches once they are on disk",
      "                                      there; replayed after a restart (default off)",
      "  k8saudit.webhook.spool_max_size=N   the spool's bytes at most (default 1 GiB)",
      "",
      "Needs root (or CAP_BPF and CAP_PERFMON), a kernel with BTF (5.17+) and libbpf1.",
      "",
      "Examples:",
      "  vigil run -c /etc/vigil/vigil.yaml",
      "  vigil run -r /etc/falco/falco_rules.yaml -o json_output=true",
      "  vigil run -o http_output.enabled=true -o http_output.url=http://falcosidekick:2801/",
      "  vigil run --duration 60s -o priority=warning",
      "  vigil run --disable-source syscall -o k8saudit.files=/var/log/kubernetes/audit/audit.log",
      "  vigil run --disable-source syscall -o k8saudit.webhook.listen=0.0.0.0:9765 \\",
      "      -o k8saudit.webhook.ssl_certificate=tls.crt \\",
      "      -o k8saudit.webhook.ssl_key=tls.key"
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
      names = "--disable-source",
      paramLabel = "SOURCE",
      description = "Do not run this event source: syscall or k8s_audit (repeatable).")
  List<String> disabled = new ArrayList<>();

  @Option(
      names = "--ring-size",
      paramLabel = "MiB",
      description = "Size of the kernel ring buffer in MiB, a power of two (default 8).")
  int ringMiB = 8;

  @Option(
      names = "--priority-boost",
      paramLabel = "N",
      description =
          "Run the agent's threads at nice value -N (0 to 20; default 0), so that under a load"
              + " that keeps every core busy the capture keeps up with the kernel (as auditd's"
              + " priority_boost). Needs root or CAP_SYS_NICE.")
  int priorityBoost;

  @Option(
      names = "--open-filter",
      description =
          "Keep opens of regular files that no loaded rule can match (and their closes) in the"
              + " kernel instead of sending every open of the selected event types.")
  boolean openFilter;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    long durationNanos = parseDuration(duration);
    if (Integer.bitCount(ringMiB) != 1 || ringMiB > 1024) {
      throw new UserError(
          ExitCode.USAGE, "--ring-size must be a power of two between 1 and 1024 MiB");
    }
    if (priorityBoost < 0 || priorityBoost > Scheduling.MAX_BOOST) {
      throw new UserError(ExitCode.USAGE, "--priority-boost must be between 0 and 20");
    }
    if (priorityBoost > 0) {
      try {
        Scheduling.boost(priorityBoost);
      } catch (ProbeException e) {
        throw new UserError(ExitCode.RUNTIME, String.valueOf(e.getMessage()));
      }
    }
    String hostname = Hostname.get();
    for (String d : disabled) {
      if (!d.equals("syscall") && !d.equals("k8s_audit")) {
        throw new UserError(
            ExitCode.USAGE, "--disable-source: expected syscall or k8s_audit, got '" + d + "'");
      }
    }
    DaemonConfig c = config.loadOrExit(err);
    DaemonConfig.K8sAudit audit = c.k8sAudit();
    boolean hook = !audit.webhookListen().isEmpty() && !disabled.contains("k8s_audit");
    Optional<dev.vigil.k8saudit.webhook.WebhookConfig> hookConfig =
        hook ? Optional.of(AuditWebhook.config(audit)) : Optional.empty();
    boolean syscalls = !disabled.contains("syscall");
    List<Path> auditFiles =
        disabled.contains("k8s_audit") ? List.of() : audit.files().stream().map(Path::of).toList();
    if (!syscalls && auditFiles.isEmpty() && !hook) {
      throw new UserError(
          ExitCode.USAGE,
          "nothing to watch: the syscall source is disabled and no k8s audit input is given"
              + " (-o k8saudit.files=FILE or -o k8saudit.webhook.listen=HOST:PORT)");
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
    if (syscalls) {
      err.println(
          "vigil: "
              + rules.engine().rules().size()
              + " syscall rules loaded, "
              + rules.events().size()
              + " event types needed by them");
    }

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
    Optional<AuditFollower> follower;
    Optional<AuditWebhook> webhook = Optional.empty();
    // the files and the webhook each have one thread; the rules see one event at a time
    Object auditLock = new Object();
    java.util.function.Consumer<dev.vigil.k8saudit.event.AuditEvent> onAudit =
        e -> {
          synchronized (auditLock) {
            daemon.onAudit(e);
          }
        };
    try {
      follower = follow(auditFiles, audit.checkpointDir(), first, onAudit, err);
      if (hookConfig.isPresent()) {
        AuditWebhook w = AuditWebhook.start(hookConfig.get(), onAudit, err);
        webhook = Optional.of(w);
        err.println(
            "vigil: "
                + first.k8sAudit().rules().size()
                + " k8s_audit rules loaded; receiving the audit webhook on "
                + w.url()
                + (hookConfig.get().transport()
                        instanceof dev.vigil.k8saudit.webhook.WebhookConfig.Transport.Plain
                    ? " (plain HTTP: set k8saudit.webhook.ssl_certificate for HTTPS)"
                    : "")
                + (hookConfig.get().spool()
                        instanceof dev.vigil.k8saudit.webhook.WebhookConfig.Spool.On on
                    ? " (spooled to " + on.dir() + ")"
                    : ""));
        err.flush();
      }
    } catch (UserError e) {
      daemon.shutdown();
      throw e;
    }
    Optional<AuditWebhook> receiver = webhook;
    if (!syscalls) {
      return Live.idle(
          durationNanos,
          err,
          seconds -> {
            receiver.ifPresent(w -> stopReceiving(w, err));
            follower.ifPresent(f -> stopFollowing(f, err));
            boolean flushed = daemon.shutdown();
            err.printf(
                "vigil: stopped after %.1f s, %d alerts%s%n",
                seconds, alerts(daemon), flushed ? "" : FLUSH_WARNING);
            printCounts(daemon, err);
            return ExitCode.OK;
          });
    }
    return Live.run(
        new Capture.Options(
            rules.events(),
            (long) ringMiB << 20,
            true,
            openFilter ? rules.openFilter() : OpenFilter.none()),
        daemon::onSyscall,
        Recording.none(),
        durationNanos,
        err,
        capture -> daemon.addMetrics(t -> captureMetrics(capture.stats(), t)),
        r -> {
          receiver.ifPresent(w -> stopReceiving(w, err));
          follower.ifPresent(f -> stopFollowing(f, err));
          return finish(r, daemon, err);
        });
  }

  private static final String FLUSH_WARNING =
      " (some outputs could not deliver everything: see the drop counts)";

  /** The k8s_audit source over log files, when the configuration names some. */
  private static Optional<AuditFollower> follow(
      List<Path> files,
      Path checkpoints,
      Generation g,
      java.util.function.Consumer<dev.vigil.k8saudit.event.AuditEvent> onAudit,
      PrintWriter err) {
    if (files.isEmpty()) {
      return Optional.empty();
    }
    try {
      AuditFollower f = new AuditFollower(files, checkpoints, onAudit, err);
      err.println(
          "vigil: "
              + g.k8sAudit().rules().size()
              + " k8s_audit rules loaded; following "
              + files.size()
              + " audit log"
              + (files.size() == 1 ? "" : "s")
              + " (checkpoints in "
              + checkpoints
              + ")");
      err.flush();
      f.start();
      return Optional.of(f);
    } catch (IOException e) {
      throw new UserError(
          ExitCode.RUNTIME,
          "cannot use the checkpoint directory " + checkpoints + ": " + e.getMessage());
    }
  }

  /** Stops listening and runs every acknowledged event through the rules. */
  private static void stopReceiving(AuditWebhook w, PrintWriter err) {
    w.stop();
    w.printStats(err);
  }

  private static void stopFollowing(AuditFollower f, PrintWriter err) {
    f.stop();
    err.printf(
        "vigil: k8s audit logs: %d events%s%n",
        f.events(), f.problems() > 0 ? ", " + f.problems() + " could not be read" : "");
  }

  private static long alerts(Daemon daemon) {
    return daemon.outputs().alertsByRule().values().stream().mapToLong(Long::longValue).sum();
  }

  /** Alerts per rule, and the outputs that dropped or failed. */
  private static void printCounts(Daemon daemon, PrintWriter err) {
    daemon.outputs().alertsByRule().forEach((rule, n) -> err.printf("  %6d  %s%n", n, rule));
    for (OutputStats o : daemon.outputs().stats()) {
      if (o.dropped() > 0 || o.failures() > 0) {
        err.printf(
            "  output %s: %d delivered, %d dropped, %d failed attempts%n",
            o.name(), o.delivered(), o.dropped(), o.failures());
      }
    }
    err.flush();
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
    err.printf(
        "vigil: stopped after %.1f s: %d events (%.0f/s), %d dropped in the kernel%s, %d alerts%s%n",
        r.seconds(),
        st.delivered(),
        st.delivered() / r.seconds(),
        st.drops(),
        st.tooBig() > 0 ? " (" + st.tooBig() + " too large)" : "",
        alerts(daemon),
        flushed ? "" : FLUSH_WARNING);
    if (st.filtered() > 0) {
      err.printf(
          "vigil: %d opens and closes no rule needed were kept in the kernel%n", st.filtered());
    }
    printCounts(daemon, err);
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
