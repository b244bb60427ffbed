package dev.vigil.k8saudit.event;

/**
 * Finding a top-level member of an event by walking its members backward from the closing brace:
 * for the members kube-apiserver writes after the request and response bodies (the timestamps),
 * this avoids scanning the bodies. Strings are told from their ends by the quotes before them that
 * an even number of backslashes precedes; objects and arrays by counting brackets outside strings.
 */
final class Backward {
  /** Returned when the walk cannot tell: the member is absent, or the text is not as expected. */
  static final int UNKNOWN = -2;

  private Backward() {}

  /**
   * The value of the top-level member named {@code key}, found by walking the members backward from
   * the event's closing brace: its offset, or {@link #UNKNOWN} when the walk reached the opening
   * brace without finding it or met text it does not expect (then the forward scan decides). In a
   * well-formed event without duplicate members this is the member the forward scan finds ({@link
   * AuditEvent#validate} rejects duplicates).
   */
  static int member(byte[] b, int start, int end, byte[] key) {
    int open = JsonScanner.ws(b, start, end);
    int j = backWs(b, end - 1, open);
    if (j <= open || b[j] != '}') {
      return UNKNOWN;
    }
    j = backWs(b, j - 1, open);
    while (j > open) {
      int vs = backValue(b, j, open);
      int c = vs > open ? backWs(b, vs - 1, open) : open;
      if (c <= open || b[c] != ':') {
        return UNKNOWN;
      }
      int ke = backWs(b, c - 1, open);
      if (ke <= open || b[ke] != '"') {
        return UNKNOWN;
      }
      int ks = backQuote(b, ke - 1, open);
      if (ks <= open) {
        return UNKNOWN;
      }
      if (Unescape.equalsKey(b, ks + 1, ke, key)) {
        return vs;
      }
      int m = backWs(b, ks - 1, open);
      if (m <= open || b[m] != ',') {
        return UNKNOWN;
      }
      j = backWs(b, m - 1, open);
    }
    return UNKNOWN;
  }

  /** The offset of the last non-blank byte at or before {@code i} (down to {@code lo}). */
  private static int backWs(byte[] b, int i, int lo) {
    while (i > lo) {
      byte c = b[i];
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
        return i;
      }
      i--;
    }
    return lo;
  }

  /**
   * The offset of the quote that opens the string whose closing quote is after {@code i}: the
   * nearest quote before it not escaped by an odd number of backslashes; {@code lo} if none.
   */
  private static int backQuote(byte[] b, int i, int lo) {
    while (i > lo) {
      if (b[i] == '"') {
        int n = 0;
        while (i - 1 - n > lo && b[i - 1 - n] == '\\') {
          n++;
        }
        if ((n & 1) == 0) {
          return i;
        }
      }
      i--;
    }
    return lo;
  }

  /** The offset where the value that ends at {@code j} starts; {@code lo} if it cannot be told. */
  private static int backValue(byte[] b, int j, int lo) {
    byte c = b[j];
    if (c == '"') {
      return backQuote(b, j - 1, lo);
    }
    if (c == '}' || c == ']') {
      int depth = 0;
      for (int i = j; i > lo; i--) {
        c = b[i];
        if (c == '"') {
          i = backQuote(b, i - 1, lo);
        } else if (c == '}' || c == ']') {
          depth++;
        } else if ((c == '{' || c == '[') && --depth == 0) {
          return i;
        }
      }
      return lo;
    }
    int i = j;
    while (i > lo) {
      c = b[i];
      if ((c >= '0' && c <= '9')
          || (c >= 'a' && c <= 'z')
          || c == '.'
          || c == '+'
          || c == '-'
          || c == 'E') {
        i--;
      } else {
        break;
      }
    }
    return i < j ? i + 1 : lo;
  }
}
