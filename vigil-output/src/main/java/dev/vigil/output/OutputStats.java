package dev.vigil.output;

/**
 * What one output did so far.
 *
 * @param name the output
 * @param delivered alerts delivered
 * @param droppedQueueFull alerts dropped because the queue was full
 * @param droppedFailed alerts dropped after the retries failed (or a receiver refused them)
 * @param droppedShutdown alerts still queued when shutdown gave up on the output
 * @param failures failed delivery attempts
 * @param retries delivery attempts repeated after a failure
 * @param depth alerts queued now
 * @param capacity the queue's capacity
 */
public record OutputStats(
    String name,
    long delivered,
    long droppedQueueFull,
    long droppedFailed,
    long droppedShutdown,
    long failures,
    long retries,
    int depth,
    int capacity) {
  public long dropped() {
    return droppedQueueFull + droppedFailed + droppedShutdown;
  }
}
