package dev.vigil.k8saudit.policy.load;

/**
 * A 1-based line and column in a policy file.
 *
 * @param line 1-based line
 * @param column 1-based column
 */
public record SourcePos(int line, int column) {
  /** The start of the file. */
  public static final SourcePos START = new SourcePos(1, 1);

  @Override
  public String toString() {
    return line + ":" + column;
  }
}
