package dev.vigil.rules.text;

/**
 * A 1-based line and column in a source file.
 *
 * @param file the file
 * @param line 1-based line
 * @param column 1-based column
 */
public record Position(SourceFile file, int line, int column) {
  /** {@code file:line:col}, as editors and terminals link it. */
  @Override
  public String toString() {
    return file.name() + ":" + line + ":" + column;
  }
}
