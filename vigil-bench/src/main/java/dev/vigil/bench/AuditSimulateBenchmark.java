package dev.vigil.bench;

import dev.vigil.k8saudit.policy.KubeVersion;
import dev.vigil.k8saudit.policy.check.PolicyEvaluator;
import dev.vigil.k8saudit.policy.load.LoadReport;
import dev.vigil.k8saudit.policy.load.PolicyLoader;
import dev.vigil.k8saudit.policy.simulate.LineProblem;
import dev.vigil.k8saudit.policy.simulate.Simulator;
import dev.vigil.k8saudit.policy.simulate.Summary;
import java.io.IOException;
import java.io.OutputStream;
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
 * Steady-state speed of {@code vigil audit policy simulate} without JVM start-up and JIT warm-up:
 * the simulator replays a generated log of {@value #EVENTS} events (about 250 MB, from {@link
 * AuditLogGenerator}, written once to a temporary file that stays in the page cache) through GKE's
 * audit policy, in summary mode. One operation is one whole replay; divide the log's size by the
 * time per operation for bytes per second.
 *
 * <p>Reads the policy from {@code -Dvigil.shared=PATH} (default {@code ../shared}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AuditSimulateBenchmark {
  static final int EVENTS = 200_000;

  /** Worker threads decoding events. */
  @Param({"1", "2"})
  public int threads = 1;

  private Path log = Path.of("audit.log");
  private Optional<PolicyEvaluator> policy = Optional.empty();

  @Setup
  public void setup() throws IOException {
    Path file =
        Path.of(
            System.getProperty("vigil.shared", "../shared"),
            "corpus/k8s-audit/policies/upstream/gce-configure-helper-master-audit-policy.yaml");
    LoadReport r =
        PolicyLoader.load(file.toString(), Files.readAllBytes(file), KubeVersion.DEFAULT);
    policy = Optional.of(new PolicyEvaluator(r.policy().orElseThrow(), r.version()));
    log = Files.createTempFile("vigil-bench-audit", ".log");
    AuditLogGenerator.write(EVENTS, 1, log);
    System.err.printf("%n%s: %,d events, %,d bytes%n", log, EVENTS, Files.size(log));
  }

  @TearDown
  public void tearDown() throws IOException {
    Files.deleteIfExists(log);
  }

  @Benchmark
  public Summary simulate() throws IOException {
    Simulator s =
        new Simulator(
            policy.orElseThrow(), Optional.empty(), new Simulator.Options(threads, false, 10));
    return s.run(
        List.of(log),
        OutputStream.nullOutputStream(),
        new Simulator.Listener() {
          @Override
          public void problem(LineProblem problem) {
            throw new IllegalStateException("the generated log has a bad line: " + problem);
          }

          @Override
          public void progress(String file, long bytes, long total, long events) {}
        });
  }
}
