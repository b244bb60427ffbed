package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.vigil.cli.daemon.ConfigLoader;
import dev.vigil.cli.daemon.Daemon;
import dev.vigil.cli.daemon.DaemonConfig;
import dev.vigil.cli.daemon.Generation;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon end to end, without the kernel: synthetic syscall events through the rule engine to
 * real outputs (a file, an HTTP receiver on loopback), the web endpoints, and reloads.
 */
class DaemonTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String RULES =
      """
      - rule: Read shadow
        desc: the shadow file opened
        condition: evt.type in (open, openat) and fd.name = /etc/shadow
        output: shadow read (proc=%proc.name file=%fd.name user=%user.name)
        priority: WARNING
        tags: [filesystem, T1555]
      """;

  @TempDir Path tmp;
  Path rules;
  Path events;
  Path yaml;
  HttpServer receiver;
  final List<String> posted = new CopyOnWriteArrayList<>();
  final StringWriter stdout = new StringWriter();
  final StringWriter stderr = new StringWriter();
  @Nullable Daemon daemon;

  @BeforeEach
  void setUp() throws IOException {
    rules = tmp.resolve("rules.yaml");
    events = tmp.resolve("events.json");
    yaml = tmp.resolve("vigil.yaml");
    Files.writeString(rules, RULES);
    receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    receiver.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    receiver.createContext(
        "/",
        ex -> {
          try (InputStream in = ex.getRequestBody()) {
            posted.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
          }
          ex.sendResponseHeaders(200, -1);
          ex.close();
        });
    receiver.start();
    writeConfig(false);
  }

  void writeConfig(boolean watch) throws IOException {
    Files.writeString(
        yaml,
        """
        rules_files:
          - %s
        json_output: true
        # shutdown waits 5 x this for the outputs to drain: room for 10,000 POSTs on a busy machine
        output_timeout: 10000
        stdout_output:
          enabled: false
        file_output:
          enabled: true
          keep_alive: true
          filename: %s
        http_output:
          enabled: true
          url: http://127.0.0.1:%d/
        webserver:
          listen_address: 127.0.0.1
          listen_port: 0
          prometheus_metrics_enabled: true
        watch_config_files: %s
        """
            .formatted(rules, events, receiver.getAddress().getPort(), watch));
  }

  @AfterEach
  void tearDown() {
    Daemon d = daemon;
    if (d != null) {
      d.shutdown();
    }
    receiver.stop(0);
  }

  Daemon start() throws Exception {
    ConfigLoader.Result r = ConfigLoader.load(Optional.of(yaml), List.of());
    assertThat(r.diagnostics()).isEmpty();
    DaemonConfig c = r.config().orElseThrow();
    DaemonRules prep = new DaemonRules(List.of(), "node-1", new PrintWriter(stderr, true));
    Generation g = ((Generation.Prepared.Ready) prep.prepare(c)).generation();
    Daemon d =
        Daemon.start(
            g,
            () -> ConfigLoader.load(Optional.of(yaml), List.of()),
            prep,
            new PrintWriter(stdout, true),
            "node-1",
            "test",
            false);
    daemon = d;
    return d;
  }

  static boolean await(BooleanSupplier done) throws InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < end) {
      if (done.getAsBoolean()) {
        return true;
      }
      Thread.sleep(10);
    }
    return done.getAsBoolean();
  }

  long lines(Path p) {
    try {
      return Files.exists(p) ? Files.readAllLines(p).size() : 0;
    } catch (IOException e) {
      return -1;
    }
  }

  String get(String path) throws Exception {
    int port = java.util.Objects.requireNonNull(daemon).webPort().orElseThrow();
    try (HttpClient c = HttpClient.newHttpClient()) {
      HttpResponse<String> r =
          c.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(path).isEqualTo(200);
      return r.headers().firstValue("Content-Type").orElse("") + "\n" + r.body();
    }
  }

  @Test
  void alertsReachEveryOutputAndTheMetricsCountThem() throws Exception {
    Daemon d = start();
    Events ev = new Events();
    for (int i = 0; i < 10; i++) {
      d.onSyscall(ev.open("/etc/shadow"));
      d.onSyscall(ev.open("/etc/hosts"));
    }
    assertThat(await(() -> lines(events) == 10 && posted.size() == 10)).isTrue();
    JsonNode a = JSON.readTree(Files.readAllLines(events).getFirst());
    assertThat(a.get("rule").asText()).isEqualTo("Read shadow");
    assertThat(a.get("hostname").asText()).isEqualTo("node-1");
    assertThat(a.get("output_fields").get("fd.name").asText()).isEqualTo("/etc/shadow");
    assertThat(a.get("output").asText())
        .contains("shadow read (proc=cat file=/etc/shadow user=root");
    assertThat(JSON.readTree(posted.getFirst())).isEqualTo(a);

    assertThat(get("/healthz")).isEqualTo("application/json\n{\"status\": \"ok\"}");
    JsonNode v = JSON.readTree(get("/versions").split("\n", 2)[1]);
    assertThat(v.get("engine_version").asText()).isEqualTo("63");
    assertThat(v.get("engine_version_semver").asText()).isEqualTo("0.63.0");
    assertThat(v.get("plugin_versions").get("k8saudit").asText()).isNotEmpty();

    assertThat(await(() -> metric("falcosecurity_vigil_output_delivered_total{output=http}") == 10))
        .isTrue();
    String[] m = get("/metrics").split("\n", 2);
    assertThat(m[0]).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
    Map<String, Double> s = PromParser.parse(m[1]);
    assertThat(s)
        .containsEntry("falcosecurity_vigil_events_total{source=syscall}", 20.0)
        .containsEntry(
            "falcosecurity_falco_rules_matches_total{priority=Warning, rule_name=Read shadow,"
                + " source=syscall}",
            10.0)
        .containsEntry("falcosecurity_vigil_output_delivered_total{output=file}", 10.0)
        .containsEntry("falcosecurity_vigil_output_delivered_total{output=http}", 10.0)
        .containsEntry("falcosecurity_falco_outputs_queue_num_drops_total", 0.0)
        .containsEntry("falcosecurity_vigil_output_queue_depth{output=file}", 0.0)
        .containsEntry("falcosecurity_vigil_rules_loaded{source=syscall}", 1.0)
        .containsEntry("falcosecurity_vigil_reloads_total{result=ok}", 0.0)
        .containsKey("falcosecurity_vigil_rule_evaluation_seconds_count");
    assertThat(s.keySet())
        .anyMatch(
            k -> k.startsWith("falcosecurity_falco_sha256_rules_files_info{file_name=" + rules));
  }

  double metric(String key) {
    try {
      return PromParser.parse(get("/metrics").split("\n", 2)[1]).getOrDefault(key, -1.0);
    } catch (Exception e) {
      return -1;
    }
  }

  @Test
  void aBrokenRulesFileOnReloadKeepsTheOldRulesAlerting() throws Exception {
    Daemon d = start();
    Events ev = new Events();
    d.onSyscall(ev.open("/etc/shadow"));
    Files.writeString(rules, RULES.replace("fd.name = /etc/shadow", "fd.nme = /etc/shadow"));
    assertThat(d.reload()).isFalse();
    assertThat(stderr.toString()).contains("rules.yaml:3:").contains("fd.nme");
    d.onSyscall(ev.open("/etc/shadow"));
    d.onSyscall(ev.open("/etc/shadow"));
    assertThat(await(() -> lines(events) == 3)).isTrue();

    // a good change takes effect
    Files.writeString(rules, RULES.replace("/etc/shadow", "/etc/hosts"));
    assertThat(d.reload()).isTrue();
    d.onSyscall(ev.open("/etc/shadow"));
    d.onSyscall(ev.open("/etc/hosts"));
    assertThat(await(() -> lines(events) == 4)).isTrue();
    assertThat(Files.readAllLines(events).getLast()).contains("file=/etc/hosts");
    Map<String, Double> s = PromParser.parse(get("/metrics").split("\n", 2)[1]);
    assertThat(s)
        .containsEntry("falcosecurity_vigil_reloads_total{result=failed}", 1.0)
        .containsEntry("falcosecurity_vigil_reloads_total{result=ok}", 1.0);
  }

  @Test
  void aBrokenConfigurationOnReloadKeepsTheRunningOne() throws Exception {
    Daemon d = start();
    String good = Files.readString(yaml);
    Files.writeString(yaml, good + "priority: sometimes\n");
    assertThat(d.reload()).isFalse();
    d.onSyscall(new Events().open("/etc/shadow"));
    assertThat(await(() -> lines(events) == 1 && posted.size() == 1)).isTrue();
  }

  @Test
  void reloadsDuringAnAlertFloodLoseNothing() throws Exception {
    Daemon d = start();
    int n = 10_000;
    Thread flood =
        Thread.ofPlatform()
            .start(() -> {
              Events ev = new Events();
              for (int i = 0; i < n; i++) {
                d.onSyscall(ev.open("/etc/shadow"));
              }
            });
    String base = Files.readString(yaml);
    for (int i = 0; i < 6; i++) {
      // alternate the outputs' settings, so each reload replaces the file and HTTP outputs
      Files.writeString(yaml, base.replace("json_output: true", "json_output: " + (i % 2 == 0)));
      assertThat(d.reload()).isTrue();
    }
    flood.join();
    assertThat(d.shutdown()).isTrue();
    daemon = null;
    assertThat(lines(events)).isEqualTo(n);
    assertThat(posted).hasSize(n);
  }

  @Test
  void theAlertStoreIsQueryableFromTheCommandLine() throws Exception {
    Path db = tmp.resolve("alerts.db");
    Files.writeString(
        yaml, Files.readString(yaml) + "alert_store:\n  enabled: true\n  path: " + db + "\n");
    Daemon d = start();
    Events ev = new Events();
    for (int i = 0; i < 5; i++) {
      d.onSyscall(ev.open("/etc/shadow"));
    }
    assertThat(await(() -> metric("falcosecurity_vigil_output_delivered_total{output=store}") == 5))
        .isTrue();
    Cli.Result text = Cli.run("alerts", "query", "-c", yaml.toString(), "--limit", "3");
    assertThat(text.code()).isZero();
    assertThat(text.out().lines().toList())
        .hasSize(3)
        .allMatch(l -> l.contains(": Warning shadow read"));
    Cli.Result json =
        Cli.run("alerts", "query", "--db", db.toString(), "--json", "--rule", "Read*");
    assertThat(json.out().lines().toList()).hasSize(5);
    assertThat(JSON.readTree(json.out().lines().findFirst().orElseThrow()).get("rule").asText())
        .isEqualTo("Read shadow");
    Cli.Result counts = Cli.run("alerts", "query", "--db", db.toString(), "--count-by", "rule");
    assertThat(counts.out()).isEqualTo("       5  Read shadow\n");
    Cli.Result none = Cli.run("alerts", "query", "--db", db.toString(), "--priority", "critical");
    assertThat(none.out()).isEmpty();
    Cli.Result missing = Cli.run("alerts", "query", "--db", tmp.resolve("none.db").toString());
    assertThat(missing.code()).isEqualTo(ExitCode.USAGE);
  }

  @Test
  void sighupDuringAnAlertFloodLosesNothing() throws Exception {
    String base =
        Files.readString(yaml).replace("  enabled: true\n  url:", "  enabled: false\n  url:");
    Files.writeString(yaml, base);
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(
                // SIGHUP back to its default, in case this test runs under nohup: the JVM does
                // not let a program handle a signal that was ignored when it started
                "env",
                "--default-signal=HUP",
                javaBin,
                "-cp",
                System.getProperty("java.class.path"),
                SighupHarness.class.getName(),
                yaml.toString(),
                "5")
            .redirectError(tmp.resolve("harness.err").toFile())
            .start();
    try (var lines =
        new java.io.BufferedReader(
            new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      // the harness's own lines; anything else on its stdout (the JVM's warnings) is kept aside
      List<String> other = new java.util.ArrayList<>();
      assertThat(harnessLine(lines, "started", other)).isEqualTo("started");
      for (int i = 0; i < 5; i++) {
        Thread.sleep(300);
        // each reload changes the file output's settings, so the output is replaced mid-flood
        Files.writeString(yaml, base.replace("keep_alive: true", "keep_alive: " + (i % 2 == 1)));
        new ProcessBuilder("kill", "-HUP", Long.toString(p.pid())).start().waitFor();
      }
      String last = harnessLine(lines, "alerts ", other);
      assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS))
          .as("the harness exits; other output: %s", other)
          .isTrue();
      assertThat(last)
          .as(Files.readString(tmp.resolve("harness.err")) + other)
          .matches("alerts \\d+ flushed true reloads 5 dropped 0");
      long n = Long.parseLong(last.substring("alerts ".length(), last.indexOf(" flushed")));
      assertThat(lines(events)).isEqualTo(n);
    } finally {
      p.destroyForcibly();
    }
    assertThat(Files.readString(tmp.resolve("harness.err"))).contains("reloaded: 1 syscall rules");
  }

  /**
   * The next line starting with {@code prefix} ({@code ""} at the end); others go to {@code other}.
   */
  static String harnessLine(java.io.BufferedReader r, String prefix, List<String> other)
      throws IOException {
    String line;
    while ((line = r.readLine()) != null) {
      if (line.startsWith(prefix)) {
        return line;
      }
      other.add(line);
    }
    return "";
  }

  @Test
  void aChangedRulesFileIsReloadedWhenWatched() throws Exception {
    writeConfig(true);
    Daemon d = start();
    Files.writeString(rules, RULES.replace("/etc/shadow", "/etc/hosts"));
    assertThat(await(() -> metric("falcosecurity_vigil_reloads_total{result=ok}") >= 1)).isTrue();
    d.onSyscall(new Events().open("/etc/hosts"));
    assertThat(await(() -> lines(events) == 1)).isTrue();
  }
}
