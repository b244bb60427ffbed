package dev.vigil.output;

/** An output cannot be set up: a file that cannot be opened, a bad certificate, a bad URL. */
public final class OutputException extends Exception {
  private static final long serialVersionUID = 1L;

  public OutputException(String message) {
    super(message);
  }

  public OutputException(String message, Throwable cause) {
    super(message, cause);
  }
}
