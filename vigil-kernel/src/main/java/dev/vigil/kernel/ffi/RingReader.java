package dev.vigil.kernel.ffi;

import static dev.vigil.kernel.ffi.Native.INT;
import static dev.vigil.kernel.ffi.Native.LONG;
import static dev.vigil.kernel.ffi.Native.PTR;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * A pure-Java consumer of a BPF ring buffer, speaking the kernel's ring protocol (as libbpf's
 * {@code ringbuf.c} does) over the map's memory mapped into the JVM: the consumer page read-write,
 * the producer page and the data area read-only. The data area is mapped once, not twice in a row
 * as libbpf does: a record that wraps around its end is copied out in two parts. (The kernel maps
 * every page of the ring at once, and each mapping counts towards the agent's RSS, so a second
 * mapping would add the ring's size again.) Records are copied out into a Java array in batches and
 * the consumer position released before they are handed on, so the probe never waits on processing.
 * Single-threaded: one reader thread.
 */
@SuppressWarnings("restricted")
public final class RingReader implements AutoCloseable {
  private static final long PAGE = 4096;
  private static final int BUSY = 1 << 31;
  private static final int DISCARD = 1 << 30;
  private static final int HEADER = 8;
  private static final VarHandle LONG_VH = ValueLayout.JAVA_LONG.varHandle();
  private static final VarHandle INT_VH = ValueLayout.JAVA_INT.varHandle();

  private static final MethodHandle MMAP =
      Native.libc("mmap", FunctionDescriptor.of(PTR, PTR, LONG, INT, INT, INT, LONG));
  private static final MethodHandle MUNMAP =
      Native.libc("munmap", FunctionDescriptor.of(INT, PTR, LONG));
  private static final int PROT_READ = 1;
  private static final int PROT_WRITE = 2;
  private static final int MAP_SHARED = 1;

  /** Receives the records of one batch. */
  public interface Sink {
    /** One record: {@code length} bytes at {@code offset} in {@code buffer} (valid only now). */
    void record(byte[] buffer, int offset, int length);
  }

  private final long size;
  private final long mask;
  private final MemorySegment consumer;
  private final MemorySegment producer;
  private final MemorySegment data;
  private final byte[] batch;
  private final int[] offsets;
  private final int[] lengths;
  private boolean closed;

  RingReader(int fd, long size) throws ProbeException {
    this.size = size;
    this.mask = size - 1;
    this.consumer = mmap(PAGE, PROT_READ | PROT_WRITE, fd, 0);
    MemorySegment prodAndData = mmap(PAGE + size, PROT_READ, fd, PAGE);
    this.producer = prodAndData.asSlice(0, PAGE);
    this.data = prodAndData.asSlice(PAGE, size);
    this.batch = new byte[(int) Math.min(size, 1L << 20)];
    this.offsets = new int[batch.length / 32];
    this.lengths = new int[batch.length / 32];
  }

  private static MemorySegment mmap(long len, int prot, int fd, long offset) throws ProbeException {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment state = a.allocate(Native.CALL_STATE);
      MemorySegment p =
          (MemorySegment)
              MMAP.invokeExact(state, MemorySegment.NULL, len, prot, MAP_SHARED, fd, offset);
      if (p.address() == -1L || p.address() == 0) {
        throw new ProbeException(
            "cannot map the ring buffer: " + Native.strerror(Native.errno(state)));
      }
      return p.reinterpret(len);
    } catch (ProbeException e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  /** Bytes written by the probe and not consumed yet. */
  public long pending() {
    long prod = (long) LONG_VH.getAcquire(producer, 0L);
    long cons = (long) LONG_VH.getAcquire(consumer, 0L);
    return prod - cons;
  }

  /**
   * Copies out the records available now (up to one batch), releases their space in the ring and
   * hands them to {@code sink}. Returns the number of records.
   */
  public int drain(Sink sink) {
    long cons = (long) LONG_VH.getAcquire(consumer, 0L);
    long prod = (long) LONG_VH.getAcquire(producer, 0L);
    int n = 0;
    int used = 0;
    while (cons < prod && n < offsets.length) {
      long at = cons & mask;
      int hdr = (int) INT_VH.getAcquire(data, at);
      if ((hdr & BUSY) != 0) {
        break;
      }
      int len = hdr & ~(BUSY | DISCARD);
      long next = cons + ((len + HEADER + 7) & ~7L);
      if ((hdr & DISCARD) == 0) {
        if (used + len > batch.length) {
          break;
        }
        // the header never wraps (records are 8-byte aligned); the data after it may
        long from = (at + HEADER) & mask;
        int first = (int) Math.min(len, size - from);
        MemorySegment.copy(data, ValueLayout.JAVA_BYTE, from, batch, used, first);
        if (first < len) {
          MemorySegment.copy(data, ValueLayout.JAVA_BYTE, 0, batch, used + first, len - first);
        }
        offsets[n] = used;
        lengths[n] = len;
        used += len;
        n++;
      }
      cons = next;
    }
    LONG_VH.setRelease(consumer, 0L, cons);
    for (int i = 0; i < n; i++) {
      sink.record(batch, offsets[i], lengths[i]);
    }
    return n;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try (Arena a = Arena.ofConfined()) {
      MemorySegment state = a.allocate(Native.CALL_STATE);
      int r1 = (int) MUNMAP.invokeExact(state, consumer, PAGE);
      int r2 = (int) MUNMAP.invokeExact(state, producer, PAGE + size);
      assert r1 == 0 && r2 == 0;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }
}
