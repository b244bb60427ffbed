package dev.vigil.kernel.ffi;

import static dev.vigil.kernel.ffi.Native.INT;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The agent's CPU priority. Under a syscall load that keeps every core busy, the capture thread
 * competes with the workload for CPU; when it gets less than it needs, the ring buffer fills and
 * the kernel drops events. A lower nice value gives the agent's threads a larger share of the CPU
 * whenever they are runnable (auditd does the same with its {@code priority_boost}).
 */
public final class Scheduling {
  private Scheduling() {}

  private static final int PRIO_PROCESS = 0;
  private static final int ESRCH = 3;
  private static final MethodHandle SETPRIORITY =
      Native.libc("setpriority", FunctionDescriptor.of(INT, INT, INT, INT));

  /** The highest boost: nice -20. */
  public static final int MAX_BOOST = 20;

  /**
   * Sets the nice value of every thread of this process to {@code -boost}; threads started later
   * inherit it from the thread that starts them. Needs root or CAP_SYS_NICE.
   */
  public static void boost(int boost) throws ProbeException {
    if (boost < 0 || boost > MAX_BOOST) {
      throw new IllegalArgumentException("boost out of range: " + boost);
    }
    for (int tid : threads()) {
      try (Arena a = Arena.ofConfined()) {
        MemorySegment state = a.allocate(Native.CALL_STATE);
        int r = (int) SETPRIORITY.invokeExact(state, PRIO_PROCESS, tid, -boost);
        int errno = Native.errno(state);
        if (r != 0 && errno != ESRCH) { // a thread that ended meanwhile is no error
          throw new ProbeException(
              "cannot set the agent's priority to nice -"
                  + boost
                  + ": "
                  + Native.strerror(errno)
                  + " (raising a priority needs root or CAP_SYS_NICE)");
        }
      } catch (ProbeException e) {
        throw e;
      } catch (Throwable t) {
        throw new IllegalStateException(t);
      }
    }
  }

  private static List<Integer> threads() {
    try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
      return tasks.map(p -> Integer.parseInt(p.getFileName().toString())).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
