package dev.vigil.k8saudit.event;

/**
 * Decoded strings of short JSON string contents, cached by their bytes: the verbs, stages,
 * resources and user names of an audit log repeat, so most field values come from here without
 * allocating. One per event view (so per thread); a slot holds the last string that hashed to it.
 */
final class Interner {
  private static final int SLOTS = 4096;
  private static final int MAX_LENGTH = 96;

  private final byte[][] keys = new byte[SLOTS][];
  private final String[] values = new String[SLOTS];

  String get(byte[] b, int s, int e) {
    int n = e - s;
    if (n > MAX_LENGTH) {
      return Unescape.decode(b, s, e);
    }
    int h = n;
    for (int i = s; i < e; i++) {
      h = 31 * h + b[i];
    }
    int slot = (h ^ (h >>> 13)) & (SLOTS - 1);
    byte[] k = keys[slot];
    if (k != null && k.length == n && java.util.Arrays.equals(k, 0, n, b, s, e)) {
      return values[slot];
    }
    String v = Unescape.decode(b, s, e);
    keys[slot] = java.util.Arrays.copyOfRange(b, s, e);
    values[slot] = v;
    return v;
  }
}
