package dev.vigil.cli.daemon;

/**
 * A problem in the configuration, at a position (1-based line and column; 0 when it has none, as
 * for {@code -o} options).
 *
 * @param error true for errors (the configuration is not used), false for warnings
 * @param source the file, or {@code -o} for a command-line option
 */
public record ConfigDiagnostic(boolean error, String source, int line, int col, String message) {
  /** {@code file:line:col: error: message}, as rules diagnostics print. */
  public String render() {
    String where = line > 0 ? source + ":" + line + ":" + col : source;
    return where + ": " + (error ? "error" : "warning") + ": " + message;
  }
}
