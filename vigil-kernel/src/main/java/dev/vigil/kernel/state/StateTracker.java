package dev.vigil.kernel.state;

import dev.vigil.event.EventTypes;
import dev.vigil.kernel.event.SyscallEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Keeps the process, thread and fd tables current from the event stream, as libsinsp's parsers do
 * for Falco, and attaches to each event the thread that made it and the fd it used.
 *
 * <p>Order matters: {@link #apply} runs before the rules see an event (an open's new fd is visible
 * to its own event), and removals that the event's own fields still need (the fd of a {@code
 * close}, the thread of a {@code procexit}) happen when the next event is applied.
 *
 * <p>Threads first seen mid-life (no clone/exec observed and missing from the start-up scan) are
 * healed from {@code /proc} when possible, otherwise kept as a bare entry so that their events are
 * still attributed.
 */
public final class StateTracker {
  private static final int AT_FDCWD = -100;
  private static final int CLONE_THREAD = 0x10000;
  private static final int O_CLOEXEC = 0x80000;
  private static final int O_DIRECTORY = 0x10000;
  private static final int O_F_CREATED = 1 << 28;
  private static final int FD_UPPER_LAYER = 1 << 30;
  private static final int EXE_WRITABLE = 1;
  private static final int EXE_UPPER_LAYER = 2;
  private static final int EXE_FROM_MEMFD = 4;
  private static final long EINPROGRESS = -115;

  /** What an event does to the state. */
  private enum Kind {
    NONE,
    CLONE,
    EXECVE,
    PROCEXIT,
    OPEN,
    OPENAT,
    OPENAT2,
    CREAT,
    CLOSE,
    DUP,
    FCNTL,
    SOCKET,
    SOCKETPAIR,
    CONNECT,
    ACCEPT,
    BIND,
    LISTEN,
    PIPE,
    EVENTFD,
    SIGNALFD,
    TIMERFD,
    INOTIFY,
    MEMFD,
    USERFAULTFD,
    BPF,
    CHDIR,
    FCHDIR,
    SETUID,
    SETGID,
    SETREUID,
    SETREGID,
    SETRESUID,
    SETRESGID,
    CAPSET
  }

  private final EventTypes types;
  private final Kind[] kinds;
  private final int[] fdParam;
  private final ProcSource proc;
  private final ContainerSource containers;
  private final UserSource users;
  private final LongMap<ThreadInfo> threads = new LongMap<>(4096);
  private final LongMap<ProcessInfo> processes = new LongMap<>(4096);

  private @Nullable ProcessInfo closeIn;
  private int closeFd = -1;
  private @Nullable ThreadInfo exited;
  private long healed;
  private long unknownThreads;

  /**
   * @param types the syscall event table (codes as the probe writes them)
   * @param proc where to heal unknown threads from ({@code /proc} in production)
   * @param containers the container resolver
   * @param users user and group names
   */
  public StateTracker(
      EventTypes types, ProcSource proc, ContainerSource containers, UserSource users) {
    this.types = types;
    this.proc = proc;
    this.containers = containers;
    this.users = users;
    this.kinds = new Kind[types.size()];
    this.fdParam = new int[types.size()];
    Arrays.fill(kinds, Kind.NONE);
    Arrays.fill(fdParam, -1);
    for (EventTypes.Type t : types.all()) {
      kinds[t.code()] = kindOf(t.name());
      for (int i = 0; i < t.params().size(); i++) {
        EventTypes.Param p = t.params().get(i);
        if (p.name().equals("fd") && p.type().equals("FD")) {
          fdParam[t.code()] = i;
          break;
        }
      }
    }
  }

