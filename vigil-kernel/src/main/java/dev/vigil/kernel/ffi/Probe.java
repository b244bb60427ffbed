package dev.vigil.kernel.ffi;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Vigil's eBPF probe, loaded into the kernel and attached: the CO-RE object bundled in the jar
 * ({@code vigil.bpf.o}), opened with libbpf, its ring buffer sized, its configuration and the
 * selection of syscalls written into its maps, and its programs attached to the syscall-exit and
 * scheduler tracepoints. Closing detaches everything.
 */
public final class Probe implements AutoCloseable {
  /** The syscalls-to-report table size in the probe (x86_64 syscall numbers). */
  public static final int MAX_SYSCALL = 512;

  /**
   * How to load.
   *
   * @param ringBytes size of the BPF ring buffer: a power of two, at least one page
   * @param bootToEpochNanos added to the kernel's boot clock to give epoch time
   * @param selfTgid the agent's own process id, never reported
   * @param codesBySyscall x86_64 syscall number → Vigil event code, for the syscalls to report
   * @param procexitCode Vigil's event code for thread exits, or {@code -1} for none
   * @param open the open filter's tables
   */
  public record Config(
      long ringBytes,
      long bootToEpochNanos,
      int selfTgid,
      Map<Integer, Integer> codesBySyscall,
      int procexitCode,
      OpenTables open) {
    public Config {
      codesBySyscall = Map.copyOf(codesBySyscall);
      if (Long.bitCount(ringBytes) != 1 || ringBytes < 4096) {
        throw new IllegalArgumentException(
            "ring size must be a power of two >= 4096: " + ringBytes);
      }
    }
  }

  /**
   * The open filter as the probe holds it ({@code dev.vigil.kernel.OpenFilter} computes it): access
   * classes (bit 0 read, 1 write, 2 other) for which every open is sent, those for which every open
   * of a path containing {@code ../} is sent, whether a rule looks at close events (then those of
   * kept-back opens are sent, their open first), and per exact path, path prefix and last path
   * component the classes for which an open matching it is sent.
   */
  public record OpenTables(
      boolean on,
      int always,
      int dotdot,
      boolean closes,
      Map<String, Integer> exacts,
      Map<String, Integer> prefixes,
      Map<String, Integer> names) {
    /** No filtering. */
    public static final OpenTables OFF =
        new OpenTables(false, 7, 7, true, Map.of(), Map.of(), Map.of());

    public OpenTables {
      exacts = Map.copyOf(exacts);
      prefixes = Map.copyOf(prefixes);
      names = Map.copyOf(names);
    }
  }

  /**
   * Counters kept by the probe, summed over CPUs ({@code filtered}: opens and closes the open
   * filter kept back).
   */
  public record Stats(long events, long drops, long tooBig, long filtered) {}

  private static final int OF_CLOSES = 1 << 12;
  private static final int OF_PATHS = 1 << 13;
  private static final int OF_NAMES = 1 << 14;
  private static final int OF_ON = 1 << 15;
  private static final int PATH_KEY = 128;
  private static final int NAME_KEY = 64;
  private static final int MAX_PATH_ENTRIES = 8192;
  private static final int MAX_NAME_ENTRIES = 4096;

  private final Libbpf bpf;
  private final Arena arena;
  private final MemorySegment object;
  private final List<MemorySegment> links;
  private final int statsFd;
  private final int cpus;
  private final RingReader ring;
  private final boolean portable;

  private Probe(
      Libbpf bpf,
      Arena arena,
      MemorySegment object,
      List<MemorySegment> links,
      int statsFd,
      int cpus,
      RingReader ring,
      boolean portable) {
    this.bpf = bpf;
    this.arena = arena;
    this.object = object;
    this.links = links;
    this.statsFd = statsFd;
    this.cpus = cpus;
    this.ring = ring;
    this.portable = portable;
  }

  /** Whether the portable sys_exit program is loaded (the kernel rejected the direct loads). */
  public boolean portable() {
    return portable;
  }

