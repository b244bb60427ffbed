package dev.vigil.kernel.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.event.EventTypes;
import dev.vigil.event.Extractor;
import dev.vigil.event.FieldDef;
import dev.vigil.kernel.Capture;
import dev.vigil.kernel.OpenFilter;
import dev.vigil.kernel.SyscallSource;
import dev.vigil.kernel.event.SyscallEvent;
import dev.vigil.kernel.fields.SyscallFields;
import dev.vigil.rules.Alert;
import dev.vigil.rules.Engine;
import dev.vigil.rules.LoadResult;
import dev.vigil.rules.Priority;
import dev.vigil.rules.RulesFile;
import dev.vigil.rules.RulesLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * Falco's end-to-end scenario suite ({@code ../shared/corpus/falco/falco-e2e-evtgen-suite/}, 20
 * event-generator declarative test files) performed for real on this machine, under Vigil's probe,
 * with Falco's stable rules and first-match semantics: each case must raise its expected rule, with
 * its priority and the output fields the test states, from the right container.
 *
 * <p>The cases are expanded from the files as event-generator does ({@link Evtgen}), turned into
 * plans for the static helper {@code src/test/c/eg.c} ({@link EvtgenPlan}), and run on the host
 * (children of this JVM) or in a privileged runc container ({@link Runc}). Each case's processes
 * carry {@code VIGIL_EG_CASE=<this JVM's pid>-<n>} in their environment, so that alerts are
 * attributed by {@code proc.env}, not by timing: other activity on the machine, another run of this
 * suite included, cannot make a case pass. Cases that cannot run here are in {@link #NOT_RUNNABLE},
 * with the reason; the test checks that exactly those were left out (none on x86_64;
 * docs/compatibility.md has the scenario table).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EvtgenSuiteTest {
  private static final Path ROOT = Path.of(System.getProperty("vigil.root", ".."));
  private static final Path CORPUS =
      Path.of(System.getProperty("vigil.shared", "../shared"), "corpus/falco");
  private static final String MARKER = "VIGIL_EG_CASE";
  private static final long SETTLE_NANOS = TimeUnit.SECONDS.toNanos(15);

  /** How many cases the 20 files expand to. */
  static final int CASES = 636;

  /** Cases that cannot run on this machine, by id, with the reason. */
  static final Map<String, String> NOT_RUNNABLE = Map.of();

  /** An alert attributed to a case. */
  record Hit(String rule, Priority priority, Map<String, String> fields, String eventType) {}

  /** How a case's action ended. */
  record Outcome(int exit, String output) {}

  private final List<Evtgen.Case> cases = new ArrayList<>();
  private final Map<String, String> skipped = new LinkedHashMap<>();
  private final Map<String, EvtgenPlan.Action> actions = new LinkedHashMap<>();
  private final Map<String, Outcome> outcomes = new ConcurrentHashMap<>();
  private final Map<String, Queue<Hit>> hits = new ConcurrentHashMap<>();
  private final List<String> markers = new ArrayList<>();
  private final EvtgenHost host = new EvtgenHost();
  private Runc runc;
  private Runc.Container container;
  private Capture capture;
  private long drops;

  @BeforeAll
  void runTheSuite() throws Exception {
    for (Evtgen.Case c : Evtgen.load(CORPUS.resolve("falco-e2e-evtgen-suite"))) {
      cases.add(c);
      notRunnable(c).ifPresent(reason -> skipped.put(c.id(), reason));
    }
    List<Evtgen.Case> runnable = cases.stream().filter(c -> !skipped.containsKey(c.id())).toList();
    Set<String> names = new TreeSet<>();
    runnable.forEach(c -> names.addAll(EvtgenPlan.processNames(c)));
    Path eg = host.build(ROOT.resolve("vigil-kernel/src/test/c/eg.c"), names);
    runc = new Runc();
    runc.addToImage("opt/eg/eg", eg);
    for (String n : names) {
      runc.addToImage("opt/eg/" + n, eg);
    }
    container = runc.start("vigil-eg-" + ProcessHandle.current().pid(), true);
    startCapture();
    host.createMissingUsers(runnable);
    EvtgenPlan.Machine machine = host.machine(runc.imageFile("etc/passwd"));
    for (Evtgen.Case c : runnable) {
      EvtgenPlan.Action a = EvtgenPlan.of(c, machine);
      actions.put(c.id(), a);
      host.prepare(a, container.merged);
    }
    run();
    awaitAlerts();
  }

  /** Why a case cannot run here (its {@code runIf} excludes this machine). */
  static Optional<String> notRunnable(Evtgen.Case c) {
    if (!(c.spec().get("runIf") instanceof Map<?, ?> cond)) {
      return Optional.empty();
    }
    String arch = System.getProperty("os.arch").equals("aarch64") ? "arm64" : "amd64";
    for (Map.Entry<?, ?> e : cond.entrySet()) {
      if (!e.getKey().equals("arch") || !(e.getValue() instanceof Map<?, ?> test)) {
        throw new IllegalArgumentException("unsupported runIf " + cond);
      }
      String val = Evtgen.str(test.get("val"));
      boolean holds =
          switch (Evtgen.str(test.get("op"))) {
            case "eq" -> arch.equals(val);
            case "ne" -> !arch.equals(val);
            default -> throw new IllegalArgumentException("unsupported runIf " + cond);
          };
      if (!holds) {
        return Optional.of("runIf " + cond + " excludes this " + arch + " machine");
      }
    }
    return Optional.empty();
  }

  private void startCapture() throws Exception {
    EventTypes types = SyscallSource.info().eventTypes();
    SyscallFields fields = new SyscallFields(types, "test-host");
    Path rules = CORPUS.resolve("falco_rules.yaml");
    LoadResult r =
        new RulesLoader(List.of(SyscallSource.info()))
            .load(List.of(new RulesFile(rules.getFileName().toString(), Files.readString(rules))));
    assertThat(r.errors()).isEmpty();
    Engine<SyscallEvent> falco =
        Engine.bind(
            r.ruleset(),
            SyscallSource.info(),
            fields,
            new Engine.Options(
                Engine.Matching.FIRST, Priority.DEBUG, List.of("container.id", "container.name")));
    Extractor.OfString<SyscallEvent> marker = text(fields, "proc.env", MARKER);
    Extractor.OfString<SyscallEvent> type = text(fields, "evt.type", "");
    Set<String> wanted = new LinkedHashSet<>();
    BitSet codes = falco.interestingEventTypes();
    for (int c = codes.nextSetBit(0); c >= 0; c = codes.nextSetBit(c + 1)) {
      wanted.add(types.byCode(c).name());
    }
    capture =
        Capture.start(
            new Capture.Options(
                wanted,
                Capture.DEFAULT_RING,
                true,
                OpenFilter.forRules(falco.rules().stream().map(Engine.BoundRule::rule).toList())),
            e ->
                falco.match(
                    e,
                    rule -> {
                      String m = marker.text(e);
                      if (m == null) {
                        return;
                      }
                      Alert a = rule.alert(e, e.timestamp());
                      Map<String, String> values = new LinkedHashMap<>();
                      a.fields().forEach((k, v) -> values.put(k, v.text()));
                      String t = type.text(e);
                      hits.computeIfAbsent(m, k -> new ConcurrentLinkedQueue<>())
                          .add(new Hit(a.rule(), a.priority(), values, t == null ? "" : t));
                    }),
            msg -> {});
  }

  @SuppressWarnings("unchecked")
  private static Extractor.OfString<SyscallEvent> text(
      SyscallFields fields, String name, String arg) {
    FieldDef def = SyscallSource.info().fields().field(name).orElseThrow();
    return (Extractor.OfString<SyscallEvent>) fields.extractor(def, arg);
  }

  /** Every action: the slow ones (sleeping scripts) alongside the others, which run in order. */
  private void run() throws InterruptedException {
    List<Thread> slow = new ArrayList<>();
    List<String> ids = new ArrayList<>(actions.keySet());
    // unique to this run: another run of the suite on the machine marks its processes too
    String run = ProcessHandle.current().pid() + "-";
    for (int i = 0; i < ids.size(); i++) {
      markers.add(run + i);
    }
    for (int i = 0; i < ids.size(); i++) {
      if (actions.get(ids.get(i)).slow()) {
        int n = i;
        slow.add(Thread.ofVirtual().start(() -> execute(ids.get(n), markers.get(n))));
      }
    }
    for (int i = 0; i < ids.size(); i++) {
      if (!actions.get(ids.get(i)).slow()) {
        execute(ids.get(i), markers.get(i));
      }
    }
    for (Thread t : slow) {
      t.join();
    }
  }

  private void execute(String id, String marker) {
    EvtgenPlan.Action a = actions.get(id);
    List<String> env = List.of(MARKER + "=" + marker, "EG_PLAN=" + a.plan());
    try {
      Runc.Result r = a.container() ? container.exec(false, env, "/opt/eg/eg") : host.run(env);
      outcomes.put(id, new Outcome(r.exit(), r.output()));
    } catch (IOException | RuntimeException e) {
      outcomes.put(id, new Outcome(-1, e.toString()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      outcomes.put(id, new Outcome(-1, e.toString()));
    }
  }

  /** Waits until every case that ran has its alert, or for a while. */
  private void awaitAlerts() throws InterruptedException {
    long deadline = System.nanoTime() + SETTLE_NANOS;
    List<String> ids = new ArrayList<>(actions.keySet());
    while (System.nanoTime() < deadline) {
      boolean all = true;
      for (int i = 0; i < ids.size() && all; i++) {
        all = failure(ids.get(i), markers.get(i)).isEmpty();
      }
      if (all) {
        return;
      }
      Thread.sleep(100);
    }
  }

  @AfterAll
  void cleanUp() throws Exception {
    try {
      if (capture != null) {
        capture.close();
        drops = capture.stats().drops();
      }
    } finally {
      try {
        if (runc != null) {
          runc.close();
        }
      } finally {
        host.close();
      }
    }
    assertThat(drops).as("events dropped in the kernel").isZero();
  }

  // ---- the assertions --------------------------------------------------------------------------

  @TestFactory
  Stream<DynamicNode> eachCaseRaisesItsExpectedAlert() {
    List<String> ids = new ArrayList<>(actions.keySet());
    Map<String, List<DynamicNode>> byFile = new LinkedHashMap<>();
    for (Evtgen.Case c : cases) {
      int i = ids.indexOf(c.id());
      if (i < 0) {
        continue;
      }
      String marker = markers.get(i);
      byFile
          .computeIfAbsent(c.file(), f -> new ArrayList<>())
          .add(
              DynamicTest.dynamicTest(
                  c.label(),
                  () -> {
                    Optional<String> f = failure(c.id(), marker);
                    if (f.isPresent()) {
                      throw new AssertionError(c.label() + ": " + f.get());
                    }
                  }));
    }
    return byFile.entrySet().stream()
        .map(e -> DynamicContainer.dynamicContainer(e.getKey(), e.getValue().stream()));
  }

  @Test
  void theCasesThatCannotRunAreTheDocumentedOnes() {
    assertThat(cases).hasSize(CASES);
    assertThat(cases.stream().map(Evtgen.Case::file).distinct()).hasSize(20);
    assertThat(skipped.keySet()).containsExactlyInAnyOrderElementsOf(NOT_RUNNABLE.keySet());
    skipped.forEach((id, why) -> assertThat(why).as(id).isEqualTo(NOT_RUNNABLE.get(id)));
    assertThat(actions).hasSize(CASES - NOT_RUNNABLE.size());
    assertThat(outcomes).hasSameSizeAs(actions);
  }

  /** What is wrong with a case's outcome, if anything. */
  private Optional<String> failure(String id, String marker) {
    Outcome o = outcomes.get(id);
    if (o == null) {
      return Optional.of("did not run");
    }
    if (o.exit() != 0) {
      return Optional.of("the action failed (exit " + o.exit() + "): " + o.output().strip());
    }
    EvtgenPlan.Expected want = actions.get(id).expected();
    String containerId = actions.get(id).container() ? container.shortId() : "host";
    List<Hit> got = new ArrayList<>(hits.getOrDefault(marker, new ConcurrentLinkedQueue<>()));
    List<String> problems = new ArrayList<>();
    for (Hit h : got) {
      if (!h.rule().equals(want.rule())) {
        continue;
      }
      List<String> p = mismatches(h, want, containerId);
      if (p.isEmpty()) {
        return Optional.empty();
      }
      problems.add(String.join("; ", p));
    }
    if (!problems.isEmpty()) {
      return Optional.of("'" + want.rule() + "' fired, but " + problems);
    }
    return Optional.of(
        "'"
            + want.rule()
            + "' did not fire; alerts of the case: "
            + got.stream().map(h -> h.rule() + " (" + h.eventType() + ")").toList());
  }

  private static List<String> mismatches(Hit h, EvtgenPlan.Expected want, String containerId) {
    List<String> p = new ArrayList<>();
    if (h.priority() != want.priority()) {
      p.add("priority " + h.priority() + " instead of " + want.priority());
    }
    want.fields()
        .forEach((k, v) -> {
          String actual = h.fields().get(k);
          if (actual == null) {
            p.add(k + " is not an output field of the rule");
          } else if (!actual.equals(v)) {
            p.add(k + "=" + actual + " instead of " + v);
          }
        });
    String id = h.fields().getOrDefault("container.id", "");
    if (!id.equals(containerId)) {
      p.add("container.id=" + id + " instead of " + containerId);
    }
    if (!want.eventTypes().isEmpty() && !want.eventTypes().contains(h.eventType())) {
      p.add("raised by " + h.eventType() + " instead of " + want.eventTypes());
    }
    String parent = h.fields().get("proc.pname");
    if (!want.leafParent().isEmpty()
        && want.leaf().equals(h.fields().get("proc.name"))
        && parent != null
        && !parent.equals(want.leafParent())) {
      p.add("proc.pname=" + parent + " instead of " + want.leafParent() + " (its parent)");
    }
    String connection = h.fields().get("fd.name");
    if (!want.server().isEmpty() && connection != null && !connection.matches(connection(want))) {
      p.add("fd.name=" + connection + " is not a connection to " + want.server());
    }
    return p;
  }

  /**
   * Vigil's own check, beyond the fields the test states: the connection an alert names is the one
   * the case's clientServer resource made, {@code client:port->server:port} as Falco writes it
   * (addresses without brackets; the client has the server's address, both ends being local).
   */
  private static String connection(EvtgenPlan.Expected want) {
    String address = want.server();
    int colon = address.lastIndexOf(':');
    String host = address.substring(0, colon).replace("[", "").replace("]", "");
    return Pattern.quote(host + ":")
        + "\\d+"
        + Pattern.quote("->" + host + address.substring(colon));
  }
}
