package dev.vigil.kernel.capture;

/** A capture file that is not valid, with the byte offset where reading failed. */
public final class CaptureFormatException extends Exception {
  private static final long serialVersionUID = 1L;
  private final long offset;

  public CaptureFormatException(long offset, String reason) {
    super(reason + " (at byte " + offset + ")", null, false, false);
    this.offset = offset;
  }

  public long offset() {
    return offset;
  }
}
