package dev.vigil.kernel.state;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads processes, threads and their open files from {@code /proc}: the whole table at start-up,
 * and single threads met for the first time in an event (healing). Processes that exit while being
 * read are skipped.
 */
public final class ProcScanner implements ProcSource {
  private static final long TICK_NANOS = 10_000_000L; // USER_HZ = 100 on Linux
  private static final int MAX_FDS = 1 << 20;
  private static final int DETAILED_FDS = 4096;
  private static final int O_DIRECTORY = 0x10000;

  private final Path proc;
  private final ContainerSource containers;
  private final UserSource users;
  private final long bootEpochNanos;
  private final Map<String, Map<Long, byte[]>> socketsByNetns = new HashMap<>();

  /** fd targets seen during a scan, so that 20,000 fds on /dev/null share one string. */
  private final Map<String, String> targets = new HashMap<>();

  public ProcScanner(ContainerSource containers, UserSource users) {
    this(Path.of("/proc"), containers, users);
  }

  public ProcScanner(Path proc, ContainerSource containers, UserSource users) {
    this.proc = proc;
    this.containers = containers;
    this.users = users;
    this.bootEpochNanos = bootTime(proc);
  }

  /** Result of a scan. */
  public record Scan(int processes, int threads, int fds, long millis) {}

  /** Adds every process and thread of {@code /proc} to {@code state}. */
  public Scan scan(StateTracker state) {
    long t0 = System.nanoTime();
    int procs = 0;
    int threadCount = 0;
    int fds = 0;
    socketsByNetns.clear();
    for (int pid : numbers(proc)) {
      ProcessInfo p = process(pid);
      if (p == null) {
        continue;
      }
      procs++;
      fds += p.fds().size();
      List<Integer> tids = numbers(proc.resolve(pid + "/task"));
      if (tids.isEmpty()) {
        tids = List.of(pid);
      }
      for (int tid : tids) {
        ThreadInfo t = thread(p, pid, tid);
        state.add(t);
        threadCount++;
      }
    }
    state.linkParents();
    socketsByNetns.clear();
    targets.clear();
    return new Scan(procs, threadCount, fds, (System.nanoTime() - t0) / 1_000_000);
  }

  @Override
  public @Nullable ThreadInfo thread(int pid, int tid, StateTracker state) {
    ProcessInfo p = state.process(pid);
    if (p == null) {
      p = process(pid);
      if (p == null) {
        return null;
      }
    }
    if (!Files.isDirectory(proc.resolve(pid + "/task/" + tid)) && tid != pid) {
      return null;
    }
    return thread(p, pid, tid);
  }

  private ThreadInfo thread(ProcessInfo p, int pid, int tid) {
    ThreadInfo t = new ThreadInfo(tid, p);
    Path status =
        tid == pid ? proc.resolve(pid + "/status") : proc.resolve(pid + "/task/" + tid + "/status");
    Map<String, String> st = status(status);
    int uid = field(st.get("Uid"), 1);
    int gid = field(st.get("Gid"), 1);
    int loginuid = (int) parseLong(read(proc.resolve(pid + "/loginuid")).strip(), -1);
    Users.Db db = users.of(p.container(), pid);
    t.credentials(
        uid, gid, loginuid, db.user(uid), db.group(gid), loginuid < 0 ? "" : db.user(loginuid));
    t.capabilities(hex(st.get("CapEff")), hex(st.get("CapPrm")), hex(st.get("CapInh")));
    return t;
  }

