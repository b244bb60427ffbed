package dev.vigil.bench;

import dev.vigil.k8saudit.K8sAuditSource;
import dev.vigil.kernel.SyscallSource;
import dev.vigil.rules.LoadResult;
import dev.vigil.rules.RulesFile;
import dev.vigil.rules.RulesLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Goal (b) of the foundation issue: time to load and compile Falco's four rule files (stable,
 * incubating, sandbox, k8s audit) from memory, warm. Goal: under 300 ms.
 *
 * <p>Reads the files from {@code -Dvigil.shared=PATH} (default {@code ../shared}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RulesLoadBenchmark {

  /** Which files: all four, or the stable file alone. */
  @Param({"four-files", "stable"})
  public String set = "four-files";

  private List<RulesFile> files = List.of();
  private RulesLoader loader = new RulesLoader(List.of());

  @Setup
  public void setup() throws IOException {
    Path dir = Path.of(System.getProperty("vigil.shared", "../shared"), "corpus", "falco");
    List<String> names =
        set.equals("stable")
            ? List.of("falco_rules.yaml")
            : List.of(
                "falco_rules.yaml",
                "falco-incubating_rules.yaml",
                "falco-sandbox_rules.yaml",
                "k8s_audit_rules.yaml");
    List<RulesFile> out = new ArrayList<>();
    for (String n : names) {
      out.add(new RulesFile(n, Files.readString(dir.resolve(n))));
    }
    files = out;
    loader = new RulesLoader(List.of(SyscallSource.info(), K8sAuditSource.info()));
    LoadResult r = loader.load(files);
    if (!r.ok()) {
      throw new IllegalStateException("rules do not load: " + r.errors());
    }
  }

  @Benchmark
  public LoadResult loadAndCompile() {
    return loader.load(files);
  }
}
