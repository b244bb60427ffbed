package dev.vigil.output;

import java.util.List;

/**
 * Delivers alerts to one destination. Called by one worker thread only, never by the detection
 * thread, so a sink may block on I/O.
 */
interface Sink extends AutoCloseable {
  /**
   * Delivers a batch, in order. On failure, says how many alerts at the start were delivered so the
   * worker retries only the rest.
   */
  void deliver(List<Outgoing> batch) throws DeliveryException;

  /** Reopens files and restarts programs (SIGUSR1); the next delivery uses the new ones. */
  default void reopen() {}

  /** Releases resources; pending output is flushed first. */
  @Override
  void close();
}
