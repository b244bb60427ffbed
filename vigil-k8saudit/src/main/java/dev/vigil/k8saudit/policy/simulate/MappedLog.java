package dev.vigil.k8saudit.policy.simulate;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

/**
 * A regular file read through memory mappings (plain {@code java.nio}; Vigil's native memory access
 * stays in the kernel module). A mapping holds at most {@link #WINDOW} bytes, so the file is seen
 * through one window at a time, moved forward by {@link #cover}; the slices handed out keep their
 * window mapped for as long as they are used. Offsets are file offsets. Used by one thread (the
 * pipeline's reader); the slices are read by the workers.
 */
final class MappedLog {
  /** The most a window maps; larger than a chunk plus the longest line. */
  static final int WINDOW = 1 << 30;

  private final FileChannel channel;
  private final long size;
  private ByteBuffer window = ByteBuffer.allocate(0);
  private long start;

  MappedLog(FileChannel channel, long size) {
    this.channel = channel;
    this.size = size;
  }

  long size() {
    return size;
  }

  /** Makes [from, to) readable, mapping a window that starts at {@code from} when it is not. */
  void cover(long from, long to) throws IOException {
    if (from >= start && to <= start + window.capacity()) {
      return;
    }
    start = from;
    window =
        channel
            .map(FileChannel.MapMode.READ_ONLY, from, Math.min(size - from, WINDOW))
            .order(ByteOrder.LITTLE_ENDIAN);
  }

  byte at(long p) {
    return window.get((int) (p - start));
  }

  /** The bytes [from, from + len), which {@link #cover} made readable. */
  ByteBuffer slice(long from, int len) {
    return window.slice((int) (from - start), len);
  }

  /** The last '\n' in [from, to), or -1 (the range must be covered). */
  long lastNewline(long from, long to) {
    for (long i = to - 1; i >= from; i--) {
      if (at(i) == '\n') {
        return i;
      }
    }
    return -1;
  }

  /** The first '\n' in [from, to), or -1 (the range must be covered). */
  long indexOf(long from, long to) {
    int s = (int) (from - start);
    int e = (int) (to - start);
    int i = Lines.indexOf(window, s, e);
    return i < 0 ? -1 : start + i;
  }

  /** The first '\n' at or after {@code from}, moving the window as needed, or -1. */
  long nextNewline(long from) throws IOException {
    long p = from;
    while (p < size) {
      long to = Math.min(size, p + WINDOW);
      cover(p, to);
      long nl = indexOf(p, to);
      if (nl >= 0) {
        return nl;
      }
      p = to;
    }
    return -1;
  }

  /** The line breaks in [from, to) (the range must be covered). */
  long count(long from, long to) {
    return Lines.count(window, (int) (from - start), (int) (to - start));
  }
}
