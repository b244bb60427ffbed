package dev.vigil.kernel.event;

import dev.vigil.event.Event;
import dev.vigil.kernel.state.FdInfo;
import dev.vigil.kernel.state.ThreadInfo;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * A reusable view over one event record (see {@link Layout}) plus the state the pipeline resolved
 * for it: the thread that made the call and the file descriptor it used. One instance is wrapped
 * around each record in turn, so evaluating an event allocates nothing; parameters are decoded only
 * when a field reads them.
 */
public final class SyscallEvent implements Event {
  private byte[] buf = new byte[Layout.HEADER];
  private int off;
  private int nparams;
  private long num;
  private @Nullable ThreadInfo thread;
  private @Nullable FdInfo fd;

  /** Points this view at the record starting at {@code offset} in {@code buffer}. */
  public SyscallEvent wrap(byte[] buffer, int offset, long eventNumber) {
    this.buf = buffer;
    this.off = offset;
    this.nparams = Short.toUnsignedInt((short) Layout.SHORT.get(buffer, offset + Layout.NPARAMS));
    this.num = eventNumber;
    this.thread = null;
    this.fd = null;
    return this;
  }

  /** Attaches the state the pipeline resolved for this event. */
  public SyscallEvent resolve(@Nullable ThreadInfo thread, @Nullable FdInfo fd) {
    this.thread = thread;
    this.fd = fd;
    return this;
  }

  @Override
  public int eventType() {
    return Short.toUnsignedInt((short) Layout.SHORT.get(buf, off + Layout.TYPE));
  }

  @Override
  public long timestamp() {
    return (long) Layout.LONG.get(buf, off + Layout.TIMESTAMP);
  }

  public int length() {
    return (int) Layout.INT.get(buf, off + Layout.LENGTH);
  }

  public int tid() {
    return (int) Layout.INT.get(buf, off + Layout.TID);
  }

  public int pid() {
    return (int) Layout.INT.get(buf, off + Layout.PID);
  }

  public long ret() {
    return (long) Layout.LONG.get(buf, off + Layout.RET);
  }

  /** The event's sequence number (starts at 1). */
  public long num() {
    return num;
  }

  public @Nullable ThreadInfo thread() {
    return thread;
  }

  public @Nullable FdInfo fd() {
    return fd;
  }

  public int paramCount() {
    return nparams;
  }

  /** Length of parameter {@code i} in bytes ({@code -1} when the event has no such parameter). */
  public int paramLength(int i) {
    if (i < 0 || i >= nparams) {
      return -1;
    }
    return Short.toUnsignedInt((short) Layout.SHORT.get(buf, off + Layout.HEADER + 2 * i));
  }

  /** Offset of parameter {@code i}'s data in the buffer. */
  int paramOffset(int i) {
    int p = off + Layout.HEADER + 2 * nparams;
    for (int k = 0; k < i; k++) {
      p += Short.toUnsignedInt((short) Layout.SHORT.get(buf, off + Layout.HEADER + 2 * k));
    }
    return p;
  }

  /** True when parameter {@code i} exists and is not empty. */
  public boolean has(int i) {
    return paramLength(i) > 0;
  }

  /** Parameter {@code i} as a signed integer of its stored width. */
  public long integer(int i) {
    int len = paramLength(i);
    int p = paramOffset(i);
    return switch (len) {
      case 1 -> buf[p];
      case 2 -> (short) Layout.SHORT.get(buf, p);
      case 4 -> (int) Layout.INT.get(buf, p);
      case 8 -> (long) Layout.LONG.get(buf, p);
      default -> 0;
    };
  }

  /** Parameter {@code i} as an unsigned integer of its stored width. */
  public long unsigned(int i) {
    int len = paramLength(i);
    int p = paramOffset(i);
    return switch (len) {
      case 1 -> Byte.toUnsignedLong(buf[p]);
      case 2 -> Short.toUnsignedLong((short) Layout.SHORT.get(buf, p));
      case 4 -> Integer.toUnsignedLong((int) Layout.INT.get(buf, p));
      case 8 -> (long) Layout.LONG.get(buf, p);
      default -> 0;
    };
  }

  /** Parameter {@code i} decoded as UTF-8 text (allocates: only fields that need text call it). */
  public @Nullable String string(int i) {
    int len = paramLength(i);
    if (len < 0) {
      return null;
    }
    return new String(buf, paramOffset(i), len, StandardCharsets.UTF_8);
  }

  /** A copy of parameter {@code i}'s bytes. */
  public byte @Nullable [] bytes(int i) {
    int len = paramLength(i);
    if (len < 0) {
      return null;
    }
    byte[] out = new byte[len];
    System.arraycopy(buf, paramOffset(i), out, 0, len);
    return out;
  }
}
