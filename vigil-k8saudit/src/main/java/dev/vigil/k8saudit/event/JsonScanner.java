package dev.vigil.k8saudit.event;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Walks JSON text in a byte array without building values. Every method takes an offset and a limit
 * and returns the offset after what it read, or -1 after recording the first problem ({@link
 * #error}, {@link #errorAt}). Strings are skipped eight bytes at a time; objects and arrays are
 * followed by the grammar (colons and commas checked) and may nest at most {@link #MAX_DEPTH}
 * levels; numbers and literals are checked for their characters only.
 */
final class JsonScanner {
  /** Deepest nesting accepted: Kubernetes objects stay far below it; hostile input does not. */
  static final int MAX_DEPTH = 256;

  private static final VarHandle WORDS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;

  /** Byte {@code k} (from the lowest) is {@code 7 - k}: see {@link #firstByte}. */
  private static final long BYTE_INDEX = 0x0001020304050607L;

  private static final long QUOTES = 0x2222222222222222L;
  private static final long BACKSLASHES = 0x5c5c5c5c5c5c5c5cL;
  private static final long SPACES = 0x2020202020202020L;
  private static final long NEWLINES = 0x0a0a0a0a0a0a0a0aL;

  byte[] buf = new byte[0];
  String error = "";
  int errorAt = -1;

  /**
   * Whether {@link #skip} fails on a line break between tokens, for a reader that scans a line
   * before it knows where the line ends (the {@link Prefilter}); strings fail on one anyway.
   */
  boolean oneLine;

  void reset(byte[] b) {
    buf = b;
    error = "";
    errorAt = -1;
  }

  boolean failed() {
    return errorAt >= 0;
  }

  int fail(String message, int at) {
    if (errorAt < 0) {
      error = message;
      errorAt = at;
    }
    return -1;
  }

  static int ws(byte[] b, int i, int limit) {
    while (i < limit) {
      byte c = b[i];
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
        return i;
      }
      i++;
    }
    return i;
  }

  /** The offset of the next {@code '\n'} at or after {@code i}, or {@code limit}. */
  static int newline(byte[] b, int i, int limit) {
    // 32 bytes per step while no line break is near: lines are long (a kilobyte or more)
    while (i + 32 <= limit) {
      long x0 = (long) WORDS.get(b, i) ^ NEWLINES;
      long x1 = (long) WORDS.get(b, i + 8) ^ NEWLINES;
      long x2 = (long) WORDS.get(b, i + 16) ^ NEWLINES;
      long x3 = (long) WORDS.get(b, i + 24) ^ NEWLINES;
      long any = zeros(x0) | zeros(x1) | zeros(x2) | zeros(x3);
      if ((any & HIGHS) != 0) {
        break; // the word loop below finds which byte
      }
      i += 32;
    }
    while (i + 8 <= limit) {
      long w = (long) WORDS.get(b, i);
      long x = w ^ NEWLINES;
      long hit = zeros(x) & HIGHS;
      if (hit != 0) {
        return i + firstByte(hit);
      }
      i += 8;
    }
    while (i < limit && b[i] != '\n') {
      i++;
    }
    return i;
  }

  /**
   * Skips the string whose opening quote is at {@code i}; returns the offset after its end. The
   * common case (no escape before the closing quote) is kept small enough for the JIT to inline
   * into the scanners' loops; escapes, damage and the last bytes of the input go to {@link
   * #stringRest}.
   */
  int string(int i, int limit) {
    byte[] b = buf;
    i++;
    while (i + 8 <= limit) {
      long hit = special((long) WORDS.get(b, i));
      if (hit != 0) {
        i += firstByte(hit);
        return b[i] == '"' ? i + 1 : stringRest(i, limit);
      }
      i += 8;
    }
    return stringRest(i, limit);
  }

  /*
   * The word helpers below are kept under 35 bytes of bytecode, so that C1 (the only compiler
   * `audit query` runs with, see ./vigil) inlines them into the loops as C2 would; for the same
   * reason firstByte multiplies instead of calling Long.numberOfTrailingZeros, which C1 does not
   * treat as an intrinsic.
   */

  /**
   * The high bit of every byte of the word {@code w} that ends or interrupts a string's plain run
   * (a quote, a backslash, a control character); exact for the lowest one.
   */
  private static long special(long w) {
    return (zeros(w ^ QUOTES) | zeros(w ^ BACKSLASHES) | ((w - SPACES) & ~w)) & HIGHS;
  }

  /**
   * The high bit of every zero byte of {@code x}, and possibly of bytes above the lowest zero byte
   * (a borrow): exact for the lowest one. Other bits may be set too: mask with {@code HIGHS}.
   */
  private static long zeros(long x) {
    return (x - ONES) & ~x;
  }

  /**
   * The index (0 to 7, from the lowest) of the lowest byte whose high bit {@code hit} has, where
   * {@code hit} is not zero and has only bytes' high bits set.
   */
  static int firstByte(long hit) {
    // the lowest hit as 1 << 8k; times BYTE_INDEX, k lands in the top byte
    return (int) ((((hit & -hit) >>> 7) * BYTE_INDEX) >>> 56);
  }

  /** The rest of {@link #string} from {@code i}, inside the string. */
  private int stringRest(int i, int limit) {
    byte[] b = buf;
    while (true) {
      while (i + 8 <= limit) {
        long hit = special((long) WORDS.get(b, i));
        if (hit != 0) {
          i += firstByte(hit);
          break;
        }
        i += 8;
      }
      if (i >= limit) {
        return fail("the JSON ends inside a string (truncated?)", limit);
      }
      byte c = b[i];
      if (c == '"') {
        return i + 1;
      }
      if (c == '\\') {
        if (i + 1 >= limit) {
          return fail("the JSON ends inside a string (truncated?)", limit);
        }
        byte e = b[i + 1];
        if (e == 'u') {
          if (i + 6 > limit) {
            return fail("the JSON ends inside a string (truncated?)", limit);
          }
          for (int k = 2; k < 6; k++) {
            if (Unescape.hex(b[i + k]) < 0) {
              return fail("invalid \\u escape in a string", i);
            }
          }
          i += 6;
        } else if (e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' || e == 'n' || e == 'r'
            || e == 't') {
          i += 2;
        } else {
          return fail("invalid escape '\\" + printable(e) + "' in a string", i);
        }
        continue;
      }
      if (c >= 0 && c < 0x20) {
        return fail(
            c == '\n'
                ? "a line break inside a string (the event is cut short?)"
                : "a control character inside a string",
            i);
      }
      i++;
    }
  }

  /**
   * Skips the value at {@code i} quickly: strings are scanned as by {@link #string}, objects and
   * arrays only by counting brackets (so a misplaced comma or colon inside them goes unnoticed;
   * {@link #value} checks the grammar). For values that are passed over, not used.
   */
  int skip(int i, int limit) {
    byte[] b = buf;
    byte c = b[i];
    if (c == '"') {
      return string(i, limit);
    }
    if (c != '{' && c != '[') {
      return literal(i, limit);
    }
    int depth = 0;
    while (i < limit) {
      c = b[i];
      if (c == '"') {
        i = string(i, limit);
        if (i < 0) {
          return -1;
        }
        continue;
      }
      if (c == '{' || c == '[') {
        if (++depth > MAX_DEPTH) {
          return fail("nested more than " + MAX_DEPTH + " levels deep", i);
        }
      } else if (c == '}' || c == ']') {
        if (--depth == 0) {
          return i + 1;
        }
      } else if (c == '\n' && oneLine) {
        return fail("a line break inside an object or array", i);
      }
      i++;
    }
    return fail("the JSON ends inside an object or array (truncated?)", limit);
  }

  /** Skips any value at {@code i} (after whitespace); returns the offset after it. */
  int value(int i, int limit) {
    return value(i, limit, 0);
  }

  /** Skips any value at {@code i} that sits {@code depth} levels deep (nesting counted from it). */
  int value(int i, int limit, int depth) {
    i = ws(buf, i, limit);
    if (i >= limit) {
      return fail("the JSON ends where a value was expected (truncated?)", i);
    }
    byte c = buf[i];
    return switch (c) {
      case '"' -> string(i, limit);
      case '{' ->
          depth >= MAX_DEPTH
              ? fail("nested more than " + MAX_DEPTH + " levels deep", i)
              : object(i, limit, depth + 1);
      case '[' ->
          depth >= MAX_DEPTH
              ? fail("nested more than " + MAX_DEPTH + " levels deep", i)
              : array(i, limit, depth + 1);
      default -> literal(i, limit);
    };
  }

  private int object(int i, int limit, int depth) {
    byte[] b = buf;
    i = ws(b, i + 1, limit);
    if (i < limit && b[i] == '}') {
      return i + 1;
    }
    while (true) {
      if (i >= limit) {
        return fail("the JSON ends inside an object (truncated?)", i);
      }
      if (b[i] != '"') {
        return fail("expected a field name in quotes, found " + describe(i, limit), i);
      }
      i = string(i, limit);
      if (i < 0) {
        return -1;
      }
      i = ws(b, i, limit);
      if (i >= limit || b[i] != ':') {
        return expected("':'", i, limit);
      }
      i = value(i + 1, limit, depth);
      if (i < 0) {
        return -1;
      }
      i = ws(b, i, limit);
      if (i < limit && b[i] == ',') {
        i = ws(b, i + 1, limit);
      } else if (i < limit && b[i] == '}') {
        return i + 1;
      } else {
        return expected("',' or '}'", i, limit);
      }
    }
  }

  private int array(int i, int limit, int depth) {
    byte[] b = buf;
    i = ws(b, i + 1, limit);
    if (i < limit && b[i] == ']') {
      return i + 1;
    }
    while (true) {
      i = value(i, limit, depth);
      if (i < 0) {
        return -1;
      }
      i = ws(b, i, limit);
      if (i < limit && b[i] == ',') {
        i++;
      } else if (i < limit && b[i] == ']') {
        return i + 1;
      } else {
        return expected("',' or ']'", i, limit);
      }
    }
  }

  int expected(String what, int i, int limit) {
    return i >= limit
        ? fail("the JSON ends where " + what + " was expected (truncated?)", i)
        : fail("expected " + what + ", found " + describe(i, limit), i);
  }

  private int literal(int i, int limit) {
    byte[] b = buf;
    int s = i;
    byte f = b[i];
    if (f == '-' || (f >= '0' && f <= '9')) {
      i++;
      while (i < limit) {
        byte c = b[i];
        if ((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
          i++;
        } else {
          break;
        }
      }
      return i;
    }
    if (word(i, limit, "true")) {
      return i + 4;
    }
    if (word(i, limit, "false")) {
      return i + 5;
    }
    if (word(i, limit, "null")) {
      return i + 4;
    }
    return fail("unexpected " + describe(s, limit), s);
  }

  private boolean word(int i, int limit, String w) {
    if (i + w.length() > limit) {
      return false;
    }
    for (int k = 0; k < w.length(); k++) {
      if (buf[i + k] != w.charAt(k)) {
        return false;
      }
    }
    return true;
  }

  String describe(int i, int limit) {
    if (i >= limit) {
      return "the end";
    }
    byte c = buf[i];
    return switch (c) {
      case '"' -> "a string";
      case '{' -> "an object";
      case '[' -> "an array";
      case '\n' -> "a line break";
      default ->
          (c >= '0' && c <= '9') || c == '-'
              ? "a number"
              : word(i, limit, "true") || word(i, limit, "false")
                  ? "a boolean"
                  : word(i, limit, "null") ? "null" : "'" + printable(c) + "'";
    };
  }

  static String printable(byte c) {
    return c >= 0x20 && c < 0x7f ? String.valueOf((char) c) : String.format("\\x%02x", c & 0xff);
  }
}