  private static Kind kindOf(String name) {
    return switch (name) {
      case "clone", "clone3", "fork", "vfork" -> Kind.CLONE;
      case "execve", "execveat" -> Kind.EXECVE;
      case "procexit" -> Kind.PROCEXIT;
      case "open" -> Kind.OPEN;
      case "openat" -> Kind.OPENAT;
      case "openat2" -> Kind.OPENAT2;
      case "creat" -> Kind.CREAT;
      case "close" -> Kind.CLOSE;
      case "dup", "dup2", "dup3" -> Kind.DUP;
      case "fcntl" -> Kind.FCNTL;
      case "socket" -> Kind.SOCKET;
      case "socketpair" -> Kind.SOCKETPAIR;
      case "connect" -> Kind.CONNECT;
      case "accept", "accept4" -> Kind.ACCEPT;
      case "bind" -> Kind.BIND;
      case "listen" -> Kind.LISTEN;
      case "pipe", "pipe2" -> Kind.PIPE;
      case "eventfd", "eventfd2" -> Kind.EVENTFD;
      case "signalfd", "signalfd4" -> Kind.SIGNALFD;
      case "timerfd_create" -> Kind.TIMERFD;
      case "inotify_init", "inotify_init1" -> Kind.INOTIFY;
      case "memfd_create" -> Kind.MEMFD;
      case "userfaultfd" -> Kind.USERFAULTFD;
      case "bpf" -> Kind.BPF;
      case "chdir" -> Kind.CHDIR;
      case "fchdir" -> Kind.FCHDIR;
      case "setuid" -> Kind.SETUID;
      case "setgid" -> Kind.SETGID;
      case "setreuid" -> Kind.SETREUID;
      case "setregid" -> Kind.SETREGID;
      case "setresuid" -> Kind.SETRESUID;
      case "setresgid" -> Kind.SETRESGID;
      case "capset" -> Kind.CAPSET;
      default -> Kind.NONE;
    };
  }

  /** The names of the events the state needs to see, whatever the rules ask for. */
  public static List<String> stateEvents() {
    return List.of(
        "clone",
        "clone3",
        "fork",
        "vfork",
        "execve",
        "execveat",
        "procexit",
        "open",
        "openat",
        "openat2",
        "creat",
        "close",
        "dup",
        "dup2",
        "dup3",
        "fcntl",
        "socket",
        "socketpair",
        "connect",
        "accept",
        "accept4",
        "bind",
        "listen",
        "pipe",
        "pipe2",
        "eventfd",
        "eventfd2",
        "signalfd",
        "signalfd4",
        "timerfd_create",
        "inotify_init",
        "inotify_init1",
        "memfd_create",
        "userfaultfd",
        "bpf",
        "chdir",
        "fchdir",
        "setuid",
        "setgid",
        "setreuid",
        "setregid",
        "setresuid",
        "setresgid",
        "capset");
  }

  // ---- seeding
  // ------------------------------------------------------------------------------------

  /** Adds a thread found by the start-up scan (or healed from /proc). */
  public void add(ThreadInfo t) {
    putThread(t);
    processes.put(t.process().pid(), t.process());
  }

  private void putThread(ThreadInfo t) {
    ThreadInfo old = threads.get(t.tid());
    if (old != null) {
      removeThread(old);
    }
    threads.put(t.tid(), t);
    t.process().attachThread();
  }

  private void removeThread(ThreadInfo t) {
    if (threads.get(t.tid()) != t) {
      return;
    }
    threads.remove(t.tid());
    ProcessInfo p = t.process();
    if (p.detachThread() == 0 && processes.get(p.pid()) == p) {
      processes.remove(p.pid());
    }
  }

  /** Adds a thread read from /proc after start-up, linking its process to its parent. */
  public void addHealed(ThreadInfo h) {
    healed++;
    add(h);
    ProcessInfo p = h.process();
    if (p.parent() == null && p.ppid() > 0) {
      p.parent(processes.get(p.ppid()));
    }
  }

  /** Links every process to its parent, once the scan has added them all. */
  public void linkParents() {
    for (ProcessInfo p : processes.values()) {
      if (p.parent() == null && p.ppid() > 0) {
        p.parent(processes.get(p.ppid()));
      }
    }
  }

  public int threadCount() {
    return threads.size();
  }

  public int processCount() {
    return processes.size();
  }

  /** Threads healed from /proc after being first seen in an event. */
  public long healed() {
    return healed;
  }

  /** Threads that could not be healed (their events carry a bare thread). */
  public long unknownThreads() {
    return unknownThreads;
  }

  public @Nullable ThreadInfo thread(int tid) {
    return threads.get(tid);
  }

  /** Every known thread (a copy). */
  public List<ThreadInfo> threads() {
    return threads.values();
  }

  public @Nullable ProcessInfo process(int pid) {
    return processes.get(pid);
  }

  // ---- applying events
  // ------------------------------------------------------------------------------

