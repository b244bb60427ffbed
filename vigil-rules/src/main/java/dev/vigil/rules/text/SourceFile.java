package dev.vigil.rules.text;

import java.util.Arrays;

/**
 * A loaded source file (or any named text): its name as the user gave it, its content, and a line
 * index for turning offsets into 1-based line and column numbers.
 */
public final class SourceFile {
  private final String name;
  private final String content;
  private final int[] lineStarts;

  public SourceFile(String name, String content) {
    this.name = name;
    this.content = content;
    int[] starts = new int[16];
    int n = 1;
    for (int i = 0; i < content.length(); i++) {
      if (content.charAt(i) == '\n') {
        if (n == starts.length) {
          starts = Arrays.copyOf(starts, n * 2);
        }
        starts[n++] = i + 1;
      }
    }
    this.lineStarts = Arrays.copyOf(starts, n);
  }

  public String name() {
    return name;
  }

  public String content() {
    return content;
  }

  /** 1-based line of an offset. */
  public int line(int offset) {
    int i = Arrays.binarySearch(lineStarts, Math.clamp(offset, 0, content.length()));
    return i >= 0 ? i + 1 : -i - 1;
  }

  /** 1-based column (in characters) of an offset. */
  public int column(int offset) {
    int o = Math.clamp(offset, 0, content.length());
    return o - lineStarts[line(o) - 1] + 1;
  }

  /** Offset of a 1-based line and column, clamped to the content. */
  public int offset(int line, int column) {
    int l = Math.clamp(line, 1, lineStarts.length);
    return Math.clamp(lineStarts[l - 1] + column - 1, 0, content.length());
  }

  /** The text of a 1-based line, without its line break. */
  public String lineText(int line) {
    int l = Math.clamp(line, 1, lineStarts.length);
    int start = lineStarts[l - 1];
    int end = l < lineStarts.length ? lineStarts[l] - 1 : content.length();
    if (end > start && content.charAt(end - 1) == '\r') {
      end--;
    }
    return content.substring(start, Math.max(start, end));
  }

  public Position position(int offset) {
    return new Position(this, line(offset), column(offset));
  }
}
