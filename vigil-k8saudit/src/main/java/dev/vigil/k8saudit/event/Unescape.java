package dev.vigil.k8saudit.event;

import java.nio.charset.StandardCharsets;

/** Decoding JSON string contents (the bytes between the quotes) into Java strings. */
final class Unescape {
  private Unescape() {}

  static int hex(byte c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  /** Whether the contents contain a backslash. */
  static boolean escaped(byte[] b, int start, int end) {
    for (int i = start; i < end; i++) {
      if (b[i] == '\\') {
        return true;
      }
    }
    return false;
  }

  /**
   * The string whose contents are {@code b[start..end)}, escapes already validated by the scanner.
   * Invalid UTF-8 becomes U+FFFD; lone surrogates from {@code \\u} escapes are kept as they are.
   */
  static String decode(byte[] b, int start, int end) {
    if (!escaped(b, start, end)) {
      return new String(b, start, end - start, StandardCharsets.UTF_8);
    }
    StringBuilder sb = new StringBuilder(end - start);
    int run = start;
    int i = start;
    while (i < end) {
      if (b[i] != '\\') {
        i++;
        continue;
      }
      sb.append(new String(b, run, i - run, StandardCharsets.UTF_8));
      byte e = b[i + 1];
      switch (e) {
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'n' -> sb.append('\n');
        case 'r' -> sb.append('\r');
        case 't' -> sb.append('\t');
        case 'u' -> {
          int cp = 0;
          for (int k = 2; k < 6 && i + k < end; k++) {
            cp = cp * 16 + Math.max(0, hex(b[i + k]));
          }
          sb.append((char) cp);
          i += 4;
        }
        default -> sb.append((char) e);
      }
      i += 2;
      run = i;
    }
    sb.append(new String(b, run, Math.max(0, end - run), StandardCharsets.UTF_8));
    return sb.toString();
  }

  /** Whether the contents of a string equal {@code key} (ASCII key; escapes decoded). */
  static boolean equalsKey(byte[] b, int start, int end, byte[] key) {
    int n = end - start;
    if (n == key.length) {
      for (int k = 0; k < n; k++) {
        if (b[start + k] != key[k]) {
          return escaped(b, start, end) && decode(b, start, end).equals(utf8(key));
        }
      }
      return true;
    }
    return n > key.length && escaped(b, start, end) && decode(b, start, end).equals(utf8(key));
  }

  private static String utf8(byte[] key) {
    return new String(key, StandardCharsets.UTF_8);
  }

  /**
   * Whether {@code b[start..end)} is well-formed UTF-8 (no overlong forms, no surrogates, nothing
   * above U+10FFFF). Returns the offset of the first bad byte, or -1.
   */
  static int invalidUtf8(byte[] b, int start, int end) {
    int i = start;
    while (i < end) {
      int c = b[i] & 0xff;
      if (c < 0x80) {
        i++;
        continue;
      }
      int need;
      int min;
      if (c >= 0xc2 && c <= 0xdf) {
        need = 1;
        min = 0x80;
      } else if (c >= 0xe0 && c <= 0xef) {
        need = 2;
        min = 0x800;
      } else if (c >= 0xf0 && c <= 0xf4) {
        need = 3;
        min = 0x10000;
      } else {
        return i;
      }
      int cp = c & (0x3f >> need);
      for (int k = 1; k <= need; k++) {
        if (i + k >= end) {
          return i;
        }
        int d = b[i + k] & 0xff;
        if ((d & 0xc0) != 0x80) {
          return i;
        }
        cp = (cp << 6) | (d & 0x3f);
      }
      if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
        return i;
      }
      i += need + 1;
    }
    return -1;
  }
}
