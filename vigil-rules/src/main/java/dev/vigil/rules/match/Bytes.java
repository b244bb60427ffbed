package dev.vigil.rules.match;

/** Byte-array search helpers. */
final class Bytes {
  private Bytes() {}

  static int indexOf(byte[] haystack, byte[] needle) {
    if (needle.length == 0) {
      return 0;
    }
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  static boolean startsWith(byte[] v, byte[] prefix) {
    if (prefix.length > v.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (v[i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  static boolean endsWith(byte[] v, byte[] suffix) {
    if (suffix.length > v.length) {
      return false;
    }
    int off = v.length - suffix.length;
    for (int i = 0; i < suffix.length; i++) {
      if (v[off + i] != suffix[i]) {
        return false;
      }
    }
    return true;
  }
}
