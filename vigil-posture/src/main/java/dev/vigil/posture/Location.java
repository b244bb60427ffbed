package dev.vigil.posture;

/** A 1-based line and column in a named input ({@code line} 0 when the position is unknown). */
public record Location(String file, int line, int column) {
  @Override
  public String toString() {
    return line > 0 ? file + ":" + line + ":" + column : file;
  }
}