  /** Updates the tables for {@code e} and attaches its thread and fd. */
  public void apply(SyscallEvent e) {
    finishPrevious();
    int code = e.eventType();
    Kind kind = code < kinds.length ? kinds[code] : Kind.NONE;
    if (kind == Kind.CLONE) {
      clone(e);
      return;
    }
    ThreadInfo t = threadOf(e.tid(), e.pid());
    FdInfo fd = null;
    long ret = e.ret();
    ProcessInfo p = t.process();
    switch (kind) {
      case NONE, CLONE, LISTEN -> fd = lookupFd(p, e, code);
      case EXECVE -> {
        if (ret == 0) {
          t = exec(e, t);
        }
      }
      case PROCEXIT -> exited = t;
      case OPEN -> fd = open(e, p, ret, -1, 1, 2, AT_FDCWD);
      case OPENAT -> fd = open(e, p, ret, 1, 2, 3, AT_FDCWD);
      case OPENAT2 -> fd = open(e, p, ret, 1, 2, 3, AT_FDCWD);
      case CREAT -> fd = creat(e, p, ret);
      case CLOSE -> {
        fd = lookupFd(p, e, code);
        if (ret == 0 && fd != null) {
          closeIn = p;
          closeFd = fd.num();
        }
      }
      case DUP -> {
        FdInfo old = fdAt(p, e, 1);
        fd = old;
        if (ret >= 0 && old != null) {
          p.fds().put(ret, old.withNum((int) ret));
        } else if (ret >= 0) {
          p.fds().remove(ret); // a copy of an fd not known here: whatever was at ret is gone
        }
      }
      case FCNTL -> {
        FdInfo old = fdAt(p, e, 1);
        fd = old;
        if (ret >= 0 && old != null) {
          p.fds().put(ret, old.withNum((int) ret));
        } else if (ret >= 0) {
          p.fds().remove(ret); // a copy of an fd not known here: whatever was at ret is gone
        }
      }
      case SOCKET -> fd = socket(e, p, ret);
      case SOCKETPAIR -> {
        if (ret == 0) {
          addFd(p, (int) e.integer(1), FdInfo.Kind.UNIX, "");
          addFd(p, (int) e.integer(2), FdInfo.Kind.UNIX, "");
        }
      }
      case CONNECT -> fd = connect(e, p, ret);
      case ACCEPT -> fd = accept(e, p, ret);
      case BIND -> fd = fdAt(p, e, 2);
      case PIPE -> {
        if (ret == 0) {
          String name = "pipe:[" + (e.has(3) ? e.unsigned(3) : 0) + "]";
          addFd(p, (int) e.integer(1), FdInfo.Kind.PIPE, name);
          addFd(p, (int) e.integer(2), FdInfo.Kind.PIPE, name);
        }
      }
      case EVENTFD -> fd = created(p, ret, FdInfo.Kind.EVENT, "");
      case SIGNALFD -> fd = created(p, ret, FdInfo.Kind.SIGNALFD, "");
      case TIMERFD -> fd = created(p, ret, FdInfo.Kind.TIMERFD, "");
      case INOTIFY -> fd = created(p, ret, FdInfo.Kind.INOTIFY, "");
      case USERFAULTFD -> fd = created(p, ret, FdInfo.Kind.USERFAULTFD, "");
      case BPF -> fd = created(p, ret, FdInfo.Kind.BPF, "");
      case MEMFD -> {
        String name = e.string(1);
        fd = created(p, ret, FdInfo.Kind.MEMFD, "memfd:" + (name == null ? "" : name));
      }
      case CHDIR -> {
        if (ret == 0) {
          String path = e.string(1);
          if (path != null) {
            p.cwd(Paths.resolve(p.cwd(), path));
          }
        }
      }
      case FCHDIR -> {
        FdInfo dir = fdAt(p, e, 1);
        fd = dir;
        if (ret == 0 && dir != null) {
          p.cwd(dir.name());
        }
      }
      case SETUID -> {
        if (ret == 0) {
          setUid(t, (int) e.unsigned(1));
        }
      }
      case SETGID -> {
        if (ret == 0) {
          setGid(t, (int) e.unsigned(1));
        }
      }
      case SETREUID -> {
        if (ret == 0 && e.has(2) && (int) e.unsigned(2) != -1) {
          setUid(t, (int) e.unsigned(2));
        }
      }
      case SETREGID -> {
        if (ret == 0 && e.has(2) && (int) e.unsigned(2) != -1) {
          setGid(t, (int) e.unsigned(2));
        }
      }
      case SETRESUID -> {
        if (ret == 0 && e.has(2) && (int) e.unsigned(2) != -1) {
          setUid(t, (int) e.unsigned(2));
        }
      }
      case SETRESGID -> {
        if (ret == 0 && e.has(2) && (int) e.unsigned(2) != -1) {
          setGid(t, (int) e.unsigned(2));
        }
      }
      case CAPSET -> {
        if (ret == 0) {
          t.capabilities(e.unsigned(3), e.unsigned(2), e.unsigned(1));
        }
      }
    }
    e.resolve(t, fd);
  }

