package dev.vigil.kernel.event;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Builds event records in the {@link Layout} format into a growing buffer: for tests, benchmarks,
 * replay of synthetic scenarios and capture files.
 */
public final class RecordWriter {
  private byte[] buf;
  private int size;
  private int start = -1;
  private int paramIndex;
  private int nparams;
  private int dataPos;

  public RecordWriter(int capacity) {
    buf = new byte[Math.max(64, capacity)];
  }

  /** Starts a record with {@code nparams} parameters. */
  public RecordWriter begin(int type, long timestamp, int tid, int pid, long ret, int nparams) {
    if (start >= 0) {
      throw new IllegalStateException("previous record not ended");
    }
    start = size;
    this.nparams = nparams;
    paramIndex = 0;
    ensure(Layout.HEADER + 2 * nparams);
    Layout.SHORT.set(buf, start + Layout.TYPE, (short) type);
    Layout.SHORT.set(buf, start + Layout.NPARAMS, (short) nparams);
    Layout.LONG.set(buf, start + Layout.TIMESTAMP, timestamp);
    Layout.INT.set(buf, start + Layout.TID, tid);
    Layout.INT.set(buf, start + Layout.PID, pid);
    Layout.LONG.set(buf, start + Layout.RET, ret);
    dataPos = start + Layout.HEADER + 2 * nparams;
    size = dataPos;
    return this;
  }

  private RecordWriter param(byte[] data, int len) {
    if (paramIndex >= nparams) {
      throw new IllegalStateException("too many parameters");
    }
    if (len > 0xffff) {
      throw new IllegalArgumentException("parameter longer than 65535 bytes");
    }
    ensure(len);
    Layout.SHORT.set(buf, start + Layout.HEADER + 2 * paramIndex, (short) len);
    System.arraycopy(data, 0, buf, size, len);
    size += len;
    paramIndex++;
    return this;
  }

  public RecordWriter u8(int v) {
    return param(new byte[] {(byte) v}, 1);
  }

  public RecordWriter u16(int v) {
    byte[] b = new byte[2];
    Layout.SHORT.set(b, 0, (short) v);
    return param(b, 2);
  }

  public RecordWriter u32(long v) {
    byte[] b = new byte[4];
    Layout.INT.set(b, 0, (int) v);
    return param(b, 4);
  }

  public RecordWriter u64(long v) {
    byte[] b = new byte[8];
    Layout.LONG.set(b, 0, v);
    return param(b, 8);
  }

  public RecordWriter text(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    return param(b, b.length);
  }

  public RecordWriter raw(byte[] b) {
    return param(b, b.length);
  }

  /** An empty parameter: the value is not available. */
  public RecordWriter empty() {
    return param(new byte[0], 0);
  }

  /** Ends the record; returns its offset. */
  public int end() {
    while (paramIndex < nparams) {
      empty();
    }
    int at = start;
    Layout.INT.set(buf, at + Layout.LENGTH, size - at);
    start = -1;
    return at;
  }

  private void ensure(int more) {
    if (size + more > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
    }
  }

  public byte[] buffer() {
    return buf;
  }

  public int size() {
    return size;
  }
}
