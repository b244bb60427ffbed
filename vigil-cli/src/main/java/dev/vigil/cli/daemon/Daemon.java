package dev.vigil.cli.daemon;

import dev.vigil.k8saudit.event.AuditEvent;
import dev.vigil.kernel.event.SyscallEvent;
import dev.vigil.output.JsonWriter;
import dev.vigil.output.OutputException;
import dev.vigil.output.Outputs;
import dev.vigil.output.PromText;
import dev.vigil.rules.Engine;
import dev.vigil.rules.RulesFile;
import dev.vigil.rules.RulesLoader;
import dev.vigil.rules.load.Reader;
import dev.vigil.rules.load.Requirements;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running daemon: the current {@link Generation} (configuration, rules, engines), the outputs,
 * the web endpoints, and reloads. {@link #onSyscall} and {@link #onAudit} are the detection paths
 * (each called from its source's one thread): they read the current generation once per event,
 * evaluate the rules and hand alerts to the outputs, never blocking.
 *
 * <p>A reload (SIGHUP, or a watched file changing) reads the configuration again, loads and binds
 * the rules, and opens any new outputs, all before switching; if any step fails, the running
 * generation stays and the error is logged.
 */
public final class Daemon implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);

  /** One event in this many has its rule evaluation timed (a clock read costs ~20 ns). */
  static final int TIMING_SAMPLE = 256;

  private final Supplier<ConfigLoader.Result> configSource;
  private final Generation.Preparer preparer;
  private final String hostname;
  private final String version;
  private final Outputs outputs;
  private volatile Generation current;
  private @Nullable WebServer web;
  private @Nullable FileWatcher watcher;
  private final List<Consumer<PromText>> extraMetrics = new CopyOnWriteArrayList<>();

  private final LongAdder syscallEvents = new LongAdder();
  private final LongAdder auditEvents = new LongAdder();
  private long sampleCounter;
  private final LongAdder timedEvents = new LongAdder();
  private final LongAdder timedNanos = new LongAdder();
  private final AtomicLong reloadsOk = new AtomicLong();
  private final AtomicLong reloadsFailed = new AtomicLong();
  private volatile long lastReloadEpochNanos;
  private final Object reloadLock = new Object();

  private Daemon(
      Supplier<ConfigLoader.Result> configSource,
      Generation.Preparer preparer,
      Generation first,
      Outputs outputs,
      String hostname,
      String version) {
    this.configSource = configSource;
    this.preparer = preparer;
    this.current = first;
    this.outputs = outputs;
    this.hostname = hostname;
    this.version = version;
    this.lastReloadEpochNanos = nowEpochNanos();
  }

  /**
   * Starts with an already prepared generation: opens the outputs, binds the web server, installs
   * SIGHUP/SIGUSR1 handlers (when {@code signals}) and the file watcher (when configured).
   *
   * @throws OutputException an output cannot be opened
   * @throws IOException the web server cannot bind
   */
  public static Daemon start(
      Generation first,
      Supplier<ConfigLoader.Result> configSource,
      Generation.Preparer preparer,
      PrintWriter stdout,
      String hostname,
      String version,
      boolean signals)
      throws OutputException, IOException {
    DaemonConfig c = first.config();
    Outputs outputs = Outputs.start(c.outputs(), c.rendering(hostname), stdout, drainTimeout(c));
    Daemon d = new Daemon(configSource, preparer, first, outputs, hostname, version);
    try {
      if (c.webserver().enabled()) {
        d.web = new WebServer(c.webserver(), d::versions, d::metrics);
      }
      if (c.watchConfigFiles()) {
        d.watcher = new FileWatcher(d.watchedPaths(first), d::reload);
      }
    } catch (IOException e) {
      d.close();
      throw e;
    }
    if (signals) {
      Signals.handle("HUP", d::reload);
      Signals.handle("USR1", outputs::reopen);
    }
    return d;
  }

  static Duration drainTimeout(DaemonConfig c) {
    return c.outputTimeout().multipliedBy(5).compareTo(Duration.ofSeconds(5)) < 0
        ? Duration.ofSeconds(5)
        : c.outputTimeout().multipliedBy(5);
  }

  /** The detection path for syscall events. */
  public void onSyscall(SyscallEvent e) {
    syscallEvents.increment();
    Engine<SyscallEvent> engine = current.syscall();
    if (++sampleCounter % TIMING_SAMPLE != 0) {
      engine.match(e, r -> outputs.submit(r.alert(e, e.timestamp())));
      return;
    }
    long t0 = System.nanoTime();
    engine.match(e, r -> outputs.submit(r.alert(e, e.timestamp())));
    timedNanos.add(System.nanoTime() - t0);
    timedEvents.increment();
  }

  /**
   * The detection path for k8s audit events; an alert is raised only for an event that is
   * well-formed JSON throughout (the reader reports a malformed one instead).
   */
  public void onAudit(AuditEvent e) {
    auditEvents.increment();
    current
        .k8sAudit()
        .match(
            e,
            r -> {
              if (e.validate()) {
                outputs.submit(r.alert(e, e.timestamp()));
              }
            });
  }

  /** Successful reloads so far. */
  public long reloads() {
    return reloadsOk.get();
  }

  public Generation current() {
    return current;
  }

  public Outputs outputs() {
    return outputs;
  }

  /** The web server's port, if it runs. */
  public Optional<Integer> webPort() {
    WebServer w = web;
    return w == null ? Optional.empty() : Optional.of(w.port());
  }

  /** More metrics to serve on {@code /metrics} (the capture's counters, for example). */
  public void addMetrics(Consumer<PromText> writer) {
    extraMetrics.add(writer);
  }

  /** Reloads configuration and rules; returns false (and keeps running as before) on failure. */
  public boolean reload() {
    synchronized (reloadLock) {
      LOG.info("reloading configuration and rules");
      ConfigLoader.Result r = configSource.get();
      r.diagnostics().forEach(d -> (d.error() ? Level.ERROR : Level.WARN).log(d.render()));
      if (!r.ok()) {
        return failed("the configuration has errors");
      }
      DaemonConfig c = r.config().orElseThrow();
      Generation next;
      switch (preparer.prepare(c)) {
        case Generation.Prepared.Failed f -> {
          f.errors().forEach(LOG::error);
          return failed("the rules have errors");
        }
        case Generation.Prepared.Ready ready -> next = ready.generation();
      }
      try {
        outputs.reconfigure(c.outputs(), c.rendering(hostname));
      } catch (OutputException e) {
        LOG.error("{}", e.getMessage());
        return failed("an output cannot be opened");
      }
      Generation old = current;
      current = next;
      if (!old.config().webserver().equals(c.webserver())) {
        LOG.warn("webserver settings changed: they take effect when Vigil restarts");
      }
      resetWatcher(next);
      reloadsOk.incrementAndGet();
      lastReloadEpochNanos = nowEpochNanos();
      if (!old.config().k8sAudit().equals(c.k8sAudit())) {
        LOG.warn("k8saudit settings changed: they take effect when Vigil restarts");
      }
      LOG.info(
          "reloaded: {} syscall rules, {} k8s_audit rules, {} outputs",
          next.syscall().rules().size(),
          next.k8sAudit().rules().size(),
          c.outputs().size());
      return true;
    }
  }

  private boolean failed(String why) {
    reloadsFailed.incrementAndGet();
    LOG.error("reload failed: {}; the running configuration and rules stay in place", why);
    return false;
  }

  private void resetWatcher(Generation g) {
    FileWatcher w = watcher;
    if (w != null) {
      w.close();
      watcher = null;
    }
    if (g.config().watchConfigFiles()) {
      try {
        watcher = new FileWatcher(watchedPaths(g), this::reload);
      } catch (IOException e) {
        LOG.warn("cannot watch the configuration and rules files: {}", e.toString());
      }
    }
  }

  private List<Path> watchedPaths(Generation g) {
    List<Path> paths = new ArrayList<>(g.config().files());
    for (String f : g.config().rulesFiles()) {
      if (!f.startsWith("bundled:")) {
        paths.add(Path.of(f));
      }
    }
    return paths;
  }

  /** Falco's {@code /versions}, which falcoctl reads to pick compatible rules. */
  String versions() {
    Requirements.Version v = Reader.ENGINE_VERSION;
    return JsonWriter.string(j -> {
      j.beginObject();
      j.field("default_driver_version", "");
      j.field("driver_api_version", "");
      j.field("driver_schema_version", "");
      j.field("engine_version", Integer.toString(v.minor()));
      j.field("engine_version_semver", v.major() + "." + v.minor() + "." + v.patch());
      j.field("falco_version", "0.44.1");
      j.field("libs_version", "");
      j.field("plugin_api_version", "");
      j.name("plugin_versions").beginObject();
      for (Requirements.PluginVersion p : RulesLoader.BUILTIN_PLUGINS) {
        j.field(p.name(), p.version());
      }
      j.endObject();
      j.field("vigil_version", version);
      j.endObject();
    });
  }

  /** Everything {@code /metrics} serves. */
  PromText metrics() {
    PromText t = new PromText();
    t.family("falcosecurity_falco_version_info", "gauge", "Vigil's Falco compatibility version.");
    t.sample("falcosecurity_falco_version_info", 1, "version", "0.44.1", "vigil_version", version);
    t.family("falcosecurity_vigil_events_total", "counter", "Events evaluated, by source.");
    t.sample("falcosecurity_vigil_events_total", syscallEvents.sum(), "source", "syscall");
    t.sample("falcosecurity_vigil_events_total", auditEvents.sum(), "source", "k8s_audit");
    t.family(
        "falcosecurity_vigil_rule_evaluation_seconds",
        "summary",
        "Rule evaluation time per event, measured on one event in " + TIMING_SAMPLE + ".");
    t.sample("falcosecurity_vigil_rule_evaluation_seconds_count", timedEvents.sum());
    t.sample("falcosecurity_vigil_rule_evaluation_seconds_sum", timedNanos.sum() / 1e9);
    Generation g = current;
    t.family("falcosecurity_vigil_rules_loaded", "gauge", "Enabled rules, by source.");
    t.sample("falcosecurity_vigil_rules_loaded", g.syscall().rules().size(), "source", "syscall");
    t.sample(
        "falcosecurity_vigil_rules_loaded", g.k8sAudit().rules().size(), "source", "k8s_audit");
    t.family(
        "falcosecurity_falco_sha256_rules_files_info", "gauge", "The rules files loaded, by hash.");
    for (RulesFile f : g.rulesFiles()) {
      t.sample(
          "falcosecurity_falco_sha256_rules_files_info",
          1,
          "file_name",
          f.name(),
          "sha256",
          sha256(f.content()));
    }
    t.family(
        "falcosecurity_falco_reload_timestamp_nanoseconds",
        "gauge",
        "When configuration and rules were last loaded, in nanoseconds since the epoch.");
    t.sample("falcosecurity_falco_reload_timestamp_nanoseconds", lastReloadEpochNanos);
    t.family("falcosecurity_vigil_reloads_total", "counter", "Reloads, by result.");
    t.sample("falcosecurity_vigil_reloads_total", reloadsOk.get(), "result", "ok");
    t.sample("falcosecurity_vigil_reloads_total", reloadsFailed.get(), "result", "failed");
    outputs.writeMetrics(t);
    extraMetrics.forEach(m -> m.accept(t));
    return t;
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static long nowEpochNanos() {
    java.time.Instant now = java.time.Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  /** Stops watching and serving, then delivers what the outputs have queued. */
  public boolean shutdown() {
    FileWatcher w = watcher;
    if (w != null) {
      w.close();
    }
    boolean flushed = outputs.close(drainTimeout(current.config()));
    WebServer s = web;
    if (s != null) {
      s.close();
    }
    return flushed;
  }

  @Override
  public void close() {
    shutdown();
  }

  private enum Level {
    ERROR,
    WARN;

    void log(String message) {
      if (this == ERROR) {
        LOG.error("{}", message);
      } else {
        LOG.warn("{}", message);
      }
    }
  }
}