  /** Removals deferred from the previous event (its own fields still needed them). */
  private void finishPrevious() {
    if (closeIn != null) {
      closeIn.fds().remove(closeFd);
      closeIn = null;
    }
    ThreadInfo x = exited;
    if (x != null) {
      exited = null;
      removeThread(x);
    }
  }

  private ThreadInfo threadOf(int tid, int pid) {
    ThreadInfo t = threads.get(tid);
    if (t != null) {
      return t;
    }
    ThreadInfo h = proc.thread(pid, tid, this);
    if (h != null) {
      addHealed(h);
      return h;
    }
    unknownThreads++;
    ProcessInfo p = processes.get(pid);
    if (p == null) {
      p = new ProcessInfo(pid);
      processes.put(pid, p);
    }
    ThreadInfo bare = new ThreadInfo(tid, p);
    putThread(bare);
    return bare;
  }

  // ---- processes
  // ------------------------------------------------------------------------------------

  private void clone(SyscallEvent e) {
    int tid = (int) e.integer(3);
    int pid = (int) e.integer(4);
    int ppid = (int) e.integer(5);
    long flags = e.unsigned(15);
    ThreadInfo parentThread = threads.get(ppid);
    ProcessInfo parent = processes.get(ppid);
    if (parent == null && parentThread != null) {
      parent = parentThread.process();
    }
    ProcessInfo p;
    if ((flags & CLONE_THREAD) != 0) {
      p = processes.get(pid);
      if (p == null) {
        p = parent != null ? parent : new ProcessInfo(pid);
        processes.put(pid, p);
      }
    } else {
      p = new ProcessInfo(pid);
      if (parent != null) {
        inherit(p, parent);
      }
      p.identity(ppid, p.sid(), (int) e.integer(19), p.vpgid(), p.tty());
      p.parent(parent);
      p.startTs(e.timestamp());
      String comm = e.string(13);
      if (comm != null && !comm.equals(p.comm())) {
        p.exec(comm, p.exe(), p.exepath(), p.args(), p.env());
      }
      String cgroups = e.string(14);
      if (cgroups != null && !cgroups.isEmpty()) {
        p.container(containers.of(cgroups, e.timestamp()));
      }
      processes.put(pid, p);
    }
    ThreadInfo t = new ThreadInfo(tid, p);
    int uid = (int) e.unsigned(16);
    int gid = (int) e.unsigned(17);
    int loginuid = parentThread != null ? parentThread.loginuid() : -1;
    credentials(t, uid, gid, loginuid);
    if (parentThread != null) {
      t.capabilities(
          parentThread.capEffective(), parentThread.capPermitted(), parentThread.capInheritable());
    }
    putThread(t);
    e.resolve(t, null);
  }

  private static void inherit(ProcessInfo p, ProcessInfo parent) {
    p.exec(parent.comm(), parent.exe(), parent.exepath(), parent.args(), parent.env());
    p.executable(
        parent.exeIno(),
        parent.exeInoCtime(),
        parent.exeInoMtime(),
        parent.exeUpperLayer(),
        parent.exeFromMemfd(),
        parent.exeWritable());
    p.cwd(parent.cwd());
    p.identity(parent.pid(), parent.sid(), p.vpid(), parent.vpgid(), parent.tty());
    p.container(parent.container());
    for (FdInfo f : parent.fds().values()) {
      p.fds().put(f.num(), f);
    }
  }

