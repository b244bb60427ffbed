package dev.vigil.output;

import dev.vigil.rules.Alert;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.Collectors;

/**
 * The outputs of a running daemon. {@link #submit} is called on the detection thread and never
 * blocks: it hands the alert to each output's bounded queue (dropping and counting when one is
 * full); rendering and delivery happen on each output's own thread, so a slow or dead output slows
 * neither detection nor the other outputs.
 *
 * <p>{@link #reconfigure} swaps outputs without losing alerts: new outputs start first, the swap
 * happens under a write lock that submissions share as readers, an output whose settings changed
 * hands its queued alerts to its successor, and an output that went away delivers what it queued
 * before it closes. Outputs whose configuration did not change keep running untouched.
 */
public final class Outputs implements AutoCloseable {
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final PrintWriter stdout;
  private final Map<MatchKey, LongAdder> matches = new ConcurrentHashMap<>();
  private final Map<String, OutputStats> retired = new ConcurrentHashMap<>();
  private volatile List<Output> outputs;
  private volatile Rendering rendering;
  private volatile FalcoFormat format;
  private final Duration drainTimeout;

  private record MatchKey(String rule, String priority, String source) {}

  private Outputs(
      List<Output> outputs, Rendering rendering, PrintWriter stdout, Duration drainTimeout) {
    this.outputs = List.copyOf(outputs);
    this.rendering = rendering;
    this.format = new FalcoFormat(rendering.format());
    this.stdout = stdout;
    this.drainTimeout = drainTimeout;
  }

  /**
   * Opens and starts every output; if one cannot be opened, the ones already opened are closed and
   * the error is thrown.
   *
   * @param stdout where the stdout output writes
   * @param drainTimeout how long a removed output may take to deliver what it has queued
   */
  public static Outputs start(
      List<SinkConfig> configs, Rendering rendering, PrintWriter stdout, Duration drainTimeout)
      throws OutputException {
    List<Output> opened = open(configs, stdout, List.of());
    opened.forEach(Output::start);
    return new Outputs(opened, rendering, stdout, drainTimeout);
  }

  private static List<Output> open(List<SinkConfig> configs, PrintWriter stdout, List<Output> reuse)
      throws OutputException {
    Set<String> names = configs.stream().map(SinkConfig::name).collect(Collectors.toSet());
    if (names.size() != configs.size()) {
      throw new OutputException("each output may be configured once");
    }
    List<Output> out = new ArrayList<>();
    try {
      for (SinkConfig c : configs) {
        Output same = reuse.stream().filter(o -> o.config().equals(c)).findFirst().orElse(null);
        out.add(same != null ? same : new Output(c, Sinks.open(c, stdout)));
      }
    } catch (OutputException | RuntimeException e) {
      for (Output o : out) {
        if (!reuse.contains(o)) {
          o.close(Duration.ZERO);
        }
      }
      throw e;
    }
    return out;
  }

  /** Hands an alert to every output. Never blocks on I/O. */
  public void submit(Alert alert) {
    matches
        .computeIfAbsent(
            new MatchKey(alert.rule(), alert.priority().title(), alert.source()),
            k -> new LongAdder())
        .increment();
    ReentrantReadWriteLock.ReadLock r = lock.readLock();
    r.lock();
    try {
      Outgoing o = new Outgoing(alert, format, rendering);
      for (Output out : outputs) {
        out.offer(o);
      }
    } finally {
      r.unlock();
    }
  }

  /**
   * Switches to a new set of outputs and rendering. Outputs whose configuration is unchanged keep
   * running with their queues; new ones are opened first (if one fails, nothing changes and the
   * error is thrown); removed ones deliver what they queued, then close.
   */
  public void reconfigure(List<SinkConfig> configs, Rendering newRendering) throws OutputException {
    List<Output> old = outputs;
    List<Output> next = open(configs, stdout, old);
    List<Output> started = next.stream().filter(o -> !old.contains(o)).toList();
    started.forEach(Output::start);
    ReentrantReadWriteLock.WriteLock w = lock.writeLock();
    w.lock();
    try {
      outputs = List.copyOf(next);
      rendering = newRendering;
      format = new FalcoFormat(newRendering.format());
    } finally {
      w.unlock();
    }
    for (Output o : old) {
      if (next.contains(o)) {
        continue;
      }
      Output successor =
          next.stream().filter(n -> n.name().equals(o.name())).findFirst().orElse(null);
      if (successor != null) {
        o.handOver(successor, drainTimeout);
      } else {
        o.close(drainTimeout);
      }
      retired.merge(o.name(), stats(o), Outputs::sum);
    }
  }

  /** Reopens file outputs and restarts program outputs (Falco's SIGUSR1). */
  public void reopen() {
    outputs.forEach(Output::reopen);
  }

