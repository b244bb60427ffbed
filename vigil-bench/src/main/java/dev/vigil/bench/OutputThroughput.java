package dev.vigil.bench;

import dev.vigil.kernel.SyscallSource;
import dev.vigil.kernel.event.SyscallEvent;
import dev.vigil.kernel.fields.SyscallFields;
import dev.vigil.output.Delivery;
import dev.vigil.output.FalcoFormat;
import dev.vigil.output.OutputException;
import dev.vigil.output.OutputStats;
import dev.vigil.output.Outputs;
import dev.vigil.output.Rendering;
import dev.vigil.output.SinkConfig;
import dev.vigil.rules.Alert;
import dev.vigil.rules.Engine;
import dev.vigil.rules.LoadResult;
import dev.vigil.rules.Priority;
import dev.vigil.rules.RulesFile;
import dev.vigil.rules.RulesLoader;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * A harness (not JMH: it measures end-to-end delivery through threads and real endpoints) for the
 * daemon issue's output benchmarks.
 *
 * <p>{@code outputs} mode: alerts per second delivered through one output, each in Falco's JSON, to
 * a real endpoint on loopback: stdout ({@code /dev/null}), a file, a program ({@code cat >
 * /dev/null}), an HTTP server (one POST per alert, as Falco and falcosidekick do), syslog over UDP
 * and TCP, a Kafka broker, and the SQLite alert store. The alerts are real matches of a Falco-style
 * rule over the synthetic workload, rendered by the output. The submitter only waits when the
 * output's queue is nearly full, so nothing is dropped and the figure is the output's own rate.
 *
 * <p>{@code detection} mode: the detection thread evaluates the rule over the synthetic events and
 * hands every alert to the outputs; alerts/s reaching stdout ({@code /dev/null}) alone, with a dead
 * HTTP output attached (connections refused), and with a slow one (each request held 10 s). Each
 * variant runs {@code --rounds} times; the median is reported.
 *
 * <p>Usage: {@code java -cp vigil-bench/target/benchmarks.jar dev.vigil.bench.OutputThroughput
 * outputs|detection [--alerts N] [--rounds R] [OUTPUT...]}
 */
public final class OutputThroughput {
  static final String RULE =
      """
      - rule: File opened
        desc: every file opened (benchmark rule; output shaped like Falco's sensitive-file rules)
        condition: evt.type in (open, openat, openat2) and fd.name startswith /
        output: >
          File opened by program | file=%fd.name gparent=%proc.aname[2] evt_type=%evt.type
          user=%user.name user_uid=%user.uid user_loginuid=%user.loginuid process=%proc.name
          proc_exepath=%proc.exepath parent=%proc.pname command=%proc.cmdline terminal=%proc.tty
        priority: WARNING
        tags: [filesystem, mitre_credential_access, T1555, maturity_stable]
      """;
  static final List<String> CONTAINER_FIELDS =
      List.of(
          "container.id",
          "container.name",
          "container.image.repository",
          "container.image.tag",
          "k8s.ns.name",
          "k8s.pod.name");
  static final Rendering JSON = new Rendering(FalcoFormat.Options.defaults(), true, "bench-node-1");
  static final int CAPACITY = Delivery.DEFAULT_CAPACITY;

  /** The depth of stdout's queue above which the detection loop waits (see detectionRound). */
  static final int SHALLOW = 16_384;

  static final List<String> ALL =
      List.of("stdout", "file", "program", "http", "syslog-udp", "syslog-tcp", "kafka", "store");

  private final Engine<SyscallEvent> engine;
  private final SyntheticWorkload load;
  private final Path tmp;

  OutputThroughput(Path tmp) {
    this.tmp = tmp;
    LoadResult r =
        new RulesLoader(List.of(SyscallSource.info()))
            .load(List.of(new RulesFile("bench_rules.yaml", RULE)));
    if (!r.ok()) {
      throw new IllegalStateException("the benchmark rule does not load: " + r.errors());
    }
    engine =
        Engine.bind(
            r.ruleset(),
            SyscallSource.info(),
            new SyscallFields(SyscallSource.info().eventTypes(), "bench-node-1"),
            new Engine.Options(Engine.Matching.FIRST, Priority.DEBUG, CONTAINER_FIELDS));
    load = SyntheticWorkload.generate(1 << 18, 400, 42);
  }