  private ThreadInfo exec(SyscallEvent e, ThreadInfo t) {
    ProcessInfo p = t.process();
    String exe = text(e, 1);
    List<String> args = split(e, 2);
    String comm = text(e, 13);
    String exepath = text(e, 27);
    if (exepath.isEmpty()) {
      exepath = Paths.resolve(p.cwd(), text(e, 30));
    }
    p.exec(comm, exe, exepath, args, split(e, 15));
    String cwd = text(e, 6);
    if (!cwd.isEmpty()) {
      p.cwd(cwd);
    }
    long flags = e.unsigned(19);
    p.executable(
        e.unsigned(23),
        e.unsigned(24),
        e.unsigned(25),
        (flags & EXE_UPPER_LAYER) != 0,
        (flags & EXE_FROM_MEMFD) != 0,
        (flags & EXE_WRITABLE) != 0);
    p.identity(p.ppid(), p.sid(), p.vpid(), (int) e.integer(17), (int) e.unsigned(16));
    String cgroups = text(e, 14);
    if (!cgroups.isEmpty()) {
      p.container(containers.of(cgroups, e.timestamp()));
    }
    // close-on-exec descriptors are gone
    List<Long> cloexec = new ArrayList<>();
    for (FdInfo f : p.fds().values()) {
      if ((f.openFlags() & O_CLOEXEC) != 0) {
        cloexec.add((long) f.num());
      }
    }
    cloexec.forEach(p.fds()::remove);
    // the exec'ing thread becomes the only one, with the leader's id
    if (t.tid() != p.pid()) {
      ThreadInfo leader = new ThreadInfo(p.pid(), p);
      putThread(leader);
      removeThread(t);
      t = leader;
    }
    credentials(t, (int) e.unsigned(26), (int) e.unsigned(29), (int) e.unsigned(18));
    t.capabilities(e.unsigned(22), e.unsigned(21), e.unsigned(20));
    return t;
  }

  private void credentials(ThreadInfo t, int uid, int gid, int loginuid) {
    ProcessInfo p = t.process();
    Users.Db db = users.of(p.container(), p.pid());
    String login = loginuid < 0 ? "" : db.user(loginuid);
    t.credentials(uid, gid, loginuid, db.user(uid), db.group(gid), login);
  }

  private void setUid(ThreadInfo t, int uid) {
    credentials(t, uid, t.gid(), t.loginuid());
  }

  private void setGid(ThreadInfo t, int gid) {
    credentials(t, t.uid(), gid, t.loginuid());
  }

  // ---- file descriptors
  // ---------------------------------------------------------------------------

  private @Nullable FdInfo lookupFd(ProcessInfo p, SyscallEvent e, int code) {
    int i = code < fdParam.length ? fdParam[code] : -1;
    if (i < 0 || !e.has(i)) {
      return null;
    }
    return p.fds().get(e.integer(i));
  }

  private static @Nullable FdInfo fdAt(ProcessInfo p, SyscallEvent e, int param) {
    return e.has(param) ? p.fds().get(e.integer(param)) : null;
  }

  /** Opens: {@code nameAt}/{@code flagsAt} params; {@code dirfdAt} -1 when there is no dirfd. */
  private FdInfo open(
      SyscallEvent e, ProcessInfo p, long ret, int dirfdAt, int nameAt, int flagsAt, int dirfd) {
    String raw = text(e, nameAt);
    int at = dirfdAt >= 0 && e.has(dirfdAt) ? (int) e.integer(dirfdAt) : dirfd;
    String base = p.cwd();
    if (at != AT_FDCWD && !raw.startsWith("/")) {
      FdInfo dir = p.fds().get(at);
      base = dir != null ? dir.name() : "";
    }
    String name = Paths.resolve(base, raw);
    int flags = (int) e.unsigned(flagsAt);
    FdInfo.Kind kind = (flags & O_DIRECTORY) != 0 ? FdInfo.Kind.DIRECTORY : FdInfo.Kind.FILE;
    int num = ret >= 0 ? (int) ret : -1;
    FdInfo f = new FdInfo(num, kind, name, raw).openFlags(flags);
    f.created((flags & O_F_CREATED) != 0).upperLayer((flags & FD_UPPER_LAYER) != 0);
    int devAt = types.byCode(e.eventType()).params().size() - 2;
    f.inode(e.unsigned(devAt), e.unsigned(devAt + 1));
    if (ret >= 0) {
      p.fds().put(ret, f);
    }
    return f;
  }