  /** Per output, what it did since the daemon started (outputs removed by a reload included). */
  public List<OutputStats> stats() {
    Map<String, OutputStats> by = new HashMap<>(retired);
    for (Output o : outputs) {
      by.merge(o.name(), stats(o), Outputs::sum);
    }
    return by.values().stream().sorted((a, b) -> a.name().compareTo(b.name())).toList();
  }

  private static OutputStats stats(Output o) {
    return new OutputStats(
        o.name(),
        o.delivered.sum(),
        o.droppedQueueFull.sum(),
        o.droppedFailed.sum(),
        o.droppedShutdown.sum(),
        o.failures.sum(),
        o.retries.sum(),
        o.depth(),
        o.capacity());
  }

  private static OutputStats sum(OutputStats a, OutputStats b) {
    return new OutputStats(
        a.name(),
        a.delivered() + b.delivered(),
        a.droppedQueueFull() + b.droppedQueueFull(),
        a.droppedFailed() + b.droppedFailed(),
        a.droppedShutdown() + b.droppedShutdown(),
        a.failures() + b.failures(),
        a.retries() + b.retries(),
        b.depth(),
        b.capacity());
  }

  /** Alerts raised so far. */
  public long alerts() {
    return matches.values().stream().mapToLong(LongAdder::sum).sum();
  }

  /** Alerts raised so far, by rule name. */
  public Map<String, Long> alertsByRule() {
    Map<String, Long> out = new java.util.TreeMap<>();
    matches.forEach((k, v) -> out.merge(k.rule(), v.sum(), Long::sum));
    return out;
  }

  /** The output metrics, in Prometheus text format, with Falco's names where Falco has them. */
  public void writeMetrics(PromText t) {
    t.family(
        "falcosecurity_falco_rules_matches_total",
        "counter",
        "Alerts raised, by rule, priority and source.");
    matches.entrySet().stream()
        .sorted((a, b) -> a.getKey().rule().compareTo(b.getKey().rule()))
        .forEach(e ->
            t.sample(
                "falcosecurity_falco_rules_matches_total",
                e.getValue().sum(),
                "priority",
                e.getKey().priority(),
                "rule_name",
                e.getKey().rule(),
                "source",
                e.getKey().source()));
    List<OutputStats> all = stats();
    t.family(
        "falcosecurity_falco_outputs_queue_num_drops_total",
        "counter",
        "Alerts dropped by any output (queue full, delivery failed, or shutdown).");
    t.sample(
        "falcosecurity_falco_outputs_queue_num_drops_total",
        all.stream().mapToLong(OutputStats::dropped).sum());
    t.family("falcosecurity_vigil_output_delivered_total", "counter", "Alerts delivered.");
    all.forEach(s ->
        t.sample("falcosecurity_vigil_output_delivered_total", s.delivered(), "output", s.name()));
    t.family("falcosecurity_vigil_output_dropped_total", "counter", "Alerts dropped, by reason.");
    for (OutputStats s : all) {
      t.sample(
          "falcosecurity_vigil_output_dropped_total",
          s.droppedQueueFull(),
          "output",
          s.name(),
          "reason",
          "queue_full");
      t.sample(
          "falcosecurity_vigil_output_dropped_total",
          s.droppedFailed(),
          "output",
          s.name(),
          "reason",
          "failed");
      t.sample(
          "falcosecurity_vigil_output_dropped_total",
          s.droppedShutdown(),
          "output",
          s.name(),
          "reason",
          "shutdown");
    }
    t.family("falcosecurity_vigil_output_failures_total", "counter", "Failed delivery attempts.");
    all.forEach(s ->
        t.sample("falcosecurity_vigil_output_failures_total", s.failures(), "output", s.name()));
    t.family("falcosecurity_vigil_output_retries_total", "counter", "Deliveries retried.");
    all.forEach(
        s -> t.sample("falcosecurity_vigil_output_retries_total", s.retries(), "output", s.name()));
    t.family("falcosecurity_vigil_output_queue_depth", "gauge", "Alerts waiting in the queue.");
    all.forEach(
        s -> t.sample("falcosecurity_vigil_output_queue_depth", s.depth(), "output", s.name()));
    t.family("falcosecurity_vigil_output_queue_capacity", "gauge", "The queue's capacity.");
    all.forEach(s ->
        t.sample("falcosecurity_vigil_output_queue_capacity", s.capacity(), "output", s.name()));
  }

  /** Delivers what is queued (each output for at most {@code timeout}), then closes everything. */
  public boolean close(Duration timeout) {
    boolean all = true;
    for (Output o : outputs) {
      all &= o.close(timeout);
    }
    return all;
  }

  @Override
  public void close() {
    close(drainTimeout);
  }
}
