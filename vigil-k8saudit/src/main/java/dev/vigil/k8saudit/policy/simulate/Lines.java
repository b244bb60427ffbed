package dev.vigil.k8saudit.policy.simulate;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Finding and counting line breaks eight bytes at a time. */
final class Lines {
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;
  private static final long NEWLINES = 0x0a0a0a0a0a0a0a0aL;

  private Lines() {}

  /** Bytes equal to '\n' in a word, as the high bit of each such byte. */
  private static long newlines(long w) {
    long x = w ^ NEWLINES;
    return (x - ONES) & ~x & HIGHS;
  }

  static int indexOf(byte[] b, int from, int to) {
    int i = from;
    for (; i + 8 <= to; i += 8) {
      long m = newlines((long) LONGS.get(b, i));
      if (m != 0) {
        return i + (Long.numberOfTrailingZeros(m) >>> 3);
      }
    }
    for (; i < to; i++) {
      if (b[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  /** The index of the first '\n' in [from, to) of a little-endian buffer, or -1. */
  static int indexOf(ByteBuffer b, int from, int to) {
    int i = from;
    for (; i + 8 <= to; i += 8) {
      long m = newlines(b.getLong(i));
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
      n += Long.bitCount(exact(b.getLong(i)));
    }
    for (; i < to; i++) {
      if (b.get(i) == '\n') {
        n++;
      }
    }
    return n;
  }

  /** Bytes equal to '\n' in a word, exactly (no borrow across bytes), as high bits. */
  private static long exact(long w) {
    long x = w ^ NEWLINES;
    long t = ((x & ~HIGHS) + ~HIGHS) | x;
    return ~t & HIGHS;
  }

  static long count(byte[] b, int from, int to) {
    long n = 0;
    int i = from;
    for (; i + 8 <= to; i += 8) {
      n += Long.bitCount(exact((long) LONGS.get(b, i)));
    }
    for (; i < to; i++) {
      if (b[i] == '\n') {
        n++;
      }
    }
    return n;
  }
}
