package dev.vigil.kernel.ffi;

import static dev.vigil.kernel.ffi.Native.INT;
import static dev.vigil.kernel.ffi.Native.LONG;
import static dev.vigil.kernel.ffi.Native.PTR;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;

/** The libbpf functions the loader needs, with errno captured. */
@SuppressWarnings("restricted")
final class Libbpf {
  private final MethodHandle openMem;
  private final MethodHandle findMap;
  private final MethodHandle setMaxEntries;
  private final MethodHandle objectLoad;
  private final MethodHandle mapFd;
  private final MethodHandle mapUpdate;
  private final MethodHandle mapLookup;
  private final MethodHandle nextProgram;
  private final MethodHandle programName;
  private final MethodHandle setAutoload;
  private final MethodHandle attach;
  private final MethodHandle linkDestroy;
  private final MethodHandle objectClose;
  private final MethodHandle possibleCpus;
  private final MethodHandle setPrint;

  Libbpf() throws ProbeException {
    openMem = Native.bpf("bpf_object__open_mem", FunctionDescriptor.of(PTR, PTR, LONG, PTR));
    findMap = Native.bpf("bpf_object__find_map_by_name", FunctionDescriptor.of(PTR, PTR, PTR));
    setMaxEntries = Native.bpf("bpf_map__set_max_entries", FunctionDescriptor.of(INT, PTR, INT));
    objectLoad = Native.bpf("bpf_object__load", FunctionDescriptor.of(INT, PTR));
    mapFd = Native.bpf("bpf_map__fd", FunctionDescriptor.of(INT, PTR));
    mapUpdate = Native.bpf("bpf_map_update_elem", FunctionDescriptor.of(INT, INT, PTR, PTR, LONG));
    mapLookup = Native.bpf("bpf_map_lookup_elem", FunctionDescriptor.of(INT, INT, PTR, PTR));
    nextProgram = Native.bpf("bpf_object__next_program", FunctionDescriptor.of(PTR, PTR, PTR));
    programName = Native.bpf("bpf_program__name", FunctionDescriptor.of(PTR, PTR));
    setAutoload =
        Native.bpf(
            "bpf_program__set_autoload",
            FunctionDescriptor.of(INT, PTR, java.lang.foreign.ValueLayout.JAVA_BOOLEAN));
    attach = Native.bpf("bpf_program__attach", FunctionDescriptor.of(PTR, PTR));
    linkDestroy = Native.bpf("bpf_link__destroy", FunctionDescriptor.of(INT, PTR));
    objectClose = Native.bpf("bpf_object__close", FunctionDescriptor.ofVoid(PTR));
    possibleCpus = Native.bpf("libbpf_num_possible_cpus", FunctionDescriptor.of(INT));
    setPrint = Native.bpf("libbpf_set_print", FunctionDescriptor.of(PTR, PTR));
  }

  /** The result of a call: its return value and errno. */
  record Result(long value, MemorySegment pointer, int errno) {}

  private static Result call(MethodHandle h, Object... args) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment state = a.allocate(Native.CALL_STATE);
      Object[] full = new Object[args.length + 1];
      full[0] = state;
      System.arraycopy(args, 0, full, 1, args.length);
      Object r = h.invokeWithArguments(full);
      int errno = Native.errno(state);
      return switch (r) {
        case Integer i -> new Result(i, MemorySegment.NULL, errno);
        case Long l -> new Result(l, MemorySegment.NULL, errno);
        case MemorySegment m -> new Result(m.address(), m, errno);
        case null -> new Result(0, MemorySegment.NULL, errno);
        default -> throw new IllegalStateException("unexpected return " + r);
      };
    } catch (Throwable t) {
      throw new IllegalStateException("native call failed: " + t, t);
    }
  }

  Result openMem(MemorySegment obj) {
    return call(openMem, obj, obj.byteSize(), MemorySegment.NULL);
  }

  MemorySegment findMap(MemorySegment obj, String name, Arena arena) {
    return call(findMap, obj, arena.allocateFrom(name)).pointer();
  }

  Result setMaxEntries(MemorySegment map, int n) {
    return call(setMaxEntries, map, n);
  }

  Result load(MemorySegment obj) {
    return call(objectLoad, obj);
  }

  int mapFd(MemorySegment map) {
    return (int) call(mapFd, map).value();
  }

  Result update(int fd, MemorySegment key, MemorySegment value) {
    return call(mapUpdate, fd, key, value, 0L);
  }

  Result lookup(int fd, MemorySegment key, MemorySegment value) {
    return call(mapLookup, fd, key, value);
  }

  List<MemorySegment> programs(MemorySegment obj) {
    List<MemorySegment> out = new ArrayList<>();
    MemorySegment p = MemorySegment.NULL;
    while (true) {
      p = call(nextProgram, obj, p).pointer();
      if (p.address() == 0) {
        return out;
      }
      out.add(p);
    }
  }

  String programName(MemorySegment prog) {
    MemorySegment s = call(programName, prog).pointer();
    return s.address() == 0 ? "?" : s.reinterpret(256).getString(0);
  }

  Result setAutoload(MemorySegment prog, boolean load) {
    return call(setAutoload, prog, load);
  }

  Result attach(MemorySegment prog) {
    return call(attach, prog);
  }

  void destroy(MemorySegment link) {
    call(linkDestroy, link);
  }

  void close(MemorySegment obj) {
    call(objectClose, obj);
  }

  int possibleCpus() {
    return (int) call(possibleCpus).value();
  }

  // ---- logging: libbpf's print callback receives a printf format and a va_list ----------------

  private static final MethodHandle VSNPRINTF =
      Native.libcPlain("vsnprintf", FunctionDescriptor.of(INT, PTR, LONG, PTR, PTR));
  private static final ThreadLocal<StringBuilder> LOG = ThreadLocal.withInitial(StringBuilder::new);
  private static final MemorySegment PRINT =
      Native.upcall(
          java.lang.invoke.MethodHandles.lookup(),
          "print",
          MethodType.methodType(int.class, int.class, MemorySegment.class, MemorySegment.class),
          FunctionDescriptor.of(INT, INT, PTR, PTR));

  /** Routes libbpf's messages into a per-thread buffer (read with {@link #takeLog()}). */
  void captureLog() {
    call(setPrint, PRINT);
  }

  static String takeLog() {
    StringBuilder sb = LOG.get();
    String s = sb.toString();
    sb.setLength(0);
    return s;
  }

  @SuppressWarnings("unused") // called from native code
  private static int print(int level, MemorySegment format, MemorySegment args) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment buf = a.allocate(4096);
      int n = (int) VSNPRINTF.invokeExact(buf, 4096L, format, args);
      StringBuilder sb = LOG.get();
      if (sb.length() < 1 << 20) {
        sb.append(buf.getString(0));
      }
      return n;
    } catch (Throwable t) {
      return 0;
    }
  }

  static MemorySegment bytes(Arena arena, byte[] b) {
    MemorySegment m = arena.allocate(b.length, 8);
    MemorySegment.copy(b, 0, m, ValueLayout.JAVA_BYTE, 0, b.length);
    return m;
  }
}
