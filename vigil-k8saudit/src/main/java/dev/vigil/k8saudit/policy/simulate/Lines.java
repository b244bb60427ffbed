package dev.vigil.k8saudit.policy.simulate;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
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

  static long count(byte[] b, int from, int to) {
    long n = 0;
    int i = from;
    for (; i + 8 <= to; i += 8) {
      long x = ((long) LONGS.get(b, i)) ^ NEWLINES;
      // exact per-byte zero test (no borrow across bytes)
      long t = ((x & ~HIGHS) + ~HIGHS) | x;
      n += Long.bitCount(~t & HIGHS);
    }
    for (; i < to; i++) {
      if (b[i] == '\n') {
        n++;
      }
    }
    return n;
  }
}
