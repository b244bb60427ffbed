package dev.vigil.cli;

/** The exit codes every command uses. */
public final class ExitCode {
  /** Success. */
  public static final int OK = 0;

  /** The input was read and has errors or findings (invalid rules, findings at --fail-on). */
  public static final int FINDINGS = 1;

  /** Usage error, or an input that cannot be opened (missing file, no permission). */
  public static final int USAGE = 2;

  /** A runtime failure (kernel support missing, port in use, lost connection). */
  public static final int RUNTIME = 3;

  private ExitCode() {}
}
