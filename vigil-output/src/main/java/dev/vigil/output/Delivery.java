package dev.vigil.output;

import dev.vigil.rules.Priority;

/**
 * How one output receives alerts: its own bounded queue, a rate limit, retries, and the least
 * severe priority it takes.
 *
 * @param queueCapacity alerts waiting for this output at most; more are dropped and counted
 * @param rate alerts per second delivered at most (token bucket; 0 means no limit)
 * @param burst alerts delivered at once above the rate (the bucket's size)
 * @param maxRetries retries of a failed delivery, with exponential backoff, before the alerts are
 *     dropped and counted
 * @param minimumPriority alerts less severe than this are not sent to this output
 */
public record Delivery(
    int queueCapacity, double rate, int burst, int maxRetries, Priority minimumPriority) {
  /** Vigil's default queue: Falco's {@code outputs_queue.capacity: 0} (unbounded) maps here. */
  public static final int DEFAULT_CAPACITY = 100_000;

  public Delivery {
    if (queueCapacity < 1) {
      throw new IllegalArgumentException("queue capacity must be at least 1");
    }
    if (rate < 0 || Double.isNaN(rate)) {
      throw new IllegalArgumentException("rate must be 0 (no limit) or positive");
    }
    if (burst < 1) {
      throw new IllegalArgumentException("burst must be at least 1");
    }
    if (maxRetries < 0) {
      throw new IllegalArgumentException("retries must not be negative");
    }
  }

  public static Delivery defaults() {
    return new Delivery(DEFAULT_CAPACITY, 0, 1000, 5, Priority.DEBUG);
  }
}
