package dev.vigil.posture.manifest;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * A named input's text, or a window onto it: the text of one of its documents, with where that text
 * starts in the input. Node marks hold code-point indices and lines of the whole input; this turns
 * them into {@code String} indices of {@link #text()} (they differ only past the BMP) and shows
 * lines by their number in the input, so documents can be read, checked and fixed one at a time.
 */
public final class SourceText {
  private final String name;
  private final String text;
  private final int charOffset;
  private final int cpOffset;
  private final int firstLine;
  private final String lineBreak;
  private int @Nullable [] lineStarts;
  private int bmpOnly = -1;

  /** A whole input. */
  public SourceText(String name, String text) {
    this(name, text, 0, 0, 1, firstLineBreak(text));
  }

  /**
   * A window onto an input.
   *
   * @param charOffset the {@code String} index in the input of {@code text}'s first character
   * @param cpOffset its code-point index in the input
   * @param firstLine the 1-based line of the input it starts on (a window starts at a line start)
   * @param lineBreak the input's line break ({@code \n} or {@code \r\n})
   */
  public SourceText(
      String name, String text, int charOffset, int cpOffset, int firstLine, String lineBreak) {
    this.name = name;
    this.text = text;
    this.charOffset = charOffset;
    this.cpOffset = cpOffset;
    this.firstLine = firstLine;
    this.lineBreak = lineBreak;
  }

  public String name() {
    return name;
  }

  /** The text of this window (of the whole input when it is not a window). */
  public String text() {
    return text;
  }

  /** Where {@link #text()} starts in the input, as a {@code String} index. */
  public int charOffset() {
    return charOffset;
  }

  /** Where {@link #text()} starts in the input, as a code-point index. */
  public int cpOffset() {
    return cpOffset;
  }

  /** The 1-based line of the input that {@link #text()} starts on. */
  public int firstLine() {
    return firstLine;
  }

  /** The number of lines {@link #text()} spans (a last line without a break counts). */
  public int lineCount() {
    int[] s = starts();
    return s.length - (s[s.length - 1] == text.length() ? 1 : 0);
  }

  /** The index in {@link #text()} of the code point at {@code codePointIndex} of the input. */
  public int charIndex(int codePointIndex) {
    int local = Math.max(0, codePointIndex - cpOffset);
    if (bmpOnly < 0) {
      bmpOnly = text.length() == text.codePointCount(0, text.length()) ? 1 : 0;
    }
    if (bmpOnly == 1) {
      return Math.min(local, text.length());
    }
    return text.offsetByCodePoints(0, Math.min(local, text.codePointCount(0, text.length())));
  }

  private int[] starts() {
    int[] s = lineStarts;
    if (s == null) {
      int[] buf = new int[64];
      int n = 0;
      buf[n++] = 0;
      for (int i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
        if (n == buf.length) {
          buf = Arrays.copyOf(buf, n * 2);
        }
        buf[n++] = i + 1;
      }
      s = Arrays.copyOf(buf, n);
      lineStarts = s;
    }
    return s;
  }

  /** The text of 1-based input line {@code line}, without its break ("" outside this window). */
  public String lineText(int line) {
    int[] s = starts();
    int l = line - firstLine;
    if (l < 0 || l >= s.length) {
      return "";
    }
    int from = s[l];
    int to = l + 1 < s.length ? s[l + 1] - 1 : text.length();
    if (to > from && text.charAt(to - 1) == '\r') {
      to--;
    }
    return text.substring(from, Math.max(from, to));
  }

  /** The 1-based input line of index {@code index} of {@link #text()}. */
  public int lineOf(int index) {
    int[] s = starts();
    int i = Arrays.binarySearch(s, index);
    return (i >= 0 ? i + 1 : -i - 1) + firstLine - 1;
  }

  /** The line break the input uses: {@code \r\n} when its first line ends so, else {@code \n}. */
  public String lineBreak() {
    return lineBreak;
  }

  private static String firstLineBreak(String text) {
    int nl = text.indexOf('\n');
    return nl > 0 && text.charAt(nl - 1) == '\r' ? "\r\n" : "\n";
  }
}
