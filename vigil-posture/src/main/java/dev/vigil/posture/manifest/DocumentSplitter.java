package dev.vigil.posture.manifest;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Cuts a YAML stream into the text of its documents while reading it once, so that each document
 * can be parsed, checked and dropped before the next is read: memory is bounded by the largest
 * document, not by the input.
 *
 * <p>The input is cut before each {@code ---} line (at column 0 and followed by a blank or the end
 * of the line, as YAML defines the marker). YAML forbids the marker inside a document's content, so
 * the cut never splits valid YAML. Directive lines ({@code %YAML}, {@code %TAG}) stay with the
 * document they introduce; a {@code ...} line stays with the document it ends. A piece that grows
 * past {@code maxChars} is not kept: it is returned empty and flagged, and reading resumes at the
 * next document.
 */
final class DocumentSplitter {
  /**
   * One piece of the input.
   *
   * @param text its text ("" when too large)
   * @param charOffset the {@code String} index of its first character in the whole input
   * @param cpOffset the code-point index of its first character
   * @param line the 0-based line it starts on (pieces always start at a line start)
   * @param simple only printable BMP characters other than tab and U+FEFF, and no line break but
   *     {@code \n} or {@code \r\n}: what the fast composer accepts
   * @param tooLarge longer than the limit; {@code text} is empty
   */
  record Piece(
      String text, int charOffset, int cpOffset, int line, boolean simple, boolean tooLarge) {}

  /**
   * The input goes on past {@link Integer#MAX_VALUE} characters, where positions no longer fit the
   * {@code int}s of node marks; {@code line} (0-based) is where the piece that crosses it starts.
   */
  static final class TooLong extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int line;