  /** One process from /proc, or null if it is gone. */
  private @Nullable ProcessInfo process(int pid) {
    Path dir = proc.resolve(Integer.toString(pid));
    String stat = read(dir.resolve("stat"));
    int close = stat.lastIndexOf(')');
    int open = stat.indexOf('(');
    if (close < 0 || open < 0) {
      return null;
    }
    String comm = stat.substring(open + 1, close);
    String[] f = stat.substring(close + 2).split(" ", -1);
    if (f.length < 20) {
      return null;
    }
    int ppid = (int) parseLong(f[1], 0);
    int session = (int) parseLong(f[3], 0);
    int ttyNr = (int) parseLong(f[4], 0);
    long startTicks = parseLong(f[19], 0);
    Map<String, String> st = status(dir.resolve("status"));
    int vpid = lastField(st.get("NSpid"), pid);
    int vpgid = lastField(st.get("NSpgid"), (int) parseLong(f[2], 0));

    List<String> cmdline = nulSeparated(readBytes(dir.resolve("cmdline")));
    String exe = cmdline.isEmpty() ? comm : cmdline.getFirst();
    List<String> args = cmdline.isEmpty() ? List.of() : cmdline.subList(1, cmdline.size());
    String exepath = link(dir.resolve("exe"));
    if (exepath.endsWith(" (deleted)")) {
      exepath = exepath.substring(0, exepath.length() - " (deleted)".length());
    }
    ProcessInfo p =
        new ProcessInfo(pid)
            .identity(ppid, session, vpid, vpgid, tty(ttyNr))
            .exec(comm, exe, exepath, args, nulSeparated(readBytes(dir.resolve("environ"))))
            .cwd(link(dir.resolve("cwd")))
            .startTs(bootEpochNanos + startTicks * TICK_NANOS);
    p.container(containers.of(read(dir.resolve("cgroup")), System.nanoTime()));
    executable(p, dir.resolve("exe"), exepath);
    fds(p, dir);
    return p;
  }

  private static void executable(ProcessInfo p, Path exe, String exepath) {
    long ino = 0;
    long ctime = 0;
    long mtime = 0;
    try {
      Map<String, Object> a = Files.readAttributes(exe, "unix:ino,ctime,lastModifiedTime");
      ino = a.get("ino") instanceof Long l ? l : 0;
      ctime = a.get("ctime") instanceof java.nio.file.attribute.FileTime t ? nanos(t) : 0;
      mtime =
          a.get("lastModifiedTime") instanceof java.nio.file.attribute.FileTime t ? nanos(t) : 0;
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      // gone, or a kernel thread without an executable
    }
    p.executable(ino, ctime, mtime, false, exepath.startsWith("/memfd:"), false);
  }

  private static long nanos(java.nio.file.attribute.FileTime t) {
    java.time.Instant i = t.toInstant();
    return i.getEpochSecond() * 1_000_000_000L + i.getNano();
  }

  /**
   * The process's open fds, with socket tuples from its network namespace's tables. Open flags
   * (close-on-exec, directory) come from {@code fdinfo}, one read per fd; for processes holding
   * more than {@link #DETAILED_FDS} fds they are not read (such fds count as files without flags),
   * which keeps a scan of half a million fds to seconds.
   */
  private void fds(ProcessInfo p, Path dir) {
    String base = dir.toString();
    String[] names = new java.io.File(base + "/fd").list();
    if (names == null) {
      return;
    }
    boolean detailed = names.length <= DETAILED_FDS;
    Map<Long, byte[]> sockets = null;
    int count = 0;
    for (String name : names) {
      if (++count > MAX_FDS) {
        break;
      }
      int num;
      try {
        num = Integer.parseInt(name);
      } catch (NumberFormatException x) {
        continue;
      }
      String target = link(Path.of(base, "fd", name));
      if (target.isEmpty()) {
        continue;
      }
      target = targets.computeIfAbsent(target, t -> t);
      FdInfo f;
      if (target.startsWith("socket:[")) {
        if (sockets == null) {
          sockets = sockets(dir);
        }
        long ino = parseLong(target.substring(8, target.length() - 1), -1);
        byte[] tuple = sockets.get(ino);
        f =
            tuple == null
                ? null
                : Sockets.fromTuple(num, tuple, null, tuple[tuple.length - 1] == 1);
        if (f == null) {
          f = new FdInfo(num, FdInfo.Kind.OTHER, "", target);
        }
      } else if (target.startsWith("/") && !target.startsWith("/memfd:")) {
        int flags = detailed ? openFlags(base + "/fdinfo/" + name) : 0;
        FdInfo.Kind kind = (flags & O_DIRECTORY) != 0 ? FdInfo.Kind.DIRECTORY : FdInfo.Kind.FILE;
        f = new FdInfo(num, kind, target, target).openFlags(flags);
      } else {
        f = new FdInfo(num, kindOf(target), target.startsWith("/") ? target : "", target);
      }
      p.fds().put(num, f);
    }
  }

