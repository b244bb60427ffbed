package dev.vigil.k8saudit.policy.simulate;

/**
 * A line (or document) of a log that was not a readable audit event, and was skipped.
 *
 * @param file the file
 * @param line the 1-based line
 * @param column the 1-based byte column the problem was found at (0 when it concerns the whole
 *     line)
 * @param message what is wrong
 */
public record LineProblem(String file, long line, int column, String message) {
  @Override
  public String toString() {
    return file + ":" + line + (column > 0 ? ":" + column : "") + ": " + message;
  }
}