    TooLong(int line) {
      super(null, null, false, false);
      this.line = line;
    }
  }

  /**
   * The input has bytes that are not UTF-8 at 0-based {@code line} and {@code column} (in
   * characters; the column counts from where the current document's kept text starts if the line
   * began before it).
   */
  static final class NotUtf8 extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int line;
    final int column;

    NotUtf8(int line, int column) {
      super(null, null, false, false);
      this.line = line;
      this.column = column;
    }
  }

  private final Reader in;
  private final int maxChars;
  private char[] buf = new char[1 << 16];

  /** Characters in {@code buf}. */
  private int len;

  /** Absolute char index of {@code buf[0]}. */
  private long base;

  private boolean eof;

  /** Scan position: always at a line start between calls. */
  private int pos;

  /** The current piece starts at {@code buf[start]}. */
  private int start;

  private int pieceLine;
  private long pieceCp;
  private int line;
  private long cp;
  private long pieceChar;
  private boolean simple = true;
  private boolean overflow;

  /** The current piece has content other than blank, comment and directive lines. */
  private boolean content;

  private boolean directives;
  private @Nullable String lineBreak;

  DocumentSplitter(Reader in, int maxChars, int firstLine, long firstCp, long firstChar) {
    this.in = in;
    this.maxChars = maxChars;
    this.line = firstLine;
    this.pieceLine = firstLine;
    this.cp = firstCp;
    this.pieceCp = firstCp;
    this.base = firstChar;
    this.pieceChar = firstChar;
  }

  /** The line break of the input's first line ("\n" until one is seen). */
  String lineBreak() {
    return lineBreak == null ? "\n" : lineBreak;
  }

  /** The size of the read buffer, in characters (for tests of its bound). */
  int bufferSize() {
    return buf.length;
  }

  /** The next piece, or null at the end of the input. */
  @Nullable Piece next() {
    while (true) {
      if (!ensure(4)) {
        // end of input: the rest is the last piece
        return pos == start && !overflow ? null : cut(pos);
      }
      // at a line start
      char c = buf[pos];
      boolean begin = c == '-' && marker('-');
      if (begin && (pos > start || overflow) && !(directives && !content)) {
        return cut(pos);
      }
      if (c == '.' && marker('.')) {
        // a document end: what follows is a new document (directives, then "---")
        content = false;
        directives = false;
      } else if (c == '%') {
        directives = true;
      } else if (c != '#' && c != ' ' && c != '\n' && c != '\r') {
        content = true;
      }
      line();
    }
  }

  /** Whether {@code buf[pos..]} is {@code ---} or {@code ...} followed by a blank or line end. */
  private boolean marker(char m) {
    if (pos + 3 > len || buf[pos + 1] != m || buf[pos + 2] != m) {
      return false;
    }
    if (pos + 3 == len) {
      return true; // ensure(4) failed to get a fourth character: the input ends here
    }
    char after = buf[pos + 3];
    return after == ' ' || after == '\t' || after == '\n' || after == '\r';
  }

  /** Consumes one line, including its break, tracking lines, code points and simplicity. */
  private void line() {
    while (true) {
      if (pos >= len && !ensure(1)) {
        return;
      }
      // printable ASCII, the bulk of any manifest, in a tight loop
      char[] b = buf;
      int p = pos;
      int end = len;
      while (p < end && b[p] >= 0x20 && b[p] <= 0x7e) {
        p++;
      }
      cp += p - pos;
      pos = p;
      if (p == end) {
        continue;
      }
      char c = buf[pos++];
      if (c == '\n') {
        if (lineBreak == null) {
          lineBreak = pos >= 2 && buf[pos - 2] == '\r' ? "\r\n" : "\n";
        }
        line++;
        cp++;
        checkSize();
        return;
      }
      cp++;
      if (c == '\r') {
        if (pos >= len) {
          ensure(1);
        }
        if (pos < len && buf[pos] == '\n') {
          continue;
        }
        simple = false; // a lone CR is a line break too
        line++;
        checkSize();
        return;
      }
      if (Character.isLowSurrogate(c)) {
        cp--;
      }
      if (!((c >= 0xa0 && c <= 0xd7ff && c != 0x2028 && c != 0x2029)
          || (c >= 0xe000 && c <= 0xfffd && c != 0xfeff))) {
        simple = false;
      }
    }
  }

  private void checkSize() {
    if (!overflow && pos - start > maxChars) {
      overflow = true;
    }
  }

  private Piece cut(int at) {
    if (base + at > Integer.MAX_VALUE || cp > Integer.MAX_VALUE) {
      throw new TooLong(pieceLine);
    }
    String text = overflow ? "" : new String(buf, start, at - start);
    Piece p = new Piece(text, (int) pieceChar, (int) pieceCp, pieceLine, simple, overflow);
    start = at;
    pieceChar = base + at;
    pieceLine = line;
    pieceCp = cp;
    simple = true;
    overflow = false;
    content = false;
    directives = false;
    return p;
  }

  /**
   * Where the bytes that are not UTF-8 are: the decoder hands out every character before them
   * first, so they follow {@code buf[len - 1]}.
   */
  private NotUtf8 notUtf8() {
    int l = line;
    for (int i = pos; i < len; i++) {
      if (buf[i] == '\n') {
        l++;
      }
    }
    int lineStart = len;
    while (lineStart > start && buf[lineStart - 1] != '\n') {
      lineStart--;
    }
    return new NotUtf8(l, len - lineStart);
  }

  /** Makes {@code n} characters available at {@code pos} if the input has them. */
  private boolean ensure(int n) {
    if (pos + n <= len) {
      return true;
    }
    ensureFrom(pos + n - 1);
    return pos < len;
  }

  /** Reads until {@code buf[i]} exists or the input ends; false at the end. */
  private boolean ensureFrom(int index) {
    int i = index;
    while (i >= len && !eof) {
      checkSize(); // a long line must not grow the buffer past the limit either
      int keep = overflow ? pos : start;
      if (keep > 0) {
        System.arraycopy(buf, keep, buf, 0, len - keep);
        len -= keep;
        pos -= keep;
        start -= keep;
        i -= keep;
        base += keep;
        if (overflow) {
          start = pos; // nothing of an oversized piece is kept
        }
      }
      if (len == buf.length) {
        buf = Arrays.copyOf(buf, buf.length * 2);
      }
      try {
        int r = in.read(buf, len, buf.length - len);
        if (r < 0) {
          eof = true;
        } else {
          len += r;
        }
      } catch (CharacterCodingException e) {
        throw notUtf8();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return i < len;
  }
}
