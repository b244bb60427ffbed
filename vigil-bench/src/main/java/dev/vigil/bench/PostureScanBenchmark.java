package dev.vigil.bench;

import dev.vigil.posture.Finding;
import dev.vigil.posture.Scanner;
import dev.vigil.posture.Severity;
import dev.vigil.posture.fix.Fixer;
import dev.vigil.posture.fix.WritablePaths;
import dev.vigil.posture.manifest.SourceText;
import dev.vigil.posture.pss.PsaVersion;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Goal 5 of issue 7: workloads per second of {@code vigil scan} on one thread over a large
 * multi-document file ({@value #WORKLOADS} workloads, see {@link SyntheticManifests}). One
 * operation is one workload; an invocation reads the whole file from its bytes the way the command
 * does: a UTF-8 reader, cut into documents as it is read, each document composed (by the fast
 * composer or snakeyaml-engine), its workloads extracted, checked for Pod Security at
 * restricted/latest and for immutability, then dropped. {@code fix} also plans and renders each
 * document's fixes and checks the fixed text again, which is what {@code vigil scan --fix} does.
 * Writing the report is not included (see {@code scripts/bench-scan} for the whole command).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 4)
@Measurement(iterations = 5, time = 4)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class PostureScanBenchmark {
  static final int WORKLOADS = 10_000;

  /** Which file: restricted-clean pods, or helm-template-like charts that all need fixes. */
  @Param({"pods", "chart"})
  public String manifests = "pods";

  private byte[] bytes = new byte[0];
  private final Scanner scanner = new Scanner(Scanner.Options.defaults());
  private final Fixer fixer = new Fixer(new WritablePaths(List.of()), PsaVersion.LATEST);

  @Setup
  public void setup() {
    bytes = SyntheticManifests.generate(manifests, WORKLOADS).getBytes(StandardCharsets.UTF_8);
    Scanner.FileResult r = scan();
    if (r.workloads().size() != WORKLOADS || !r.problems().isEmpty()) {
      throw new IllegalStateException(
          "expected " + WORKLOADS + " workloads, got " + r.workloads().size() + r.problems());
    }
    Scanner.FileResult after = scanner.scan(source(fixer.fix(r).fixed()));
    for (Scanner.WorkloadResult w : after.workloads()) {
      for (Finding f : w.findings()) {
        if (f.severity().atLeast(Severity.WARNING)) {
          throw new IllegalStateException("not fixed: " + f);
        }
      }
    }
    if (check() != findings(r)) {
      throw new IllegalStateException("the streamed scan differs from the whole-text scan");
    }
    System.err.printf(
        "%n%s: %,d bytes, %,d workloads, %,d findings%n",
        manifests, bytes.length, WORKLOADS, findings(r));
  }

  private Scanner.FileResult scan() {
    return scanner.scan(source(new String(bytes, StandardCharsets.UTF_8)));
  }

  private static SourceText source(String text) {
    return new SourceText("bench.yaml", text);
  }

  private static int findings(Scanner.FileResult r) {
    int n = 0;
    for (Scanner.WorkloadResult w : r.workloads()) {
      n += w.findings().size();
    }
    return n;
  }

  private static int findings(Scanner.SectionResult r) {
    int n = 0;
    for (Scanner.WorkloadResult w : r.workloads()) {
      n += w.findings().size();
    }
    return n;
  }

  private Reader reader() {
    return new InputStreamReader(new ByteArrayInputStream(bytes), StandardCharsets.UTF_8);
  }

  /** Read and check, document by document: what {@code vigil scan FILE} does before printing. */
  @Benchmark
  @OperationsPerInvocation(WORKLOADS)
  public int check() {
    int[] n = new int[1];
    scanner.scan("bench.yaml", reader(), r -> n[0] += findings(r));
    return n[0];
  }

  /** Read, check, fix, and check each fixed document: what {@code vigil scan --fix} does. */
  @Benchmark
  @OperationsPerInvocation(WORKLOADS)
  public int fix() {
    int[] n = new int[1];
    scanner.scan(
        "bench.yaml",
        reader(),
        r -> {
          Fixer.SectionFix f = fixer.fix(r);
          SourceText t = r.section().text();
          SourceText fixed =
              new SourceText(
                  t.name(), f.fixed(), t.charOffset(), t.cpOffset(), t.firstLine(), t.lineBreak());
          scanner.scan(fixed, again -> n[0] += findings(again));
        });
    return n[0];
  }
}
