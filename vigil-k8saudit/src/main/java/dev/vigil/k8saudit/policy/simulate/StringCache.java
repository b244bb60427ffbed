package dev.vigil.k8saudit.policy.simulate;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Decodes JSON string contents to {@code String}s, remembering short ones: user names, groups,
 * verbs and stages repeat across millions of events, so most lookups allocate nothing. One per
 * thread; a direct-mapped table, so a collision simply replaces the entry.
 */
final class StringCache {
  private static final int SIZE = 8192;
  private static final int MAX_CACHED = 96;
  private static final byte[] EMPTY = new byte[0];

  private final byte[][] keys = new byte[SIZE][];
  private final String[] values = new String[SIZE];

  StringCache() {
    Arrays.fill(keys, EMPTY);
    Arrays.fill(values, "");
  }

  String get(byte[] b, int s, int e, boolean escaped) {
    if (escaped) {
      return unescape(b, s, e);
    }
    int len = e - s;
    if (len == 0) {
      return "";
    }
    if (len > MAX_CACHED) {
      return new String(b, s, len, StandardCharsets.UTF_8);
    }
    int h = 0;
    for (int i = s; i < e; i++) {
      h = 31 * h + b[i];
    }
    int slot = (h ^ (h >>> 15)) & (SIZE - 1);
    byte[] k = keys[slot];
    if (k.length == len && Arrays.equals(k, 0, len, b, s, e)) {
      return values[slot];
    }
    String v = new String(b, s, len, StandardCharsets.UTF_8);
    keys[slot] = Arrays.copyOfRange(b, s, e);
    values[slot] = v;
    return v;
  }

  /** Decodes a JSON string body with escapes ({@code \"}, {@code \\uXXXX}, ...). */
  static String unescape(byte[] b, int s, int e) {
    byte[] out = new byte[(e - s) * 3];
    int n = 0;
    int i = s;
    while (i < e) {
      byte c = b[i++];
      if (c != '\\' || i >= e) {
        out[n++] = c;
        continue;
      }
      byte x = b[i++];
      int cp =
          switch (x) {
            case 'n' -> '\n';
            case 't' -> '\t';
            case 'r' -> '\r';
            case 'b' -> '\b';
            case 'f' -> '\f';
            case 'u' -> {
              int u = i + 4 <= e ? hex(b, i) : -1;
              i += i + 4 <= e ? 4 : 0;
              if (u >= 0xd800 && u < 0xdc00 && i + 6 <= e && b[i] == '\\' && b[i + 1] == 'u') {
                int lo = hex(b, i + 2);
                if (lo >= 0xdc00 && lo < 0xe000) {
                  i += 6;
                  yield 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
                }
              }
              yield u < 0 || (u >= 0xd800 && u < 0xe000) ? 0xfffd : u;
            }
            default -> x & 0xff;
          };
      n = utf8(out, n, cp);
    }
    return new String(out, 0, n, StandardCharsets.UTF_8);
  }

  private static int utf8(byte[] out, int n, int cp) {
    if (cp < 0x80) {
      out[n++] = (byte) cp;
    } else if (cp < 0x800) {
      out[n++] = (byte) (0xc0 | (cp >> 6));
      out[n++] = (byte) (0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
      out[n++] = (byte) (0xe0 | (cp >> 12));
      out[n++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
      out[n++] = (byte) (0x80 | (cp & 0x3f));
    } else {
      out[n++] = (byte) (0xf0 | (cp >> 18));
      out[n++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
      out[n++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
      out[n++] = (byte) (0x80 | (cp & 0x3f));
    }
    return n;
  }

  private static int hex(byte[] b, int i) {
    int v = 0;
    for (int k = 0; k < 4; k++) {
      int d = Character.digit(b[i + k], 16);
      if (d < 0) {
        return -1;
      }
      v = v * 16 + d;
    }
    return v;
  }
}
