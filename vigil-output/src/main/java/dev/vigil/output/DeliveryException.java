package dev.vigil.output;

/**
 * A sink could not deliver a whole batch.
 *
 * @see Sink#deliver
 */
final class DeliveryException extends Exception {
  private static final long serialVersionUID = 1L;
  private final int delivered;
  private final boolean retryable;

  /**
   * @param delivered how many alerts at the start of the batch were delivered
   * @param retryable whether trying the rest again may succeed (a 400 from the receiver will not)
   */
  DeliveryException(String message, int delivered, boolean retryable, Throwable cause) {
    super(message, cause);
    this.delivered = delivered;
    this.retryable = retryable;
  }

  DeliveryException(String message, int delivered, boolean retryable) {
    super(message);
    this.delivered = delivered;
    this.retryable = retryable;
  }

  int delivered() {
    return delivered;
  }

  boolean retryable() {
    return retryable;
  }
}