  /** Checks what the probe needs from this machine, before trying to load it. */
  public static void checkSupport() throws ProbeException {
    if (!Files.isReadable(Path.of("/sys/kernel/btf/vmlinux"))) {
      throw new ProbeException(
          "this kernel has no BTF (/sys/kernel/btf/vmlinux is missing): Vigil's probe needs a"
              + " kernel built with CONFIG_DEBUG_INFO_BTF=y (5.17 or newer)");
    }
    Native.libbpf();
  }

  /** The sys_exit program with direct loads through bpf_rdonly_cast (kernel 6.2+). */
  private static final String SYS_EXIT_FAST = "vigil_sys_exit";

  /** The same program reading the opened file with bpf_probe_read_kernel (any kernel with BTF). */
  private static final String SYS_EXIT_PORTABLE = "vigil_sys_exit_portable";

  /**
   * Loads and attaches the probe: the sys_exit program with direct loads, or, when the kernel
   * rejects it (before 6.2, which lacks the bpf_rdonly_cast kfunc), the portable one. The system
   * property {@code vigil.probe.portable=true} loads the portable one directly (for tests).
   */
  public static Probe open(Config config) throws ProbeException {
    checkSupport();
    if (Boolean.getBoolean("vigil.probe.portable")) {
      return open(config, false);
    }
    try {
      return open(config, true);
    } catch (ProbeException fast) {
      return open(config, false);
    }
  }

  @SuppressWarnings("MustBeClosedChecker") // the arena is closed on failure or by close()
  private static Probe open(Config config, boolean fast) throws ProbeException {
    Libbpf bpf = new Libbpf();
    bpf.captureLog();
    Libbpf.takeLog();
    Arena arena = Arena.ofShared();
    MemorySegment obj = MemorySegment.NULL;
    List<MemorySegment> links = new ArrayList<>();
    boolean ok = false;
    try {
      byte[] image = objectBytes();
      MemorySegment buf = Libbpf.bytes(arena, image);
      Libbpf.Result opened = bpf.openMem(buf);
      if (opened.pointer().address() == 0) {
        throw failure("could not open the probe object", opened.errno());
      }
      obj = opened.pointer();
      List<MemorySegment> programs = new ArrayList<>();
      for (MemorySegment prog : bpf.programs(obj)) {
        String name = bpf.programName(prog);
        if (name.equals(fast ? SYS_EXIT_PORTABLE : SYS_EXIT_FAST)) {
          check(bpf.setAutoload(prog, false), "leave out " + name);
        } else {
          programs.add(prog);
        }
      }
      MemorySegment events = map(bpf, obj, "vigil_events", arena);
      check(bpf.setMaxEntries(events, (int) config.ringBytes()), "size the ring buffer");
      int cpus = bpf.possibleCpus();
      check(bpf.setMaxEntries(map(bpf, obj, "vigil_scratch", arena), cpus), "size the scratch map");
      Libbpf.Result loaded = bpf.load(obj);
      if (loaded.value() != 0) {
        throw failure("the kernel rejected the probe", (int) -loaded.value());
      }
      writeConfig(bpf, obj, arena, config);
      for (MemorySegment prog : programs) {
        Libbpf.Result link = bpf.attach(prog);
        if (link.pointer().address() == 0) {
          throw failure("could not attach " + bpf.programName(prog), link.errno());
        }
        links.add(link.pointer());
      }
      int statsFd = bpf.mapFd(map(bpf, obj, "vigil_stats_map", arena));
      RingReader ring = new RingReader(bpf.mapFd(events), config.ringBytes());
      ok = true;
      return new Probe(bpf, arena, obj, links, statsFd, cpus, ring, !fast);
    } finally {
      if (!ok) {
        links.forEach(bpf::destroy);
        if (obj.address() != 0) {
          bpf.close(obj);
        }
        arena.close();
      }
    }
  }