  private static FdInfo creat(SyscallEvent e, ProcessInfo p, long ret) {
    String raw = text(e, 1);
    String name = Paths.resolve(p.cwd(), raw);
    long cflags = e.unsigned(5);
    int flags = 0x41 | 0x200; // O_WRONLY | O_CREAT | O_TRUNC
    if ((cflags & 1) != 0) {
      flags |= O_F_CREATED;
    }
    if ((cflags & 2) != 0) {
      flags |= FD_UPPER_LAYER;
    }
    FdInfo f = new FdInfo(ret >= 0 ? (int) ret : -1, FdInfo.Kind.FILE, name, raw).openFlags(flags);
    f.created((cflags & 1) != 0).upperLayer((cflags & 2) != 0);
    f.inode(e.unsigned(3), e.unsigned(4));
    if (ret >= 0) {
      p.fds().put(ret, f);
    }
    return f;
  }

  private static @Nullable FdInfo created(ProcessInfo p, long ret, FdInfo.Kind kind, String name) {
    if (ret < 0) {
      return null;
    }
    return addFd(p, (int) ret, kind, name);
  }

  private static FdInfo addFd(ProcessInfo p, int num, FdInfo.Kind kind, String name) {
    FdInfo f = new FdInfo(num, kind, name, name);
    p.fds().put(num, f);
    return f;
  }

  private static @Nullable FdInfo socket(SyscallEvent e, ProcessInfo p, long ret) {
    if (ret < 0) {
      return null;
    }
    int domain = (int) e.unsigned(1);
    int type = (int) e.unsigned(2) & 0xf;
    FdInfo.Kind kind =
        switch (domain) {
          case 2 -> FdInfo.Kind.IPV4;
          case 10 -> FdInfo.Kind.IPV6;
          case 1 -> FdInfo.Kind.UNIX;
          case 16 -> FdInfo.Kind.NETLINK;
          default -> FdInfo.Kind.OTHER;
        };
    FdInfo f = addFd(p, (int) ret, kind, "");
    if (kind == FdInfo.Kind.IPV4 || kind == FdInfo.Kind.IPV6) {
      byte[] any = new byte[kind == FdInfo.Kind.IPV4 ? 4 : 16];
      f.tuple(any, 0, any, 0, type == 1 ? "tcp" : type == 2 ? "udp" : "raw", false, false);
    }
    return f;
  }

  private static @Nullable FdInfo connect(SyscallEvent e, ProcessInfo p, long ret) {
    int num = (int) e.integer(2);
    FdInfo f = p.fds().get(num);
    if (ret != 0 && ret != EINPROGRESS) {
      return f;
    }
    byte[] tuple = e.bytes(1);
    FdInfo updated = Sockets.fromTuple(num, tuple, f, false);
    if (updated == null) {
      updated = Sockets.fromAddress(num, e.bytes(3), f);
    }
    if (updated != null) {
      p.fds().put(num, updated);
      return updated;
    }
    return f;
  }

  private static @Nullable FdInfo accept(SyscallEvent e, ProcessInfo p, long ret) {
    if (ret < 0) {
      return null;
    }
    FdInfo f = Sockets.fromTuple((int) ret, e.bytes(1), null, true);
    if (f == null) {
      f = new FdInfo((int) ret, FdInfo.Kind.IPV4, "", "");
    }
    p.fds().put(ret, f);
    return f;
  }

  private static String text(SyscallEvent e, int i) {
    String s = e.has(i) ? e.string(i) : null;
    return s == null ? "" : s;
  }

  /** A NUL-separated parameter as a list (a trailing NUL ends the last item). */
  private static List<String> split(SyscallEvent e, int i) {
    byte[] b = e.has(i) ? e.bytes(i) : null;
    if (b == null || b.length == 0) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    int start = 0;
    for (int k = 0; k <= b.length; k++) {
      if (k == b.length || b[k] == 0) {
        if (k > start || k < b.length) {
          out.add(new String(b, start, k - start, StandardCharsets.UTF_8));
        }
        start = k + 1;
      }
    }
    if (!out.isEmpty() && out.getLast().isEmpty() && b[b.length - 1] == 0) {
      out.removeLast();
    }
    return out;
  }
}
