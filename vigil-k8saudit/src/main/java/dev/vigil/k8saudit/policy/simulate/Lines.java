package dev.vigil.k8saudit.policy.simulate;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Finding and counting line breaks (and other bytes) eight bytes at a time. */
final class Lines {
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long HIGHS = 0x8080808080808080L;
  private static final long NEWLINES = 0x0a0a0a0a0a0a0a0aL;

  private Lines() {}

  static int indexOf(byte[] b, int from, int to) {
    return find(b, NEWLINES, from, to);
  }

  /** The first byte in [from, to) equal to the byte repeated in {@code pattern}, or -1. */
  static int find(byte[] b, long pattern, int from, int to) {
    int i = from;
    for (; i + 8 <= to; i += 8) {
      long m = equal((long) LONGS.get(b, i), pattern);
      if (m != 0) {
        return i + (Long.numberOfTrailingZeros(m) >>> 3);
      }
    }
    byte c = (byte) pattern;
    for (; i < to; i++) {
      if (b[i] == c) {
        return i;
      }
    }
    return -1;
  }

  /** The index of the first '\n' in [from, to) of a little-endian buffer, or -1. */
  static int indexOf(ByteBuffer b, int from, int to) {
    int i = from;
    for (; i + 8 <= to; i += 8) {
      long m = equal(b.getLong(i), NEWLINES);
      if (m != 0) {
        return i + (Long.numberOfTrailingZeros(m) >>> 3);
      }
    }
    for (; i < to; i++) {
      if (b.get(i) == '\n') {
        return i;
      }
    }
    return -1;
  }

  /** The line breaks in [from, to) of a little-endian buffer. */
  static long count(ByteBuffer b, int from, int to) {
    long n = 0;
    int i = from;
    for (; i + 8 <= to; i += 8) {
      n += Long.bitCount(equal(b.getLong(i), NEWLINES));
    }
    for (; i < to; i++) {
      if (b.get(i) == '\n') {
        n++;
      }
    }
    return n;
  }

  /**
   * The bytes of {@code w} equal to the byte repeated in {@code pattern}, as the high bit of each,
   * exactly (no borrow reaches the next byte, so every bit set is a match).
   */
  static long equal(long w, long pattern) {
    long x = w ^ pattern;
    long t = ((x & ~HIGHS) + ~HIGHS) | x;
    return ~t & HIGHS;
  }

  static long count(byte[] b, int from, int to) {
    long n = 0;
    int i = from;
    for (; i + 8 <= to; i += 8) {
      n += Long.bitCount(equal((long) LONGS.get(b, i), NEWLINES));
    }
    for (; i < to; i++) {
      if (b[i] == '\n') {
        n++;
      }
    }
    return n;
  }
}
