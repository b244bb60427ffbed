package dev.vigil.cli;

/**
 * A failure to report to the user as one line on stderr (never a stack trace), with the exit code
 * it maps to.
 */
final class UserError extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int exitCode;

  UserError(int exitCode, String message) {
    super(message, null, false, false);
    this.exitCode = exitCode;
  }

  int exitCode() {
    return exitCode;
  }
}
