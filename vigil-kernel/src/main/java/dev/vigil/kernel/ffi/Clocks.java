package dev.vigil.kernel.ffi;

import static dev.vigil.kernel.ffi.Native.INT;
import static dev.vigil.kernel.ffi.Native.PTR;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/** The kernel's clocks: the probe stamps events with the boot clock, alerts need epoch time. */
public final class Clocks {
  private static final int CLOCK_REALTIME = 0;
  private static final int CLOCK_BOOTTIME = 7;
  private static final MethodHandle CLOCK_GETTIME =
      Native.libcPlain("clock_gettime", FunctionDescriptor.of(INT, INT, PTR));

  private Clocks() {}

  /** Epoch nanoseconds minus boot-clock nanoseconds, now (the median of a few close readings). */
  public static long bootToEpochNanos() {
    long best = 0;
    long bestSpread = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      long r1 = now(CLOCK_REALTIME);
      long b = now(CLOCK_BOOTTIME);
      long r2 = now(CLOCK_REALTIME);
      if (r2 - r1 < bestSpread) {
        bestSpread = r2 - r1;
        best = (r1 + (r2 - r1) / 2) - b;
      }
    }
    return best;
  }

  /** Nanoseconds since boot (suspend included). */
  public static long bootNanos() {
    return now(CLOCK_BOOTTIME);
  }

  private static long now(int clock) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment ts = a.allocate(16, 8);
      int r = (int) CLOCK_GETTIME.invokeExact(clock, ts);
      if (r != 0) {
        throw new IllegalStateException("clock_gettime failed");
      }
      return ts.get(ValueLayout.JAVA_LONG, 0) * 1_000_000_000L + ts.get(ValueLayout.JAVA_LONG, 8);
    } catch (RuntimeException e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }
}