  public static void main(String[] args) throws Exception {
    String mode = args.length > 0 ? args[0] : "outputs";
    int alerts = 500_000;
    int rounds = 5;
    List<String> which = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      switch (args[i]) {
        case "--alerts" -> alerts = Integer.parseInt(args[++i]);
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        default -> which.add(args[i]);
      }
    }
    Path tmp = Files.createTempDirectory("vigil-bench-outputs");
    OutputThroughput h = new OutputThroughput(tmp);
    System.out.printf(
        "# %s, %d alerts per run, Java %s, %d CPUs, load average %s%n",
        mode, alerts, Runtime.version(), Runtime.getRuntime().availableProcessors(), loadAverage());
    switch (mode) {
      case "outputs" -> {
        for (String o : which.isEmpty() ? ALL : which) {
          h.output(o, alerts);
        }
      }
      case "detection" -> h.detection(alerts, rounds);
      default -> throw new IllegalArgumentException("mode: outputs or detection, got " + mode);
    }
    try (Stream<Path> s = Files.walk(tmp)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** The machine's load (the figures mean little when other work shares the CPUs). */
  static String loadAverage() {
    try {
      List<String> l = List.of(Files.readString(Path.of("/proc/loadavg")).strip().split(" ", -1));
      return String.join(" ", l.subList(0, Math.min(3, l.size())));
    } catch (IOException e) {
      return "unknown";
    }
  }

  /** Real alerts: the rule's matches over the workload, rendered by the engine. */
  Alert[] alerts(int max) {
    List<Alert> out = new ArrayList<>();
    SyscallEvent e = new SyscallEvent();
    for (int i = 0; i < load.size() && out.size() < max; i++) {
      e.wrap(load.buffer, load.offsets[i], i + 1).resolve(load.threads[i], load.fds[i]);
      engine.match(e, r -> out.add(r.alert(e, e.timestamp())));
    }
    return out.toArray(Alert[]::new);
  }

  static Delivery delivery() {
    return new Delivery(CAPACITY, 0, 1000, 5, Priority.DEBUG);
  }

  static PrintWriter devNull() throws IOException {
    return new PrintWriter(
        new OutputStreamWriter(new FileOutputStream("/dev/null"), StandardCharsets.UTF_8), false);
  }

  private void output(String name, int n) throws Exception {
    Alert[] pool = alerts(65_536);
    List<AutoCloseable> endpoints = new ArrayList<>();
    try {
      Endpoints.Receiver rx = Endpoints.NONE;
      SinkConfig cfg;
      switch (name) {
        case "stdout" -> cfg = new SinkConfig.Stdout(false, delivery());
        case "file" ->
            cfg = new SinkConfig.File(tmp.resolve("events.json"), true, 0, 1, delivery());
        case "program" ->
            cfg =
                new SinkConfig.Program("cat > /dev/null", true, Duration.ofSeconds(10), delivery());
        case "http" -> {
          Endpoints.Http h = new Endpoints.Http(0);
          endpoints.add(h);
          rx = h;
          cfg =
              new SinkConfig.Http(
                  h.url(),
                  "falcosecurity/falco",
                  SinkConfig.Tls.system(),
                  false,
                  Duration.ofSeconds(5),
                  Map.of(),
                  delivery());
        }
        case "syslog-udp" -> {
          Endpoints.SyslogUdp s = new Endpoints.SyslogUdp();
          endpoints.add(s);
          rx = s;
          cfg =
              new SinkConfig.Syslog(
                  SinkConfig.Transport.UDP, "127.0.0.1", s.port(), Path.of(""), 1, delivery());
        }
        case "syslog-tcp" -> {
          Endpoints.SyslogTcp s = new Endpoints.SyslogTcp();
          endpoints.add(s);
          rx = s;
          cfg =
              new SinkConfig.Syslog(
                  SinkConfig.Transport.TCP, "127.0.0.1", s.port(), Path.of(""), 1, delivery());
        }
        case "kafka" -> {
          Path dir = Files.createDirectories(tmp.resolve("kafka"));
          System.out.println("# starting a Kafka broker (KRaft) on loopback ...");
          Endpoints.Kafka k = Endpoints.Kafka.start(dir);
          endpoints.add(k);
          cfg =
              new SinkConfig.Kafka(
                  List.of(k.bootstrap()), "falco", "all", "none", "vigil", Map.of(), delivery());
        }
        case "store" ->
            cfg = new SinkConfig.Store(tmp.resolve("alerts.db"), Duration.ZERO, delivery());
        default -> throw new IllegalArgumentException("no output " + name + "; one of " + ALL);
      }
      run(name, cfg, pool, n, rx);
    } finally {
      for (AutoCloseable c : endpoints.reversed()) {
        c.close();
      }
    }
  }

  private static void run(String name, SinkConfig cfg, Alert[] pool, int n, Endpoints.Receiver rx)
      throws OutputException, IOException, InterruptedException {
    try (PrintWriter stdout = devNull();
        Outputs out = Outputs.start(List.of(cfg), JSON, stdout, Duration.ofSeconds(60))) {
      int warm = Math.max(1000, n / 5);
      send(out, pool, 0, warm, name);
      awaitDelivered(out, name, warm, Duration.ofMinutes(5));
      long t0 = System.nanoTime();
      send(out, pool, warm, n, name);
      boolean done = awaitDelivered(out, name, (long) warm + n, Duration.ofMinutes(10));
      double secs = (System.nanoTime() - t0) / 1e9;
      OutputStats s = stat(out, name);
      long delivered = s.delivered() - warm;
      String received = rx.equals(Endpoints.NONE) ? "" : ", received " + (rx.received() - warm);
      System.out.printf(
          "%-11s %,12.0f alerts/s  (%,d alerts in %.2f s%s, dropped %d, failures %d%s)%n",
          name,
          delivered / secs,
          delivered,
          secs,
          received,
          s.dropped(),
          s.failures(),
          done ? "" : ", INCOMPLETE");
    }
  }

  /** Submits {@code n} alerts, waiting only while the output's queue is nearly full. */
  private static void send(Outputs out, Alert[] pool, int from, int n, String name) {
    for (int i = 0; i < n; i++) {
      out.submit(pool[(from + i) % pool.length]);
      if ((i & 1023) == 1023) {
        while (stat(out, name).depth() > CAPACITY - 4096) {
          LockSupport.parkNanos(100_000);
        }
      }
    }
  }

  private static boolean awaitDelivered(Outputs out, String name, long n, Duration max) {
    long end = System.nanoTime() + max.toNanos();
    while (System.nanoTime() < end) {
      OutputStats s = stat(out, name);
      if (s.delivered() + s.dropped() >= n) {
        return s.delivered() >= n;
      }
      LockSupport.parkNanos(200_000);
    }
    return false;
  }

  private static OutputStats stat(Outputs out, String name) {
    for (OutputStats s : out.stats()) {
      if (s.name().equals(name.startsWith("syslog") ? "syslog" : name)) {
        return s;
      }
    }
    throw new IllegalStateException("no output " + name);
  }

  // ---- detection mode: a dead or slow HTTP output must not slow alerts to stdout ----

  private void detection(int n, int rounds) throws Exception {
    try (Endpoints.Http slow = new Endpoints.Http(10_000)) {
      SinkConfig.Http dead = http(Endpoints.deadUrl());
      SinkConfig.Http held = http(slow.url());
      String[] names = {"stdout only", "stdout + dead http", "stdout + slow http"};
      List<List<SinkConfig>> variants =
          List.of(List.of(stdoutCfg()), List.of(stdoutCfg(), dead), List.of(stdoutCfg(), held));
      double[][] rates = new double[variants.size()][rounds];
      for (int round = -1; round < rounds; round++) {
        for (int v = 0; v < variants.size(); v++) {
          double r = detectionRound(variants.get(v), n);
          if (round >= 0) {
            rates[v][round] = r;
          }
        }
      }
      double base = median(rates[0]);
      for (int v = 0; v < variants.size(); v++) {
        double m = median(rates[v]);
        System.out.printf(
            "%-20s %,12.0f alerts/s to stdout (median of %d; rounds %s)  %+.1f%%%n",
            names[v], m, rounds, rounds(rates[v]), 100 * (m - base) / base);
      }
    }
  }

  static SinkConfig.Stdout stdoutCfg() {
    return new SinkConfig.Stdout(false, delivery());
  }

  static SinkConfig.Http http(java.net.URI url) {
    return new SinkConfig.Http(
        url,
        "falcosecurity/falco",
        SinkConfig.Tls.system(),
        false,
        Duration.ofSeconds(2),
        Map.of(),
        delivery());
  }

  /**
   * One round: the detection loop over the workload until {@code n} alerts were raised; returns the
   * alerts per second that reached stdout (from the first event to the last delivery).
   */
  private double detectionRound(List<SinkConfig> cfgs, int n) throws Exception {
    try (PrintWriter stdout = devNull();
        Outputs out = Outputs.start(cfgs, JSON, stdout, Duration.ofMillis(100))) {
      SyscallEvent e = new SyscallEvent();
      long[] raised = {0};
      long t0 = System.nanoTime();
      int i = 0;
      while (raised[0] < n) {
        int k = i++ % load.size();
        e.wrap(load.buffer, load.offsets[k], i).resolve(load.threads[k], load.fds[k]);
        engine.match(
            e,
            r -> {
              out.submit(r.alert(e, e.timestamp()));
              raised[0]++;
            });
        if ((i & 4095) == 0) {
          // keep stdout's queue short: the figure is its delivery rate, not how much it buffers
          while (stat(out, "stdout").depth() > SHALLOW) {
            LockSupport.parkNanos(100_000);
          }
        }
      }
      if (!awaitDelivered(out, "stdout", raised[0], Duration.ofMinutes(5))) {
        throw new IllegalStateException("stdout did not deliver every alert");
      }
      double secs = (System.nanoTime() - t0) / 1e9;
      return raised[0] / secs;
    }
  }

  static double median(double[] xs) {
    double[] s = xs.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  static String rounds(double[] xs) {
    StringBuilder b = new StringBuilder();
    for (double x : xs) {
      b.append(b.isEmpty() ? "" : " ").append(String.format("%,.0f", x));
    }
    return b.toString();
  }
}
