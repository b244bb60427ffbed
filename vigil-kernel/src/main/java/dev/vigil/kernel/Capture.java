package dev.vigil.kernel;

import dev.vigil.event.EventTypes;
import dev.vigil.kernel.capture.Journal;
import dev.vigil.kernel.capture.Recording;
import dev.vigil.kernel.event.SyscallEvent;
import dev.vigil.kernel.ffi.Clocks;
import dev.vigil.kernel.ffi.Probe;
import dev.vigil.kernel.ffi.ProbeException;
import dev.vigil.kernel.ffi.RingReader;
import dev.vigil.kernel.state.Containers;
import dev.vigil.kernel.state.ProcScanner;
import dev.vigil.kernel.state.StateTracker;
import dev.vigil.kernel.state.Users;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Live capture: Vigil's probe in the kernel, the process table seeded from {@code /proc} and kept
 * current from the events, and every event handed, with its thread and fd resolved, to a handler on
 * one capture thread. The ring buffer is polled with back-off (0.5 ms doubling to 30 ms when
 * empty), as the probe writes without wake-ups.
 */
public final class Capture implements AutoCloseable {
  /** The default ring buffer: 8 MiB (Falco's default per two CPUs). */
  public static final long DEFAULT_RING = 8L << 20;

  private static final long MIN_SLEEP = 500_000L;
  private static final long MAX_SLEEP = 30_000_000L;
  private static final long STARTUP_BUFFER = 512L << 20;

  /**
   * What to capture.
   *
   * @param events Vigil event names the rules want (the state's own events are always added)
   * @param ringBytes size of the ring buffer (power of two)
   * @param scanProc seed the process table from /proc before starting
   * @param openFilter which opens the probe need not send ({@link OpenFilter#forRules})
   */
  public record Options(
      Set<String> events, long ringBytes, boolean scanProc, OpenFilter openFilter) {
    public Options {
      events = Set.copyOf(events);
    }

    /** Without the open filter: every open of the selected types is sent. */
    public Options(Set<String> events, long ringBytes, boolean scanProc) {
      this(events, ringBytes, scanProc, OpenFilter.none());
    }
  }

  /** Receives events on the capture thread. */
  public interface Handler {
    void event(SyscallEvent e);
  }

  /** Counters ({@code filtered}: opens and closes the open filter kept in the kernel). */
  public record Stats(
      long delivered,
      long probeEvents,
      long drops,
      long tooBig,
      long healed,
      long unknownThreads,
      long filtered) {}

  private final Probe probe;
  private final StateTracker state;
  private final SyscallEvent event = new SyscallEvent();
  private final Set<String> selected;
  private volatile ProcScanner.Scan scan = new ProcScanner.Scan(0, 0, 0, 0);
  private volatile boolean scanning = true;
  private final StartupBuffer startup = new StartupBuffer(STARTUP_BUFFER);
  private volatile boolean running = true;
  private volatile Probe.@Nullable Stats finalStats;
  private volatile long delivered;
  private final Thread thread;

  private Capture(
      Probe probe, StateTracker state, Handler handler, Set<String> selected, Recording recording) {
    this.probe = probe;
    this.state = state;
    this.selected = selected;
    this.sink =
        (buf, off, len) -> {
          long num = delivered + 1; // written by the capture thread only
          delivered = num;
          event.wrap(buf, off, num);
          state.apply(event);
          recording.event(buf, off, len);
          handler.event(event);
        };
    this.thread = Thread.ofPlatform().name("vigil-capture").unstarted(this::loop);
  }

  /**
   * Loads the probe, scans {@code /proc} and starts delivering events to {@code handler}. Messages
   * about the start (what was selected, the scan) go to {@code log}.
   */
  public static Capture start(Options options, Handler handler, Consumer<String> log)
      throws ProbeException {
    return start(options, handler, log, Recording.none());
  }

  /**
   * As {@link #start(Options, Handler, Consumer)}, journaling the events and everything the state
   * learned from the machine into {@code recording} (a capture file).
   */
  public static Capture start(
      Options options, Handler handler, Consumer<String> log, Recording recording)
      throws ProbeException {
    Probe.checkSupport();
    EventTypes types = SyscallSource.info().eventTypes();
    Set<String> wanted = new LinkedHashSet<>(options.events());
    wanted.addAll(StateTracker.stateEvents());
    Map<String, Integer> numbers = syscallNumbers();
    Map<Integer, Integer> codes = new HashMap<>();
    Set<String> selected = new TreeSet<>();
    for (String name : wanted) {
      var type = types.byName(name);
      Integer nr = numbers.get(name);
      if (type.isPresent() && nr != null && nr < Probe.MAX_SYSCALL) {
        codes.put(nr, type.get().code());
        selected.add(name);
      }
    }
    int procexit = types.byName("procexit").orElseThrow().code();
    selected.add("procexit");

    Journal journal = new Journal(new Containers(), new Users(), recording);
    ProcScanner scanner = new ProcScanner(journal, journal);
    StateTracker state = new StateTracker(types, journal.healing(scanner), journal, journal);
    Probe probe =
        Probe.open(
            new Probe.Config(
                options.ringBytes(),
                Clocks.bootToEpochNanos(),
                (int) ProcessHandle.current().pid(),
                codes,
                procexit,
                options.openFilter().tables()));
    // Scan after attaching, so that processes started meanwhile are in the ring or in /proc (or
    // both). The capture thread already drains the ring into memory while the scan runs (a scan
    // of a big machine takes seconds), and applies those events once the table is complete.
    Capture c = new Capture(probe, state, handler, selected, recording);
    c.thread.start();
    ProcScanner.Scan scan;
    try {
      scan = options.scanProc() ? scanner.scan(state) : new ProcScanner.Scan(0, 0, 0, 0);
      recording.snapshot(state);
    } catch (RuntimeException e) {
      c.close();
      throw e;
    }
    c.scanned(scan);
    log.accept(
        "probe attached"
            + (probe.portable() ? " (portable sys_exit program)" : "")
            + ", "
            + selected.size()
            + " event types selected; /proc: "
            + scan.processes()
            + " processes, "
            + scan.threads()
            + " threads, "
            + scan.fds()
            + " fds in "
            + scan.millis()
            + " ms"
            + (options.openFilter().enabled() ? "; " + options.openFilter().summary() : ""));
    return c;
  }

