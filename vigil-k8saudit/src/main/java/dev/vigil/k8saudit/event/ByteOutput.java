package dev.vigil.k8saudit.event;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte buffer to write output into, unsynchronized (one writer at a time): the output of
 * one chunk of a {@link ParallelReader}, or the block a sequential reader flushes now and then.
 */
public final class ByteOutput extends OutputStream {
  private byte[] buf;
  private int len;

  public ByteOutput(int capacity) {
    this.buf = new byte[Math.max(16, capacity)];
  }

  @Override
  public void write(int b) {
    if (len == buf.length) {
      grow(1);
    }
    buf[len++] = (byte) b;
  }

  @Override
  public void write(byte[] b, int off, int n) {
    if (n > buf.length - len) {
      grow(n);
    }
    System.arraycopy(b, off, buf, len, n);
    len += n;
  }

  /** Writes {@code s} as UTF-8 (ASCII without a copy). */
  public void utf8(String s) {
    int n = s.length();
    if (n > buf.length - len) {
      grow(n);
    }
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        byte[] b = s.substring(i).getBytes(StandardCharsets.UTF_8);
        write(b, 0, b.length);
        return;
      }
      buf[len++] = (byte) c;
    }
  }

  /** Whether {@code b[from, to)} holds a line break (eight bytes at a time). */
  public static boolean hasLineBreak(byte[] b, int from, int to) {
    return JsonScanner.newline(b, from, to) < to;
  }

  private void grow(int n) {
    long want = Math.max((long) buf.length * 2, (long) len + n);
    if (want > Integer.MAX_VALUE - 16) {
      throw new OutOfMemoryError("output buffer larger than 2 GiB");
    }
    buf = Arrays.copyOf(buf, (int) want);
  }

  /** The bytes it can hold before it grows. */
  public int capacity() {
    return buf.length;
  }

  public int size() {
    return len;
  }

  /** Empties the buffer (keeping its capacity). */
  public void reset() {
    len = 0;
  }

  /** Writes the content to {@code out} and empties the buffer. */
  public void drainTo(OutputStream out) throws IOException {
    if (len > 0) {
      out.write(buf, 0, len);
    }
    len = 0;
  }
}
