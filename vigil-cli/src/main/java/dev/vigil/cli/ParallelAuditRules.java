package dev.vigil.cli;

import dev.vigil.k8saudit.event.AuditEvent;
import dev.vigil.rules.Alert;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Evaluates audit events on several threads while the caller reads them, delivering alerts in input
 * order: the reading thread copies events into batches, workers evaluate whole batches (matching,
 * validation and rendering) each on its own event view, and the reading thread hands each batch's
 * alerts to the sink once every earlier batch's have been. At most {@code 2 * workers} batches are
 * in flight, so memory stays bounded however long the input is.
 */
final class ParallelAuditRules implements AutoCloseable {
  static final int BATCH_EVENTS = 1024;
  static final int BATCH_BYTES = 1 << 20;

  private final K8sAuditRules rules;
  private final Consumer<Alert> sink;
  private final ExecutorService pool;
  private final int maxInFlight;
  private final ArrayDeque<Future<List<Alert>>> inFlight = new ArrayDeque<>();
  private final ThreadLocal<AuditEvent> views = ThreadLocal.withInitial(AuditEvent::new);
  private Batch batch = new Batch();

  ParallelAuditRules(K8sAuditRules rules, int workers, Consumer<Alert> sink) {
    this.rules = rules;
    this.sink = sink;
    this.maxInFlight = 2 * workers;
    this.pool =
        Executors.newFixedThreadPool(
            workers, r -> Thread.ofPlatform().daemon().name("vigil-eval").unstarted(r));
  }

  /** Queues an event (copied: the view is reused once this returns). */
  void accept(AuditEvent e) {
    batch.add(e);
    if (batch.count == BATCH_EVENTS || batch.used >= BATCH_BYTES) {
      submit();
    }
  }

  /** Evaluates what is queued and delivers every remaining alert. */
  void finish() {
    if (batch.count > 0) {
      submit();
    }
    while (!inFlight.isEmpty()) {
      deliverOldest();
    }
  }

  private void submit() {
    Batch b = batch;
    batch = new Batch();
    inFlight.add(pool.submit(() -> evaluate(b)));
    while (inFlight.size() > maxInFlight) {
      deliverOldest();
    }
  }

  private void deliverOldest() {
    Future<List<Alert>> f = inFlight.removeFirst();
    List<Alert> alerts;
    try {
      alerts = f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while evaluating audit events", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("evaluating audit events failed", e.getCause());
    }
    alerts.forEach(sink);
  }

  private List<Alert> evaluate(Batch b) {
    AuditEvent view = views.get();
    List<Alert> out = new ArrayList<>();
    for (int i = 0; i < b.count; i++) {
      view.reset(b.bytes, b.bounds[2 * i], b.bounds[2 * i + 1]);
      view.fallbackTime(b.fallback[i]);
      rules.evaluate(view, out::add);
    }
    return out;
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }

  /** Events copied back to back into one array, with their bounds and fallback times. */
  private static final class Batch {
    byte[] bytes = new byte[64 << 10];
    int[] bounds = new int[2 * BATCH_EVENTS];
    long[] fallback = new long[BATCH_EVENTS];
    int count;
    int used;

    void add(AuditEvent e) {
      int n = e.end() - e.start();
      if (used + n > bytes.length) {
        bytes =
            Arrays.copyOf(bytes, Math.max(used + n, Math.min(2 * bytes.length, BATCH_BYTES + n)));
      }
      System.arraycopy(e.bytes(), e.start(), bytes, used, n);
      bounds[2 * count] = used;
      bounds[2 * count + 1] = used + n;
      fallback[count] = e.fallbackTime();
      used += n;
      count++;
    }
  }
}
