package dev.vigil.k8saudit.policy.simulate;

/**
 * Bytes of {@code "managedFields": ...} entries inside a recorded body: what {@code
 * omitManagedFields} removes. Looked for only when a policy asks for it.
 */
final class ManagedFields {
  private static final byte[] KEY =
      "\"managedFields\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private ManagedFields() {}

  static long bytes(EventScanner sc, int slot) {
    if (!sc.has(slot)) {
      return 0;
    }
    byte[] b = sc.buf;
    int end = sc.end[slot];
    long total = 0;
    int i = sc.start[slot];
    while ((i = indexOf(b, i, end)) >= 0) {
      int v = EventScanner.ws(b, i + KEY.length, end);
      if (v < end && b[v] == ':') {
        v = EventScanner.ws(b, v + 1, end);
        int e = sc.skip(v, end);
        if (e < 0) {
          return total;
        }
        int after = EventScanner.ws(b, e, end);
        boolean comma = (after < end && b[after] == ',') || commaBefore(b, i, sc.start[slot]);
        total += e - i + (comma ? 1 : 0);
        i = e;
      } else {
        i += KEY.length;
      }
    }
    return total;
  }

  private static boolean commaBefore(byte[] b, int i, int start) {
    int k = i - 1;
    while (k > start && (b[k] == ' ' || b[k] == '\n' || b[k] == '\r' || b[k] == '\t')) {
      k--;
    }
    return k > start && b[k] == ',';
  }

  private static int indexOf(byte[] b, int from, int end) {
    outer:
    for (int i = from; i <= end - KEY.length; i++) {
      for (int k = 0; k < KEY.length; k++) {
        if (b[i + k] != KEY[k]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
