package dev.vigil.bench;

import dev.vigil.k8saudit.K8sAuditSource;
import dev.vigil.k8saudit.event.AuditEvent;
import dev.vigil.k8saudit.event.AuditReader;
import dev.vigil.k8saudit.event.InputProblem;
import dev.vigil.k8saudit.fields.K8sAuditFields;
import dev.vigil.kernel.SyscallSource;
import dev.vigil.rules.Engine;
import dev.vigil.rules.LoadResult;
import dev.vigil.rules.RulesFile;
import dev.vigil.rules.RulesLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Detection throughput per core in steady state (issue 4: 500,000 events/s per core with Falco's
 * {@code k8s_audit_rules.yaml}, parsing included): one thread reads a generated audit log of
 * {@value #EVENTS} events (from {@link AuditLogGenerator}, written once to a temporary file that
 * stays in the page cache) as {@code vigil replay --audit} does on one CPU — reading the file,
 * splitting lines, scanning each event as far as the rules need — and evaluates every event against
 * the rules, rendering every alert's output. One operation is one whole pass; events/s = {@value
 * #EVENTS} / the time per operation.
 *
 * <p>{@code rules=none} binds no rule: reading and splitting only. Reads the rules from {@code
 * -Dvigil.shared=PATH} (default {@code ../shared}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AuditDetectionBenchmark {
  static final int EVENTS = 200_000;

  /** Falco's k8s_audit rules, or none (reading only). */
  @Param({"k8s_audit_rules", "none"})
  public String rules = "k8s_audit_rules";

  private Path log = Path.of("audit.log");
  private Optional<Engine<AuditEvent>> engine = Optional.empty();

  @Setup
  public void setup() throws IOException {
    Path file =
        Path.of(
            System.getProperty("vigil.shared", "../shared"), "corpus/falco/k8s_audit_rules.yaml");
    RulesLoader loader = new RulesLoader(List.of(SyscallSource.info(), K8sAuditSource.info()));
    LoadResult r =
        loader.load(
            rules.equals("none")
                ? List.of()
                : List.of(new RulesFile(file.toString(), Files.readString(file))));
    if (!r.ok()) {
      throw new IllegalStateException("rules do not load: " + r.errors());
    }
    engine =
        Optional.of(
            Engine.bind(
                r.ruleset(),
                K8sAuditSource.info(),
                new K8sAuditFields(),
                Engine.Options.defaults()));
    log = Files.createTempFile("vigil-bench-audit", ".log");
    AuditLogGenerator.write(EVENTS, 1, log);
    System.err.printf(
        "%n%s: %,d events, %,d bytes, %d rules%n",
        log, EVENTS, Files.size(log), engine.get().rules().size());
  }

  /**
   * Without JMH, for a machine shared with other work: events per second of the pass's own thread
   * CPU time (which other processes do not inflate as they do wall-clock time), pass by pass.
   * Arguments: passes (default 15) and rules ({@code k8s_audit_rules} or {@code none}).
   */
  public static void main(String[] args) throws IOException {
    int passes = args.length > 0 ? Integer.parseInt(args[0]) : 15;
    AuditDetectionBenchmark b = new AuditDetectionBenchmark();
    b.rules = args.length > 1 ? args[1] : "k8s_audit_rules";
    b.setup();
    try {
      java.lang.management.ThreadMXBean mx =
          java.lang.management.ManagementFactory.getThreadMXBean();
      for (int p = 1; p <= passes; p++) {
        long cpu = mx.getCurrentThreadCpuTime();
        long wall = System.nanoTime();
        long out = b.detect();
        cpu = mx.getCurrentThreadCpuTime() - cpu;
        wall = System.nanoTime() - wall;
        System.out.printf(
            "pass %2d: %,9.0f events per CPU-second (%,d ms CPU, %,d ms wall, %d)%n",
            p, EVENTS * 1e9 / cpu, cpu / 1_000_000, wall / 1_000_000, out);
      }
    } finally {
      b.tearDown();
    }
  }

  @TearDown
  public void tearDown() throws IOException {
    Files.deleteIfExists(log);
  }

  /**
   * Returns the number of alerts plus the bytes of their outputs (so nothing is optimized away).
   */
  @Benchmark
  public long detect() throws IOException {
    Engine<AuditEvent> e = engine.orElseThrow();
    long[] alerts = {0};
    AuditReader.Stats s =
        new AuditReader()
            .read(
                log,
                new AuditReader.Sink() {
                  @Override
                  public void event(AuditEvent event, long line) {
                    e.match(
                        event,
                        rule -> {
                          if (event.validate()) {
                            alerts[0] += 1 + rule.alert(event, event.timestamp()).output().length();
                          }
                        });
                  }

                  @Override
                  public void problem(InputProblem problem) {
                    throw new IllegalStateException("the generated log has a bad line: " + problem);
                  }
                });
    if (s.events() != EVENTS) {
      throw new IllegalStateException("read " + s.events() + " events, expected " + EVENTS);
    }
    return alerts[0];
  }
}
