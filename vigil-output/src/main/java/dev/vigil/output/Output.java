package dev.vigil.output;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One output: a bounded queue in front of a sink and the thread that drains it. {@link #offer}
 * never blocks: when the queue is full the alert is dropped and counted. The worker takes batches
 * from the queue, paces them to the rate limit, and retries a failed delivery with exponential
 * backoff; what still fails is dropped and counted.
 */
final class Output {
  private static final Logger LOG = LoggerFactory.getLogger(Output.class);
  static final int MAX_BATCH = 1024;
  static final long FIRST_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
  static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final SinkConfig config;
  private final Sink sink;
  private final ArrayBlockingQueue<Outgoing> queue;
  private final Thread worker;
  private final TokenBucket bucket;

  final LongAdder enqueued = new LongAdder();
  final LongAdder delivered = new LongAdder();
  final LongAdder droppedQueueFull = new LongAdder();
  final LongAdder droppedFailed = new LongAdder();
  final LongAdder droppedShutdown = new LongAdder();
  final LongAdder failures = new LongAdder();
  final LongAdder retries = new LongAdder();
  private volatile long lastFailureLogNanos;
  private volatile boolean closing;
  private volatile boolean reopen;
  private volatile boolean handover;
  private volatile long deadlineNanos = Long.MAX_VALUE;

  Output(SinkConfig config, Sink sink) {
    this.config = config;
    this.sink = sink;
    this.queue = new ArrayBlockingQueue<>(config.delivery().queueCapacity());
    this.bucket = new TokenBucket(config.delivery().rate(), config.delivery().burst());
    this.worker =
        Thread.ofPlatform().daemon().name("vigil-output-" + config.name()).unstarted(this::run);
  }

  SinkConfig config() {
    return config;
  }

  String name() {
    return config.name();
  }

  void start() {
    worker.start();
  }

  /** Queues an alert; false (and counted) when the queue is full. Never blocks. */
  boolean offer(Outgoing o) {
    if (!o.alert().priority().atLeast(config.delivery().minimumPriority())) {
      return true;
    }
    if (queue.offer(o)) {
      enqueued.increment();
      return true;
    }
    droppedQueueFull.increment();
    return false;
  }

  int depth() {
    return queue.size();
  }

  int capacity() {
    return config.delivery().queueCapacity();
  }

  void reopen() {
    reopen = true;
  }

  /**
   * Stops taking work once the queue is empty, delivering what is queued until {@code timeout};
   * whatever is left then is dropped and counted. Returns true when everything was delivered.
   */
  boolean close(Duration timeout) {
    deadlineNanos = System.nanoTime() + timeout.toNanos();
    closing = true;
    try {
      worker.join(timeout.plusMillis(50));
      if (worker.isAlive()) {
        worker.interrupt();
        worker.join(1000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    int left = queue.size();
    queue.clear();
    droppedShutdown.add(left);
    sink.close();
    return left == 0 && !worker.isAlive();
  }

  /**
   * Stops the worker once its current batch is delivered (or given up), closes the sink, and moves
   * what is still queued to {@code next}: a reload that changes an output's settings keeps the
   * alerts queued for it.
   */
  void handOver(Output next, Duration timeout) {
    handover = true;
    try {
      worker.join(timeout.plusMillis(200));
      if (worker.isAlive()) {
        worker.interrupt();
        worker.join(1000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<Outgoing> rest = new ArrayList<>();
    queue.drainTo(rest);
    for (Outgoing o : rest) {
      if (next.queue.offer(o)) {
        next.enqueued.increment();
      } else {
        next.droppedQueueFull.increment();
      }
    }
    sink.close();
  }

  private void run() {
    List<Outgoing> batch = new ArrayList<>(MAX_BATCH);
    try {
      while (true) {
        if (handover) {
          return;
        }
        if (reopen) {
          reopen = false;
          sink.reopen();
        }
        Outgoing first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          if (closing) {
            return;
          }
          continue;
        }
        batch.add(first);
        int limit = bucket.unlimited() ? MAX_BATCH : 1;
        queue.drainTo(batch, limit - 1);
        bucket.take(batch.size());
        deliver(batch);
        batch.clear();
      }
    } catch (InterruptedException e) {
      droppedShutdown.add(batch.size());
      Thread.currentThread().interrupt();
    }
  }

  private void deliver(List<Outgoing> batch) throws InterruptedException {
    List<Outgoing> rest = batch;
    int attempt = 0;
    while (true) {
      try {
        sink.deliver(rest);
        delivered.add(rest.size());
        return;
      } catch (DeliveryException e) {
        failures.increment();
        delivered.add(e.delivered());
        rest = rest.subList(Math.min(e.delivered(), rest.size()), rest.size());
        long backoff = Math.min(MAX_BACKOFF_NANOS, FIRST_BACKOFF_NANOS << Math.min(attempt, 20));
        boolean pastDeadline = closing && System.nanoTime() + backoff > deadlineNanos;
        if (!e.retryable() || attempt >= config.delivery().maxRetries() || pastDeadline) {
          droppedFailed.add(rest.size());
          logFailure(e, rest.size(), true);
          return;
        }
        logFailure(e, rest.size(), false);
        attempt++;
        retries.increment();
        TimeUnit.NANOSECONDS.sleep(backoff);
      } catch (RuntimeException e) {
        failures.increment();
        droppedFailed.add(rest.size());
        LOG.error("output {}: unexpected failure; {} alerts dropped", name(), rest.size(), e);
        return;
      }
    }
  }

  /** Logs at most one failure every 10 seconds per output (the counters see them all). */
  private void logFailure(DeliveryException e, int alerts, boolean dropped) {
    long now = System.nanoTime();
    if (now - lastFailureLogNanos < TimeUnit.SECONDS.toNanos(10) && lastFailureLogNanos != 0) {
      return;
    }
    lastFailureLogNanos = now;
    String cause = e.getCause() == null ? "" : " (" + e.getCause() + ")";
    if (dropped) {
      LOG.warn("output {}: {}{}; {} alerts dropped", name(), e.getMessage(), cause, alerts);
    } else {
      LOG.warn("output {}: {}{}; retrying", name(), e.getMessage(), cause);
    }
  }

  /** A token bucket: {@code rate} tokens per second, at most {@code burst} saved up. */
  static final class TokenBucket {
    private final double rate;
    private final double burst;
    private double tokens;
    private long last = System.nanoTime();

    TokenBucket(double rate, int burst) {
      this.rate = rate;
      this.burst = burst;
      this.tokens = burst;
    }

    boolean unlimited() {
      return rate <= 0;
    }

    /** Waits until {@code n} tokens are available, then takes them. */
    void take(int n) throws InterruptedException {
      if (unlimited()) {
        return;
      }
      while (true) {
        long now = System.nanoTime();
        tokens = Math.min(burst, tokens + (now - last) * rate / 1e9);
        last = now;
        if (tokens >= n) {
          tokens -= n;
          return;
        }
        long waitNanos = (long) ((n - tokens) / rate * 1e9);
        TimeUnit.NANOSECONDS.sleep(Math.max(1000, waitNanos));
      }
    }
  }
}
