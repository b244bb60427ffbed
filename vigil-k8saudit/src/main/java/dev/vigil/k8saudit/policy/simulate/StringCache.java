package dev.vigil.k8saudit.policy.simulate;

import java.io.ByteArrayOutputStream;
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
    ByteArrayOutputStream raw = new ByteArrayOutputStream(e - s);
    StringBuilder out = new StringBuilder(e - s);
    int i = s;
    while (i < e) {
      byte c = b[i];
      if (c != '\\' || i + 1 >= e) {
        raw.write(c);
        i++;
        continue;
      }
      flush(raw, out);
      byte n = b[i + 1];
      i += 2;
      switch (n) {
        case 'n' -> out.append('\n');
        case 't' -> out.append('\t');
        case 'r' -> out.append('\r');
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'u' -> {
          if (i + 4 <= e) {
            int cp = hex(b, i);
            out.append((char) (cp < 0 ? '\ufffd' : cp));
            i += 4;
          }
        }
        default -> out.append((char) n);
      }
    }
    flush(raw, out);
    return out.toString();
  }

  private static void flush(ByteArrayOutputStream raw, StringBuilder out) {
    if (raw.size() > 0) {
      out.append(raw.toString(StandardCharsets.UTF_8));
      raw.reset();
    }
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