  private static byte[] objectBytes() throws ProbeException {
    try (InputStream in = Probe.class.getResourceAsStream("vigil.bpf.o")) {
      if (in == null) {
        throw new ProbeException("the probe object vigil.bpf.o is missing from the build");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new ProbeException("cannot read the probe object: " + e.getMessage());
    }
  }

  private static MemorySegment map(Libbpf bpf, MemorySegment obj, String name, Arena arena)
      throws ProbeException {
    MemorySegment m = bpf.findMap(obj, name, arena);
    if (m.address() == 0) {
      throw new ProbeException("the probe object has no map " + name);
    }
    return m;
  }

  private static void check(Libbpf.Result r, String what) throws ProbeException {
    if (r.value() != 0) {
      throw failure("could not " + what, r.value() < 0 ? (int) -r.value() : r.errno());
    }
  }

  private static ProbeException failure(String what, int errno) {
    String log = Libbpf.takeLog().strip();
    String hint =
        errno == 1 || errno == 13
            ? " (loading eBPF programs needs root, or CAP_BPF and CAP_PERFMON)"
            : "";
    StringBuilder msg = new StringBuilder(what + ": " + Native.strerror(errno) + hint);
    if (!log.isEmpty()) {
      List<String> lines = log.lines().toList();
      msg.append("\nlibbpf said (last lines):");
      for (String line : lines.subList(Math.max(0, lines.size() - 25), lines.size())) {
        msg.append("\n  ").append(line);
      }
    }
    return new ProbeException(msg.toString());
  }

  private static void writeConfig(Libbpf bpf, MemorySegment obj, Arena arena, Config config)
      throws ProbeException {
    MemorySegment zero = arena.allocate(ValueLayout.JAVA_INT);
    MemorySegment cfg = arena.allocate(16, 8);
    cfg.set(ValueLayout.JAVA_LONG, 0, config.bootToEpochNanos());
    cfg.set(ValueLayout.JAVA_INT, 8, config.selfTgid());
    cfg.set(ValueLayout.JAVA_SHORT, 12, (short) (config.procexitCode() + 1));
    cfg.set(ValueLayout.JAVA_SHORT, 14, (short) writeOpenFilter(bpf, obj, arena, config.open()));
    int cfgFd = bpf.mapFd(map(bpf, obj, "vigil_config_map", arena));
    check(bpf.update(cfgFd, zero, cfg), "configure the probe");

    int codesFd = bpf.mapFd(map(bpf, obj, "vigil_event_codes", arena));
    MemorySegment key = arena.allocate(ValueLayout.JAVA_INT);
    MemorySegment value = arena.allocate(ValueLayout.JAVA_SHORT);
    for (Map.Entry<Integer, Integer> e : config.codesBySyscall().entrySet()) {
      int nr = e.getKey();
      if (nr < 0 || nr >= MAX_SYSCALL) {
        continue;
      }
      key.set(ValueLayout.JAVA_INT, 0, nr);
      value.set(ValueLayout.JAVA_SHORT, 0, (short) (e.getValue() + 1));
      check(bpf.update(codesFd, key, value), "select syscall " + nr);
    }
  }

  /** Fills the open filter's maps; returns the configuration bits (0: no filtering). */
  private static int writeOpenFilter(Libbpf bpf, MemorySegment obj, Arena arena, OpenTables t)
      throws ProbeException {
    if (!t.on()) {
      return 0;
    }
    // LPM trie entries: a prefix as its bytes, an exact path with its NUL (so only it matches);
    // the trie returns the longest match, so each entry carries the classes of its prefixes too
    Map<String, byte[]> keys = new java.util.LinkedHashMap<>();
    Map<String, Integer> values = new java.util.LinkedHashMap<>();
    List<byte[]> prefixBytes = new ArrayList<>();
    List<Integer> prefixClasses = new ArrayList<>();
    for (Map.Entry<String, Integer> e : t.prefixes().entrySet()) {
      byte[] b = e.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8);
      if (b.length > PATH_KEY - 1) {
        b = java.util.Arrays.copyOf(b, PATH_KEY - 1); // shorter: admits more, never fewer
      }
      String id = "p" + java.util.HexFormat.of().formatHex(b);
      keys.put(id, b);
      values.merge(id, e.getValue(), (x, y) -> x | y);
      prefixBytes.add(b);
      prefixClasses.add(e.getValue());
    }
    for (Map.Entry<String, Integer> e : t.exacts().entrySet()) {
      byte[] s = e.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8);
      if (s.length > PATH_KEY - 1) {
        continue; // only a longer path could equal it, and those are always sent
      }
      byte[] b = java.util.Arrays.copyOf(s, s.length + 1);
      String id = "e" + java.util.HexFormat.of().formatHex(b);
      keys.put(id, b);
      values.merge(id, e.getValue(), (x, y) -> x | y);
    }
    if (keys.size() > MAX_PATH_ENTRIES || t.names().size() > MAX_NAME_ENTRIES) {
      return 0; // more than the maps hold: send every open
    }
    int pathsFd = bpf.mapFd(map(bpf, obj, "vigil_open_paths", arena));
    MemorySegment key = arena.allocate(4 + PATH_KEY, 4);
    MemorySegment value = arena.allocate(ValueLayout.JAVA_INT);
    for (Map.Entry<String, byte[]> e : keys.entrySet()) {
      byte[] b = e.getValue();
      int v = values.getOrDefault(e.getKey(), 0);
      for (int i = 0; i < prefixBytes.size(); i++) {
        if (startsWith(b, prefixBytes.get(i))) {
          v |= prefixClasses.get(i);
        }
      }
      key.fill((byte) 0);
      key.set(ValueLayout.JAVA_INT, 0, b.length * 8);
      MemorySegment.copy(b, 0, key, ValueLayout.JAVA_BYTE, 4, b.length);
      value.set(ValueLayout.JAVA_INT, 0, v);
      check(bpf.update(pathsFd, key, value), "fill the open filter");
    }
    int namesFd = bpf.mapFd(map(bpf, obj, "vigil_open_names", arena));
    MemorySegment nameKey = arena.allocate(NAME_KEY);
    for (Map.Entry<String, Integer> e : t.names().entrySet()) {
      byte[] b = e.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8);
      if (b.length == 0 || b.length >= NAME_KEY) {
        continue; // the probe sends every open whose last component is that long
      }
      nameKey.fill((byte) 0);
      MemorySegment.copy(b, 0, nameKey, ValueLayout.JAVA_BYTE, 0, b.length);
      value.set(ValueLayout.JAVA_INT, 0, e.getValue());
      check(bpf.update(namesFd, nameKey, value), "fill the open filter");
    }
    return OF_ON
        | (t.always() & 7)
        | (t.dotdot() & 7) << 3
        | (t.closes() ? OF_CLOSES : 0)
        | (keys.isEmpty() ? 0 : OF_PATHS)
        | (t.names().isEmpty() ? 0 : OF_NAMES);
  }

  private static boolean startsWith(byte[] b, byte[] prefix) {
    return b.length >= prefix.length
        && java.util.Arrays.equals(b, 0, prefix.length, prefix, 0, prefix.length);
  }

  public RingReader ring() {
    return ring;
  }

  /** The probe's counters, summed over CPUs. */
  public Stats stats() {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment key = a.allocate(ValueLayout.JAVA_INT);
      MemorySegment values = a.allocate(32L * cpus, 8);
      if (bpf.lookup(statsFd, key, values).value() != 0) {
        return new Stats(0, 0, 0, 0);
      }
      long events = 0;
      long drops = 0;
      long tooBig = 0;
      long filtered = 0;
      for (int c = 0; c < cpus; c++) {
        events += values.get(ValueLayout.JAVA_LONG, 32L * c);
        drops += values.get(ValueLayout.JAVA_LONG, 32L * c + 8);
        tooBig += values.get(ValueLayout.JAVA_LONG, 32L * c + 16);
        filtered += values.get(ValueLayout.JAVA_LONG, 32L * c + 24);
      }
      return new Stats(events, drops, tooBig, filtered);
    }
  }

  /** Detaches the programs: no new events; what is in the ring stays readable until close. */
  public void detach() {
    links.forEach(bpf::destroy);
    links.clear();
  }

  @Override
  public void close() {
    detach();
    ring.close();
    bpf.close(object);
    arena.close();
  }
}
