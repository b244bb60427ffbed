package dev.vigil.kernel.ffi;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import org.jspecify.annotations.Nullable;

/**
 * Downcall handles for the libbpf and libc functions Vigil uses. libbpf 1.x reports failures by
 * returning NULL or a negative number and setting {@code errno}, which every handle captures.
 */
@SuppressWarnings("restricted") // this package is where Vigil opts into native access
final class Native {
  private Native() {}

  static final Linker LINKER = Linker.nativeLinker();
  static final AddressLayout PTR = ValueLayout.ADDRESS;
  static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
  static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;

  static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
  static final VarHandle ERRNO =
      CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
  private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

  private static final SymbolLookup LIBC = LINKER.defaultLookup();
  private static volatile @Nullable SymbolLookup libbpf;

  /** libbpf.so.1, or a clear error if it is not installed. */
  static SymbolLookup libbpf() throws ProbeException {
    SymbolLookup l = libbpf;
    if (l == null) {
      try {
        l = SymbolLookup.libraryLookup("libbpf.so.1", Arena.global());
      } catch (IllegalArgumentException e) {
        throw new ProbeException(
            "libbpf.so.1 was not found: install the libbpf1 package (apt-get install -y libbpf1)");
      }
      libbpf = l;
    }
    return l;
  }

  /** A handle to {@code name} in libbpf whose first argument is the errno capture segment. */
  static MethodHandle bpf(String name, FunctionDescriptor fd) throws ProbeException {
    MemorySegment sym =
        libbpf()
            .find(name)
            .orElseThrow(
                () -> new ProbeException("libbpf.so.1 lacks " + name + " (libbpf 1.0+ is needed)"));
    return LINKER.downcallHandle(sym, fd, CAPTURE_ERRNO);
  }

  static MethodHandle libc(String name, FunctionDescriptor fd) {
    MemorySegment sym =
        LIBC.find(name).orElseThrow(() -> new IllegalStateException("libc lacks " + name));
    return LINKER.downcallHandle(sym, fd, CAPTURE_ERRNO);
  }

  static MethodHandle libcPlain(String name, FunctionDescriptor fd) {
    MemorySegment sym =
        LIBC.find(name).orElseThrow(() -> new IllegalStateException("libc lacks " + name));
    return LINKER.downcallHandle(sym, fd);
  }

  static MemorySegment upcall(
      MethodHandles.Lookup lookup, String method, MethodType type, FunctionDescriptor fd) {
    try {
      MethodHandle target = lookup.findStatic(lookup.lookupClass(), method, type);
      return LINKER.upcallStub(target, fd, Arena.global());
    } catch (NoSuchMethodException | IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }

  static int errno(MemorySegment state) {
    return (int) ERRNO.get(state, 0L);
  }

  /** A short description of an errno value (strerror). */
  static String strerror(int errno) {
    return switch (errno) {
      case 1 -> "operation not permitted (EPERM)";
      case 2 -> "no such file or directory (ENOENT)";
      case 7 -> "argument list too long (E2BIG)";
      case 12 -> "out of memory (ENOMEM)";
      case 13 -> "permission denied (EACCES)";
      case 22 -> "invalid argument (EINVAL)";
      case 95 -> "operation not supported (EOPNOTSUPP)";
      default -> "errno " + errno;
    };
  }
}