  private static FdInfo.Kind kindOf(String target) {
    if (target.startsWith("/memfd:")) {
      return FdInfo.Kind.MEMFD;
    }
    if (target.startsWith("/")) {
      return FdInfo.Kind.FILE;
    }
    if (target.startsWith("pipe:")) {
      return FdInfo.Kind.PIPE;
    }
    if (target.contains("eventfd")) {
      return FdInfo.Kind.EVENT;
    }
    if (target.contains("eventpoll")) {
      return FdInfo.Kind.EVENTPOLL;
    }
    if (target.contains("inotify")) {
      return FdInfo.Kind.INOTIFY;
    }
    if (target.contains("signalfd")) {
      return FdInfo.Kind.SIGNALFD;
    }
    if (target.contains("timerfd")) {
      return FdInfo.Kind.TIMERFD;
    }
    if (target.contains("bpf")) {
      return FdInfo.Kind.BPF;
    }
    if (target.contains("pidfd")) {
      return FdInfo.Kind.PIDFD;
    }
    if (target.contains("userfaultfd")) {
      return FdInfo.Kind.USERFAULTFD;
    }
    if (target.contains("io_uring")) {
      return FdInfo.Kind.IOURING;
    }
    return FdInfo.Kind.OTHER;
  }

  private static int openFlags(String fdinfo) {
    for (String line : read(fdinfo).split("\n", -1)) {
      if (line.startsWith("flags:")) {
        return (int) parseLong(line.substring(6).strip(), 0, 8);
      }
    }
    return 0;
  }

  /**
   * Socket inode → tuple in the probe's encoding (plus a trailing byte: 1 for a listening or
   * accepted socket), from {@code /proc/PID/net/{tcp,tcp6,udp,udp6,unix}}, cached per network
   * namespace for the duration of a scan.
   */
  private Map<Long, byte[]> sockets(Path dir) {
    String netns = link(dir.resolve("ns/net"));
    Map<Long, byte[]> m = socketsByNetns.get(netns);
    if (m != null) {
      return m;
    }
    Map<Long, byte[]> out = new HashMap<>();
    inet(dir.resolve("net/tcp"), 2, out);
    inet(dir.resolve("net/tcp6"), 10, out);
    inet(dir.resolve("net/udp"), 2, out);
    inet(dir.resolve("net/udp6"), 10, out);
    unix(dir.resolve("net/unix"), out);
    socketsByNetns.put(netns, out);
    return out;
  }

  private static void inet(Path table, int family, Map<Long, byte[]> out) {
    String[] lines = read(table).split("\n", -1);
    int alen = family == 2 ? 4 : 16;
    for (int i = 1; i < lines.length; i++) {
      String[] c = lines[i].trim().split("\\s+", -1);
      if (c.length < 10) {
        continue;
      }
      String[] local = c[1].split(":", -1);
      String[] remote = c[2].split(":", -1);
      long ino = parseLong(c[9], -1);
      if (local.length != 2 || remote.length != 2 || ino <= 0) {
        continue;
      }
      boolean listening = c[3].equals("0A");
      byte[] t = new byte[2 + 2 * (alen + 2)];
      t[0] = (byte) family;
      addr(local[0], t, 1);
      port(local[1], t, 1 + alen);
      addr(remote[0], t, 3 + alen);
      port(remote[1], t, 3 + 2 * alen);
      t[t.length - 1] = (byte) (listening ? 1 : 0);
      out.put(ino, t);
    }
  }

  /** /proc/net addresses are 32-bit words in host (little-endian) order. */
  private static void addr(String hex, byte[] t, int at) {
    for (int w = 0; w < hex.length() / 8; w++) {
      long word = parseLong(hex.substring(w * 8, w * 8 + 8), 0, 16);
      for (int b = 0; b < 4; b++) {
        t[at + w * 4 + b] = (byte) (word >> (8 * b));
      }
    }
  }

  private static void port(String hex, byte[] t, int at) {
    int p = (int) parseLong(hex, 0, 16);
    t[at] = (byte) p;
    t[at + 1] = (byte) (p >> 8);
  }

  private static void unix(Path table, Map<Long, byte[]> out) {
    String[] lines = read(table).split("\n", -1);
    for (int i = 1; i < lines.length; i++) {
      String[] c = lines[i].trim().split("\\s+", -1);
      if (c.length < 7) {
        continue;
      }
      long ino = parseLong(c[6], -1);
      String path = c.length > 7 ? c[7] : "";
      byte[] p = path.getBytes(StandardCharsets.UTF_8);
      byte[] t = new byte[17 + p.length + 1];
      t[0] = 1;
      System.arraycopy(p, 0, t, 17, p.length);
      t[t.length - 1] = 0;
      // drop the trailing marker byte for unix tuples: fromTuple reads the path to the end
      out.put(ino, java.util.Arrays.copyOf(t, t.length - 1));
    }
  }

