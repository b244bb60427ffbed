package dev.vigil.k8saudit.policy.simulate;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Scanning JSON text in a byte array without building values: strings are found by their closing
 * quote (eight bytes at a time), other values are skipped by following the grammar — objects,
 * arrays, commas and colons checked, nesting at most {@link #MAX_DEPTH} deep, numbers and literals
 * checked loosely. The first problem is kept ({@link #error}, {@link #errorAt}) and -1 returned.
 */
abstract class JsonScanner {
  static final int MAX_DEPTH = 512;

  /** Reads eight bytes of a byte array as one little-endian long. */
  static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;
  private static final long QUOTES = 0x2222222222222222L;
  private static final long BACKSLASHES = 0x5c5c5c5c5c5c5c5cL;
  private static final long SPACES = 0x2020202020202020L;

  /**
   * Line mode (JSON lines): a line break can only end an event, so one inside it means the line was
   * cut short; in document mode line breaks are whitespace.
   */
  boolean lineMode;

  byte[] buf = new byte[0];

  /** The first problem found: a message and the offset it concerns. */
  String error = "";

  int errorAt;

  /** Whether the last string scanned contains escapes. */
  boolean lastEscaped;

  /** Scans a string starting at the quote at {@code i}; returns the offset after its end quote. */
  final int string(int i, int limit) {
    byte[] b = buf;
    int n = b.length;
    boolean esc = false;
    i++;
    while (i < limit) {
      // Eight bytes at a time while none is a quote, a backslash or a control character. The
      // words may extend past the limit (never past the array), but a byte found at or past the
      // limit is not looked at: the string is then cut short. Bounding the words by the array
      // rather than the limit also keeps the JIT from compiling the (rare) short tail as an
      // uncommon trap and recompiling every loop the scanner is inlined into once a string
      // ends near a chunk's end.
      while (i + 8 <= n) {
        long w = (long) LONGS.get(b, i);
        long q = w ^ QUOTES;
        long s = w ^ BACKSLASHES;
        long hit = ((q - ONES) & ~q) | ((s - ONES) & ~s) | ((w - SPACES) & ~w);
        if ((hit & HIGHS) != 0) {
          i += Long.numberOfTrailingZeros(hit & HIGHS) >>> 3;
          break;
        }
        i += 8;
        if (i >= limit) {
          break;
        }
      }
      if (i >= limit) {
        break;
      }
      byte c = b[i];
      if (c == '"') {
        lastEscaped = esc;
        return i + 1;
      }
      if (c == '\\') {
        esc = true;
        i += 2;
        continue;
      }
      if (c >= 0 && c < 0x20) {
        return c == '\n' ? truncated(i) : fail("control character in a string", i);
      }
      i++;
    }
    return truncated(limit);
  }

  /** Skips any JSON value at {@code i}; returns the offset after it. */
  int skip(int i, int limit) {
    return value(i, limit, 0);
  }

  /** A value, following the grammar (so commas and colons are checked too), depth-bounded. */
  private int value(int i, int limit, int depth) {
    byte c = buf[i];
    if (c == '"') {
      return string(i, limit);
    }
    if (c == '{') {
      return depth == MAX_DEPTH
          ? fail("nested more than " + MAX_DEPTH + " levels deep", i)
          : members(i, limit, depth + 1);
    }
    if (c == '[') {
      return depth == MAX_DEPTH
          ? fail("nested more than " + MAX_DEPTH + " levels deep", i)
          : elements(i, limit, depth + 1);
    }
    return literal(i, limit);
  }

  private int members(int i, int limit, int depth) {
    byte[] b = buf;
    i = ws(i + 1, limit);
    if (i < limit && b[i] == '}') {
      return i + 1;
    }
    while (i < limit) {
      if (b[i] != '"') {
        return fail("expected a field name, found " + describe(i, limit), i);
      }
      i = string(i, limit);
      if (i < 0) {
        return -1;
      }
      i = ws(i, limit);
      if (i >= limit || b[i] != ':') {
        return i >= limit ? truncated(i) : fail("expected ':', found " + describe(i, limit), i);
      }
      i = ws(i + 1, limit);
      if (i >= limit) {
        return truncated(i);
      }
      i = value(i, limit, depth);
      if (i < 0) {
        return -1;
      }
      i = ws(i, limit);
      if (i < limit && b[i] == ',') {
        i = ws(i + 1, limit);
      } else if (i < limit && b[i] == '}') {
        return i + 1;
      } else {
        return i >= limit
            ? truncated(i)
            : fail("expected ',' or '}', found " + describe(i, limit), i);
      }
    }
    return truncated(limit);
  }

  private int elements(int i, int limit, int depth) {
    byte[] b = buf;
    i = ws(i + 1, limit);
    if (i < limit && b[i] == ']') {
      return i + 1;
    }
    while (i < limit) {
      i = value(i, limit, depth);
      if (i < 0) {
        return -1;
      }
      i = ws(i, limit);
      if (i < limit && b[i] == ',') {
        i = ws(i + 1, limit);
      } else if (i < limit && b[i] == ']') {
        return i + 1;
      } else {
        return i >= limit
            ? truncated(i)
            : fail("expected ',' or ']', found " + describe(i, limit), i);
      }
    }
    return truncated(limit);
  }

  private int literal(int i, int limit) {
    byte[] b = buf;
    int s = i;
    while (i < limit) {
      byte c = b[i];
      if ((c >= '0' && c <= '9')
          || (c >= 'a' && c <= 'z')
          || c == '-'
          || c == '+'
          || c == '.'
          || c == 'E') {
        i++;
      } else {
        break;
      }
    }
    if (i == s) {
      return fail("unexpected " + describe(s, limit), s);
    }
    byte f = b[s];
    boolean ok =
        f == '-'
            || (f >= '0' && f <= '9')
            || word(s, i, TRUE)
            || word(s, i, FALSE)
            || word(s, i, NULL);
    if (ok) {
      return i;
    }
    String word = ascii(s, i);
    boolean cut =
        (i == limit || b[i] == '\n')
            && ("true".startsWith(word) || "false".startsWith(word) || "null".startsWith(word));
    return cut ? truncated(i) : fail("invalid literal '" + word + "'", s);
  }

  static int ws(byte[] b, int i, int limit) {
    while (i < limit) {
      byte c = b[i];
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
        break;
      }
      i++;
    }
    return i;
  }

  final int ws(int i, int limit) {
    // kube-apiserver writes no whitespace between tokens: one comparison settles the usual case
    if (i < limit && buf[i] > ' ') {
      return i;
    }
    if (!lineMode) {
      return ws(buf, i, limit);
    }
    byte[] b = buf;
    while (i < limit) {
      byte c = b[i];
      if (c != ' ' && c != '\r' && c != '\t') {
        break;
      }
      i++;
    }
    return i;
  }

  final boolean is(int ks, int ke, String key) {
    return ke - ks == key.length() && is(ks, key);
  }

  final boolean is(int ks, String key) {
    byte[] b = buf;
    for (int k = 0; k < key.length(); k++) {
      if (b[ks + k] != key.charAt(k)) {
        return false;
      }
    }
    return true;
  }

  final int truncated(int at) {
    return fail("the JSON ends in the middle of a value (truncated?)", at);
  }

  final int fail(String message, int at) {
    if (error.isEmpty()) {
      boolean lineEnd = lineMode && at < buf.length && buf[at] == '\n';
      error = lineEnd ? "the line ends in the middle of the event (truncated?)" : message;
      errorAt = at;
    }
    return -1;
  }

  final String describe(int i, int limit) {
    if (i >= limit) {
      return "the end";
    }
    byte c = buf[i];
    return switch (c) {
      case '"' -> "a string";
      case '{' -> "an object";
      case '[' -> "an array";
      case 't' -> literalAt(i, limit, "true") ? "a boolean" : "'t'";
      case 'f' -> literalAt(i, limit, "false") ? "a boolean" : "'f'";
      case 'n' -> literalAt(i, limit, "null") ? "null" : "'n'";
      default ->
          (c >= '0' && c <= '9') || c == '-'
              ? "a number"
              : c >= 0x20 && c < 0x7f
                  ? "'" + (char) c + "'"
                  : String.format("byte 0x%02x", c & 0xff);
    };
  }

  private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
  private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
  private static final byte[] NULL = {'n', 'u', 'l', 'l'};

  private boolean word(int s, int e, byte[] w) {
    if (e - s != w.length) {
      return false;
    }
    for (int k = 0; k < w.length; k++) {
      if (buf[s + k] != w[k]) {
        return false;
      }
    }
    return true;
  }

  private boolean literalAt(int i, int limit, String word) {
    return i + word.length() <= limit && is(i, word);
  }

  private String ascii(int s, int e) {
    return new String(buf, s, Math.min(e - s, 20), StandardCharsets.ISO_8859_1);
  }
}
