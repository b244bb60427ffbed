package dev.vigil.k8saudit.webhook;

import java.util.List;

/**
 * Where accepted batches wait for the consumer thread: in memory ({@link BatchQueue}) or in the
 * on-disk spool ({@link SpoolQueue}). Either one drops events already received (retries), refuses a
 * batch it has no room for, and delivers everything it acknowledged before {@link #stop()} returns
 * (the spool: or after the next start).
 */
sealed interface Ingest permits BatchQueue, SpoolQueue {
  /** One event of a batch: a range of a body (or of an unwrapped envelope). */
  @SuppressWarnings("ArrayRecordComponent") // a view of a body, never compared
  record Item(byte[] bytes, int start, int end, String key) {}

  /** What became of an offered batch. */
  sealed interface Offer {
    /** Queued (the events not already seen), or nothing new to queue. */
    record Accepted(int events, int duplicates) implements Offer {}

    /** No room: try again later (429). */
    record Full(String reason) implements Offer {}

    /** The receiver is stopping, or the spool cannot be written (503). */
    record Unavailable(String reason) implements Offer {}
  }

  void start();

  /**
   * Offers the events of one request; {@code bytes} is the memory they hold. Returns once the
   * outcome is final: for the spool, once the batch is on disk (fsync).
   */
  Offer offer(List<Item> items, long bytes, long receivedNanos);

  /** Events accepted and not yet handed to the pipeline. */
  long queuedEvents();

  /** Refuses new batches and delivers what was acknowledged (the spool: keeps the rest on disk). */
  void stop();
}
