package dev.vigil.posture.manifest;

import java.util.Arrays;

/**
 * One input's name and full text, with the line index needed to show a line and to turn the YAML
 * parser's code-point offsets into {@code String} offsets (they differ only past the BMP).
 */
public final class SourceText {
  private final String name;
  private final String text;
  private int @org.jspecify.annotations.Nullable [] lineStarts;
  private final boolean bmpOnly;

  public SourceText(String name, String text) {
    this.name = name;
    this.text = text;
    this.bmpOnly = text.length() == text.codePointCount(0, text.length());
  }

  public String name() {
    return name;
  }

  public String text() {
    return text;
  }

  /** The {@code String} index of the code point at {@code codePointIndex}. */
  public int charIndex(int codePointIndex) {
    if (bmpOnly) {
      return Math.min(codePointIndex, text.length());
    }
    return text.offsetByCodePoints(
        0, Math.min(codePointIndex, text.codePointCount(0, text.length())));
  }

  private int[] starts() {
    int[] s = lineStarts;
    if (s == null) {
      int[] buf = new int[64];
      int n = 0;
      buf[n++] = 0;
      for (int i = 0; i < text.length(); i++) {
        if (text.charAt(i) == '\n') {
          if (n == buf.length) {
            buf = Arrays.copyOf(buf, n * 2);
          }
          buf[n++] = i + 1;
        }
      }
      s = Arrays.copyOf(buf, n);
      lineStarts = s;
    }
    return s;
  }

  /** The text of 1-based {@code line}, without its line break ("" past the end). */
  public String lineText(int line) {
    int[] s = starts();
    if (line < 1 || line > s.length) {
      return "";
    }
    int from = s[line - 1];
    int to = line < s.length ? s[line] - 1 : text.length();
    if (to > from && text.charAt(to - 1) == '\r') {
      to--;
    }
    return text.substring(from, Math.max(from, to));
  }

  /** The 1-based line of {@code String} index {@code index}. */
  public int lineOf(int index) {
    int[] s = starts();
    int i = Arrays.binarySearch(s, index);
    return i >= 0 ? i + 1 : -i - 1;
  }

  /** The line break the input uses: {@code \r\n} when its first line ends so, else {@code \n}. */
  public String lineBreak() {
    int nl = text.indexOf('\n');
    return nl > 0 && text.charAt(nl - 1) == '\r' ? "\r\n" : "\n";
  }
}