  // ---- small readers
  // -----------------------------------------------------------------------------

  private static long bootTime(Path proc) {
    for (String line : read(proc.resolve("stat")).split("\n", -1)) {
      if (line.startsWith("btime ")) {
        return parseLong(line.substring(6).strip(), 0) * 1_000_000_000L;
      }
    }
    return 0;
  }

  /** {@code tty_nr} (the kernel's dev_t encoding) as major << 20 | minor, like the probe. */
  private static int tty(int ttyNr) {
    int major = (ttyNr >> 8) & 0xfff;
    int minor = (ttyNr & 0xff) | ((ttyNr >> 12) & 0xfff00);
    return ttyNr == 0 ? 0 : (major << 20) | minor;
  }

  private static List<Integer> numbers(Path dir) {
    List<Integer> out = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
      for (Path p : s) {
        String n = p.getFileName().toString();
        if (!n.isEmpty() && Character.isDigit(n.charAt(0))) {
          try {
            out.add(Integer.parseInt(n));
          } catch (NumberFormatException e) {
            // not a pid
          }
        }
      }
    } catch (IOException e) {
      return out;
    }
    out.sort(null);
    return out;
  }

  private static Map<String, String> status(Path p) {
    Map<String, String> m = new HashMap<>();
    for (String line : read(p).split("\n", -1)) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        m.put(line.substring(0, colon), line.substring(colon + 1).strip());
      }
    }
    return m;
  }

  private static int field(@Nullable String v, int index) {
    if (v == null) {
      return 0;
    }
    String[] f = v.split("\\s+", -1);
    return index < f.length ? (int) parseLong(f[index], 0) : 0;
  }

  private static int lastField(@Nullable String v, int fallback) {
    if (v == null || v.isEmpty()) {
      return fallback;
    }
    String[] f = v.split("\\s+", -1);
    return (int) parseLong(f[f.length - 1], fallback);
  }

  private static long hex(@Nullable String v) {
    return v == null ? 0 : parseLong(v, 0, 16);
  }

  private static long parseLong(String s, long fallback) {
    return parseLong(s, fallback, 10);
  }

  private static long parseLong(String s, long fallback, int radix) {
    try {
      return Long.parseUnsignedLong(s.strip(), radix);
    } catch (NumberFormatException e) {
      try {
        return Long.parseLong(s.strip(), radix);
      } catch (NumberFormatException e2) {
        return fallback;
      }
    }
  }

  private static final ThreadLocal<byte[]> BUF = ThreadLocal.withInitial(() -> new byte[1 << 16]);

  private static String read(Path p) {
    return read(p.toString());
  }

  /** A small /proc file as text ({@code ""} if it is gone); at most 1 MiB. */
  private static String read(String path) {
    byte[] b = readBytes(path);
    return new String(b, StandardCharsets.UTF_8);
  }

  private static byte[] readBytes(Path p) {
    return readBytes(p.toString());
  }

  private static byte[] readBytes(String path) {
    try (java.io.FileInputStream in = new java.io.FileInputStream(path)) {
      byte[] buf = BUF.get();
      int n = 0;
      while (true) {
        int r = in.read(buf, n, buf.length - n);
        if (r < 0) {
          break;
        }
        n += r;
        if (n == buf.length) {
          if (buf.length >= 1 << 20) {
            break;
          }
          buf = java.util.Arrays.copyOf(buf, buf.length * 2);
          BUF.set(buf);
        }
      }
      return java.util.Arrays.copyOf(buf, n);
    } catch (IOException | RuntimeException e) {
      return new byte[0];
    }
  }

  private static String link(Path p) {
    try {
      return Files.readSymbolicLink(p).toString();
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  private static List<String> nulSeparated(byte[] b) {
    List<String> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < b.length; i++) {
      if (b[i] == 0) {
        out.add(new String(b, start, i - start, StandardCharsets.UTF_8));
        start = i + 1;
      }
    }
    if (start < b.length) {
      out.add(new String(b, start, b.length - start, StandardCharsets.UTF_8));
    }
    return out;
  }
}
