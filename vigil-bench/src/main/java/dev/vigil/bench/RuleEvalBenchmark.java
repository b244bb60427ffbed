package dev.vigil.bench;

import dev.vigil.kernel.SyscallSource;
import dev.vigil.kernel.event.SyscallEvent;
import dev.vigil.kernel.fields.SyscallFields;
import dev.vigil.rules.Engine;
import dev.vigil.rules.LoadResult;
import dev.vigil.rules.Priority;
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
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Goal (a) of the foundation issue: rule evaluation of Falco's full stable ruleset over a realistic
 * synthetic event mix ({@link SyntheticWorkload}), on one thread, events/s. Each operation wraps
 * the flyweight around the next record, attaches its resolved state and asks the engine for the
 * first matching rule, exactly what the capture loop will do per event. Goal: at least 2,000,000
 * events/s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class RuleEvalBenchmark {
  static final int EVENTS = 1 << 18;

  /** Which rules: Falco's stable file, or stable + incubating. */
  @Param({"stable", "stable+incubating"})
  public String rules = "stable";

  private SyntheticWorkload load = SyntheticWorkload.generate(1, 1, 1);
  private Engine<SyscallEvent> engine =
      Engine.bind(
          dev.vigil.rules.Ruleset.empty(),
          SyscallSource.info(),
          new SyscallFields(SyscallSource.info().eventTypes(), "bench"),
          Engine.Options.defaults());
  private final SyscallEvent event = new SyscallEvent();
  private long matches;

  @Setup
  public void setup() throws IOException {
    Path dir = Path.of(System.getProperty("vigil.shared", "../shared"), "corpus", "falco");
    List<String> names =
        rules.equals("stable")
            ? List.of("falco_rules.yaml")
            : List.of("falco_rules.yaml", "falco-incubating_rules.yaml");
    List<RulesFile> files = new ArrayList<>();
    for (String n : names) {
      files.add(new RulesFile(n, Files.readString(dir.resolve(n))));
    }
    LoadResult r = new RulesLoader(List.of(SyscallSource.info())).load(files);
    if (!r.ok()) {
      throw new IllegalStateException("rules do not load: " + r.errors());
    }
    engine =
        Engine.bind(
            r.ruleset(),
            SyscallSource.info(),
            new SyscallFields(SyscallSource.info().eventTypes(), "bench"),
            new Engine.Options(Engine.Matching.FIRST, Priority.DEBUG, List.of()));
    load = SyntheticWorkload.generate(EVENTS, 400, 42);
  }

  /** Evaluates every event of the workload once. */
  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public long evaluate() {
    SyntheticWorkload w = load;
    byte[] buf = w.buffer;
    int[] offsets = w.offsets;
    long hits = 0;
    for (int i = 0; i < offsets.length; i++) {
      event.wrap(buf, offsets[i], i + 1).resolve(w.threads[i], w.fds[i]);
      if (engine.first(event).isPresent()) {
        hits++;
      }
    }
    matches = hits;
    return hits;
  }

  /** For the harness: how many events of one pass matched a rule. */
  public long matchesPerPass() {
    return matches;
  }
}
