package dev.vigil.k8saudit.webhook;

/**
 * UTF-8 validation without decoding (RFC 3629: no overlongs, surrogates or code points > 10FFFF).
 */
final class Utf8 {
  private Utf8() {}

  /** The offset of the first byte that is not valid UTF-8, or -1. */
  static int firstInvalid(byte[] b, int from, int to) {
    int i = from;
    while (i < to) {
      int c = b[i];
      if (c >= 0) {
        i++;
        continue;
      }
      c &= 0xff;
      int need;
      int lo = 0x80;
      int hi = 0xbf;
      if (c >= 0xc2 && c <= 0xdf) {
        need = 1;
      } else if (c >= 0xe0 && c <= 0xef) {
        need = 2;
        lo = c == 0xe0 ? 0xa0 : 0x80;
        hi = c == 0xed ? 0x9f : 0xbf;
      } else if (c >= 0xf0 && c <= 0xf4) {
        need = 3;
        lo = c == 0xf0 ? 0x90 : 0x80;
        hi = c == 0xf4 ? 0x8f : 0xbf;
      } else {
        return i;
      }
      if (i + need >= to) {
        return i;
      }
      int second = b[i + 1] & 0xff;
      if (second < lo || second > hi) {
        return i;
      }
      for (int k = 2; k <= need; k++) {
        if ((b[i + k] & 0xc0) != 0x80) {
          return i;
        }
      }
      i += need + 1;
    }
    return -1;
  }
}
