package dev.vigil.k8saudit.event;

/**
 * A record of an audit log or webhook body that could not be read as an audit event.
 *
 * @param source the file name or {@code webhook}
 * @param line 1-based line of the record's start (the line of the problem in a multi-line
 *     document), 0 when unknown
 * @param column 1-based byte column of the problem on that line, 0 when unknown
 * @param message what is wrong
 */
public record InputProblem(String source, long line, long column, String message) {
  /** {@code file:line:col: message}, as every Vigil diagnostic. */
  public String render() {
    StringBuilder sb = new StringBuilder(source);
    if (line > 0) {
      sb.append(':').append(line);
      if (column > 0) {
        sb.append(':').append(column);
      }
    }
    return sb.append(": ").append(message).toString();
  }
}
