package dev.vigil.k8saudit.policy.simulate;

import static dev.vigil.k8saudit.policy.simulate.EventScanner.REQUEST_URI;
import static dev.vigil.k8saudit.policy.simulate.EventScanner.USERNAME;
import static dev.vigil.k8saudit.policy.simulate.EventScanner.VERB;

import dev.vigil.k8saudit.policy.check.RequestAttributes;
import java.util.Arrays;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What the policies decided for requests already seen, keyed by the raw bytes the decision depends
 * on: user name, groups, verb and the requestURI's path (its query too when it holds a
 * fieldSelector, which can name the object). Real logs repeat these endlessly — node leases,
 * controllers, watches — so most events skip decoding, RequestInfo and rule evaluation. One per
 * thread; open addressing over a few slots; when they are full the home slot is replaced.
 */
final class DecisionCache {
  private static final int SIZE = 1 << 14;
  private static final int PROBES = 8;
  private static final java.lang.invoke.VarHandle LONGS =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(
          long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
  private static final byte[] FIELD_SELECTOR =
      "fieldSelector".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  /** What an entry holds before its first decision (shared: every field is set before use). */
  private static final byte[] NO_KEY = new byte[0];

  private static final long[] NO_COUNTS = new long[0];
  private static final RequestAttributes NO_REQUEST =
      RequestAttributes.nonResource(Optional.empty(), "", "");

  /** A remembered decision and the counters it feeds. */
  static final class Entry {
    byte[] key = NO_KEY;
    int length;
    int hash;
    int ruleA;
    int ruleB;
    RequestAttributes request = NO_REQUEST;
    long[] user = NO_COUNTS;
    long[] resource = NO_COUNTS;
  }

  /** The slots; a slot's entry is made when a decision is first remembered in it. */
  private final @Nullable Entry[] entries = new Entry[SIZE];

  private final boolean nameFree;
  private final int[] seg = new int[2 * 9];
  private byte[] scratch = new byte[512];
  private int keyLength;
  private int hash;
  private int slot;

  /**
   * @param nameFree whether no policy has resourceNames: then an object's name cannot change a
   *     decision, and keys leave it out (from the path, and the query that could name it)
   */
  DecisionCache(boolean nameFree) {
    this.nameFree = nameFree;
  }

  /**
   * Builds the key of the scanned event (which must have a requestURI); true if it was seen (its
   * entry is then {@link #entry()}), else {@link #remember} fills the entry.
   */
  boolean lookup(EventScanner sc) {
    keyLength = 0;
    append(sc, USERNAME);
    for (int k = 0; k < sc.groupCount; k++) {
      append(sc.buf, sc.groupStart[k], sc.groupEnd[k]);
    }
    append(sc, VERB);
    int s = sc.start[REQUEST_URI];
    int e = sc.end[REQUEST_URI];
    int q = Lines.find(sc.buf, QUESTION_MARKS, s, e);
    if (nameFree) {
      path(sc.buf, s, q >= 0 ? q : e);
    } else {
      append(sc.buf, s, q >= 0 && !contains(sc.buf, q, e) ? q : e);
    }
    byte[] k = scratch;
    int n = keyLength;
    int padded = (n + 7) & ~7;
    Arrays.fill(k, n, padded, (byte) 0);
    long h = n;
    for (int i = 0; i < padded; i += 8) {
      h = Long.rotateLeft((h ^ (long) LONGS.get(k, i)) * 0x9e3779b97f4a7c15L, 29);
    }
    hash = (int) (h ^ (h >>> 32));
    for (int p = 0; p < PROBES; p++) {
      slot = (hash + p) & (SIZE - 1);
      Entry entry = entries[slot];
      if (entry == null) {
        return false;
      }
      if (entry.hash == hash && entry.length == n && same(entry.key, k, padded)) {
        return true;
      }
    }
    slot = hash & (SIZE - 1);
    return false;
  }

  private static boolean same(byte[] a, byte[] b, int padded) {
    for (int i = 0; i < padded; i += 8) {
      if ((long) LONGS.get(a, i) != (long) LONGS.get(b, i)) {
        return false;
      }
    }
    return true;
  }

  /** The entry of the key just looked up (which {@link #lookup} found). */
  Entry entry() {
    return java.util.Objects.requireNonNull(entries[slot]);
  }

  /** The entry for the key just looked up, now holding this decision. */
  Entry remember(int ruleA, int ruleB, RequestAttributes request, long[] user, long[] resource) {
    Entry entry = entries[slot];
    if (entry == null) {
      entry = new Entry();
      entries[slot] = entry;
    }
    entry.key = Arrays.copyOf(scratch, (keyLength + 7) & ~7);
    entry.length = keyLength;
    entry.hash = hash;
    entry.ruleA = ruleA;
    entry.ruleB = ruleB;
    entry.request = request;
    entry.user = user;
    entry.resource = resource;
    return entry;
  }

  private void append(EventScanner sc, int slot) {
    if (sc.has(slot)) {
      append(sc.buf, sc.start[slot], sc.end[slot]);
    } else {
      append(sc.buf, 0, 0);
    }
  }

  /** A span, with a separator that cannot occur in JSON string contents. */
  private void append(byte[] b, int s, int e) {
    int n = e - s;
    if (keyLength + n + 9 > scratch.length) {
      scratch = Arrays.copyOf(scratch, Math.max(scratch.length * 2, keyLength + n + 9));
    }
    System.arraycopy(b, s, scratch, keyLength, n);
    keyLength += n;
    scratch[keyLength++] = 0;
  }

  /**
   * The path without the segment RequestInfo takes as the object name (kube-apiserver's RequestInfo
   * index rules on raw bytes). Paths with escapes, non-resource paths and the namespace object
   * (whose name is also its namespace) are kept whole.
   */
  private void path(byte[] b, int s, int e) {
    int name = nameSegment(b, s, e);
    if (name < 0) {
      append(b, s, e);
      return;
    }
    append(b, s, seg[2 * name]);
    append(b, seg[2 * name + 1], e);
  }

  /** The index of the name segment in {@link #seg}, or -1 when the path is kept whole. */
  private int nameSegment(byte[] b, int s, int e) {
    int from = s;
    int to = e;
    while (from < to && b[from] == '/') {
      from++;
    }
    while (to > from && b[to - 1] == '/') {
      to--;
    }
    if (from == to) {
      return -1;
    }
    // the slashes and escapes eight bytes at a time (paths are a few words long)
    int n = 0;
    int start = from;
    for (int i = from; i < to; ) {
      long slashes;
      long escapes;
      int step;
      if (i + 8 <= b.length) {
        long w = (long) LONGS.get(b, i);
        long inside = to - i >= 8 ? -1L : (1L << (8 * (to - i))) - 1;
        slashes = Lines.equal(w, SLASHES) & inside;
        escapes = (Lines.equal(w, PERCENTS) | Lines.equal(w, BACKSLASHES)) & inside;
        step = 8;
      } else {
        byte c = b[i];
        slashes = c == '/' ? 0x80 : 0;
        escapes = c == '%' || c == '\\' ? 0x80 : 0;
        step = 1;
      }
      if (escapes != 0) {
        return -1;
      }
      while (slashes != 0) {
        int at = i + (Long.numberOfTrailingZeros(slashes) >>> 3);
        if (n < 9) {
          seg[2 * n] = start;
          seg[2 * n + 1] = at;
        }
        n++;
        start = at + 1;
        slashes &= slashes - 1;
      }
      i += step;
    }
    if (n < 9) {
      seg[2 * n] = start;
      seg[2 * n + 1] = to;
    }
    n++;
    if (n < 3 || !(is(b, 0, API) || is(b, 0, APIS))) {
      return -1;
    }
    int i = is(b, 0, APIS) ? 3 : 2;
    if (is(b, 0, APIS) && n < 4) {
      return -1;
    }
    if ((is(b, i, WATCH) || is(b, i, PROXY)) && n - i >= 2) {
      i++;
    }
    if (is(b, i, NAMESPACES) && n - i > 1) {
      if (n - i > 2 && !is(b, i + 2, STATUS) && !is(b, i + 2, FINALIZE)) {
        i += 2;
      } else {
        return -1;
      }
    }
    return n - i >= 2 && i + 1 < 9 ? i + 1 : -1;
  }

  private static final byte[] API = ascii("api");
  private static final byte[] APIS = ascii("apis");
  private static final byte[] WATCH = ascii("watch");
  private static final byte[] PROXY = ascii("proxy");
  private static final byte[] NAMESPACES = ascii("namespaces");
  private static final byte[] STATUS = ascii("status");
  private static final byte[] FINALIZE = ascii("finalize");

  private static byte[] ascii(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }

  private boolean is(byte[] b, int k, byte[] word) {
    if (k >= 9) {
      return false;
    }
    int s = seg[2 * k];
    if (seg[2 * k + 1] - s != word.length) {
      return false;
    }
    for (int i = 0; i < word.length; i++) {
      if (b[s + i] != word[i]) {
        return false;
      }
    }
    return true;
  }

  private static final long SLASHES = 0x2f2f2f2f2f2f2f2fL;
  private static final long PERCENTS = 0x2525252525252525L;
  private static final long BACKSLASHES = 0x5c5c5c5c5c5c5c5cL;
  private static final long QUESTION_MARKS = 0x3f3f3f3f3f3f3f3fL;

  private static boolean contains(byte[] b, int s, int e) {
    outer:
    for (int i = s; i <= e - FIELD_SELECTOR.length; i++) {
      for (int k = 0; k < FIELD_SELECTOR.length; k++) {
        if (b[i + k] != FIELD_SELECTOR[k]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
