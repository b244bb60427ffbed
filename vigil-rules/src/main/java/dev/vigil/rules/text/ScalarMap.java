package dev.vigil.rules.text;

/**
 * Maps offsets within a YAML scalar's value back to positions in its file.
 *
 * <p>A scalar's value differs from its raw text (block indentation, folded line breaks, quotes,
 * escapes). The map aligns the two greedily, which is exact for plain, literal, folded and
 * single-line quoted scalars and a close approximation for escaped ones. It is computed on first
 * use, since only diagnostics and explanations need it.
 */
public final class ScalarMap {
  private final SourceFile file;
  private final int rawStart;
  private final int rawEnd;
  private final String value;
  private int[] map = new int[0];
  private boolean computed;

  /**
   * @param file the file holding the scalar
   * @param rawStart offset of the scalar's first raw character (its quote or block indicator)
   * @param rawEnd offset after its last raw character
   * @param value the scalar's value
   */
  public ScalarMap(SourceFile file, int rawStart, int rawEnd, String value) {
    this.file = file;
    this.rawStart = rawStart;
    this.rawEnd = Math.max(rawStart, rawEnd);
    this.value = value;
  }

  /** A map for text that is not from a file: every offset maps to the given position. */
  public static ScalarMap at(SourceFile file, int offset, String value) {
    return new ScalarMap(file, offset, offset, value);
  }

  public SourceFile file() {
    return file;
  }

  public String value() {
    return value;
  }

  /** The position of the value character at {@code valueOffset} (clamped). */
  public Position position(int valueOffset) {
    return file.position(fileOffset(valueOffset));
  }

  /** The file offset of the value character at {@code valueOffset} (clamped). */
  public synchronized int fileOffset(int valueOffset) {
    if (!computed) {
      map = align();
      computed = true;
    }
    if (map.length == 0) {
      return rawStart;
    }
    return map[Math.clamp(valueOffset, 0, map.length - 1)];
  }

  private int[] align() {
    String raw = file.content();
    int[] m = new int[value.length() + 1];
    int j = rawStart;
    if (j < rawEnd && (raw.charAt(j) == '|' || raw.charAt(j) == '>')) {
      int nl = raw.indexOf('\n', j);
      j = nl < 0 || nl >= rawEnd ? rawEnd : nl + 1;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isWhitespace(c)) {
        while (j < rawEnd && raw.charAt(j) != c && !Character.isWhitespace(raw.charAt(j))) {
          j++;
        }
      } else {
        int k = j;
        while (k < rawEnd && raw.charAt(k) != c && isSkippable(raw.charAt(k))) {
          k++;
        }
        if (k < rawEnd && raw.charAt(k) == c) {
          j = k;
        }
      }
      m[i] = Math.min(j, Math.max(rawStart, rawEnd - 1));
      if (j < rawEnd) {
        j++;
      }
    }
    m[value.length()] = Math.min(j, rawEnd);
    return m;
  }

  private static boolean isSkippable(char c) {
    return Character.isWhitespace(c) || c == '"' || c == '\'' || c == '\\';
  }
}
