package dev.vigil.kernel.ffi;

/** The probe could not be loaded or attached; the message says why and what to do. */
public final class ProbeException extends Exception {
  private static final long serialVersionUID = 1L;

  public ProbeException(String message) {
    super(message, null, false, false);
  }
}