  /** x86_64 syscall numbers by name, from the table built with the probe. */
  static Map<String, Integer> syscallNumbers() {
    try (InputStream in = Probe.class.getResourceAsStream("syscalls-x86_64.tsv")) {
      if (in == null) {
        throw new IllegalStateException("syscalls-x86_64.tsv is missing from the build");
      }
      Map<String, Integer> out = new HashMap<>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n", -1)) {
        int tab = line.indexOf('\t');
        if (tab > 0) {
          out.put(line.substring(0, tab), Integer.parseInt(line.substring(tab + 1).strip()));
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private final RingReader.Sink sink;

  private void scanned(ProcScanner.Scan result) {
    scan = result;
    scanning = false;
    LockSupport.unpark(thread);
  }

  private void loop() {
    RingReader ring = probe.ring();
    long sleep = MIN_SLEEP;
    // while /proc is scanned: keep the ring empty, holding its events in memory
    while (running && scanning) {
      if (ring.drain(startup) == 0) {
        LockSupport.parkNanos(MIN_SLEEP);
      }
    }
    startup.replay(sink);
    while (running) {
      if (ring.drain(sink) > 0) {
        sleep = MIN_SLEEP;
        continue;
      }
      LockSupport.parkNanos(sleep);
      sleep = Math.min(MAX_SLEEP, sleep * 2);
    }
  }

  /**
   * Events read from the ring while the process table is being scanned, kept in order in 1 MiB
   * chunks (bounded; beyond the bound they are dropped and counted).
   */
  private static final class StartupBuffer implements RingReader.Sink {
    private static final int CHUNK = 1 << 20;
    private final long limit;
    private final java.util.ArrayList<byte[]> chunks = new java.util.ArrayList<>();
    private final java.util.ArrayList<Integer> used = new java.util.ArrayList<>();
    private long bytes;
    private long dropped;

    StartupBuffer(long limit) {
      this.limit = limit;
    }

    @Override
    public void record(byte[] buffer, int offset, int length) {
      if (bytes + length > limit || length > CHUNK) {
        dropped++;
        return;
      }
      int last = chunks.size() - 1;
      if (last < 0 || used.get(last) + length > CHUNK) {
        chunks.add(new byte[CHUNK]);
        used.add(0);
        last++;
      }
      int at = used.get(last);
      System.arraycopy(buffer, offset, chunks.get(last), at, length);
      used.set(last, at + length);
      bytes += length;
    }

    /** Hands the held events on, in order, and frees them. */
    void replay(RingReader.Sink sink) {
      for (int c = 0; c < chunks.size(); c++) {
        byte[] chunk = chunks.get(c);
        int end = used.get(c);
        int at = 0;
        while (at < end) {
          int len =
              (chunk[at] & 0xff)
                  | (chunk[at + 1] & 0xff) << 8
                  | (chunk[at + 2] & 0xff) << 16
                  | (chunk[at + 3] & 0xff) << 24;
          sink.record(chunk, at, len);
          at += len;
        }
        chunks.set(c, new byte[0]);
      }
      chunks.clear();
      used.clear();
    }

    long dropped() {
      return dropped;
    }
  }

  /** The event types the probe reports. */
  public Collection<String> selectedEvents() {
    return selected;
  }

  public ProcScanner.Scan scan() {
    return scan;
  }

  /** The counters; after {@link #close} those read when the probe was unloaded. */
  public Stats stats() {
    Probe.Stats last = finalStats;
    Probe.Stats s = last != null ? last : probe.stats();
    return new Stats(
        delivered,
        s.events(),
        s.drops() + startup.dropped(),
        s.tooBig(),
        state.healed(),
        state.unknownThreads(),
        s.filtered());
  }

  /**
   * Stops: the capture thread ends, the probe is detached, the events it had already written are
   * delivered (on the calling thread), then the probe is unloaded.
   */
  @Override
  public void close() {
    running = false;
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    probe.detach();
    while (probe.ring().drain(sink) > 0) {
      // delivering the tail
    }
    finalStats = probe.stats(); // the probe's maps go with it
    probe.close();
  }

  public boolean isRunning() {
    return thread.isAlive();
  }
}
