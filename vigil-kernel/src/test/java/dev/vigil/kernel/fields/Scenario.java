package dev.vigil.kernel.fields;

import dev.vigil.event.EventTypes;
import dev.vigil.kernel.SyscallSource;
import dev.vigil.kernel.event.RecordWriter;
import dev.vigil.kernel.event.SyscallEvent;
import dev.vigil.kernel.state.ContainerInfo;
import dev.vigil.kernel.state.FdInfo;
import dev.vigil.kernel.state.ProcessInfo;
import dev.vigil.kernel.state.ThreadInfo;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Builds processes and event records for tests (and, in the benchmark module, synthetic load). */
public final class Scenario {
  public static final EventTypes TYPES = SyscallSource.info().eventTypes();
  public static final long T0 = 1_763_800_000_000_000_000L;

  public static final ContainerInfo WEB =
      new ContainerInfo(
          "3ad7b4a1c2f0",
          "web",
          "docker.io/library/nginx",
          "1.27",
          false,
          false,
          false,
          T0 - 3_600_000_000_000L,
          "web-7c9f",
          "shop",
          List.of(),
          Map.of());

  private Scenario() {}

  public static int code(String event) {
    return TYPES.byName(event).orElseThrow().code();
  }

  /** A process with one thread. */
  public static ThreadInfo process(
      int pid,
      ProcessInfo parent,
      String comm,
      String exepath,
      List<String> args,
      ContainerInfo container,
      int uid,
      String user,
      int tty) {
    ProcessInfo p =
        new ProcessInfo(pid)
            .identity(parent.pid(), parent.sid(), pid, pid, tty)
            .parent(parent)
            .exec(comm, exepath, exepath, args, List.of("PATH=/usr/bin:/bin"))
            .cwd("/")
            .startTs(T0 - 60_000_000_000L)
            .container(container);
    return new ThreadInfo(pid, p).credentials(uid, uid, -1, user, user, "");
  }

  public static ProcessInfo root(String comm, ContainerInfo container) {
    return new ProcessInfo(1)
        .identity(0, 1, 1, 1, 0)
        .exec(comm, "/sbin/" + comm, "/sbin/" + comm, List.of(), List.of())
        .container(container);
  }

  /** An openat exit record: {@code fd}, dirfd, name, flags, mode, dev, ino. */
  public static int openat(RecordWriter w, ThreadInfo t, int fd, String name, int flags) {
    return w.begin(code("openat"), T0, t.tid(), t.process().pid(), fd, 7)
        .u64(fd)
        .u64(-100)
        .text(name)
        .u32(flags)
        .u32(0)
        .u32(0)
        .u64(0)
        .end();
  }

  /** An execve exit record (only the leading parameters matter to the fields). */
  public static int execve(RecordWriter w, ThreadInfo t) {
    ProcessInfo p = t.process();
    return w.begin(code("execve"), T0, t.tid(), p.pid(), 0, 3)
        .u64(0)
        .text(p.exepath())
        .text(String.join("\0", p.args()))
        .end();
  }

  /** A connect exit record: res, tuple (opaque here), fd. */
  public static int connect(RecordWriter w, ThreadInfo t, int fd) {
    return w.begin(code("connect"), T0, t.tid(), t.process().pid(), 0, 3)
        .u64(0)
        .empty()
        .u64(fd)
        .end();
  }

  public static FdInfo file(int fd, String path, int flags) {
    return new FdInfo(fd, FdInfo.Kind.FILE, path, path).openFlags(flags);
  }

  /**
   * A record of {@code event} (an exit event: {@code ret} is the return value) whose parameters are
   * given by name, each encoded by its type in the event table: numbers at their natural width,
   * text as UTF-8 (a {@code byte[]} as is), and a parameter that is not given left empty. The
   * leading {@code res}/{@code fd} parameter defaults to {@code ret}. Unknown names and values of
   * the wrong kind are errors, so a typo in a test table cannot go unnoticed.
   */
  public static int record(
      RecordWriter w, ThreadInfo t, long ts, String event, long ret, Map<String, ?> params) {
    EventTypes.Type type =
        TYPES
            .byName(event)
            .orElseThrow(() -> new IllegalArgumentException("unknown event " + event));
    List<EventTypes.Param> ps = type.params();
    for (String name : params.keySet()) {
      if (ps.stream().noneMatch(p -> p.name().equals(name))) {
        throw new IllegalArgumentException(event + " has no parameter " + name + ": " + ps);
      }
    }
    w.begin(type.code(), ts, t.tid(), t.process().pid(), ret, ps.size());
    for (int i = 0; i < ps.size(); i++) {
      EventTypes.Param p = ps.get(i);
      Object v = params.get(p.name());
      if (v == null && i == 0 && isResult(p)) {
        v = ret;
      }
      param(w, event, p, v);
    }
    return w.end();
  }

  private static boolean isResult(EventTypes.Param p) {
    return (p.name().equals("res") || p.name().equals("fd"))
        && (p.type().equals("ERRNO") || p.type().equals("FD"));
  }

  private static void param(RecordWriter w, String event, EventTypes.Param p, @Nullable Object v) {
    if (v == null) {
      w.empty();
      return;
    }
    int width = width(p.type());
    if (width == 0 && v instanceof byte[] b) {
      w.raw(b);
    } else if (width == 0 && v instanceof Number n && p.type().equals("DYNAMIC")) {
      w.u64(n.longValue());
    } else if (width == 0) {
      w.text(String.valueOf(v));
    } else if (v instanceof Number n) {
      switch (width) {
        case 1 -> w.u8(n.intValue());
        case 2 -> w.u16(n.intValue());
        case 4 -> w.u32(n.longValue());
        default -> w.u64(n.longValue());
      }
    } else {
      throw new IllegalArgumentException(
          event + "." + p.name() + " is " + p.type() + ": needs a number, not " + v);
    }
  }

  /** Bytes of a numeric parameter type, or 0 for variable-length ones (text, buffers). */
  static int width(String type) {
    return switch (type) {
      case "INT8", "UINT8", "FLAGS8", "ENUMFLAGS8", "SIGTYPE" -> 1;
      case "INT16", "UINT16", "FLAGS16", "ENUMFLAGS16", "SYSCALLID" -> 2;
      case "INT32", "UINT32", "FLAGS32", "ENUMFLAGS32", "UID", "GID", "MODE", "SIGSET" -> 4;
      case "INT64", "UINT64", "ERRNO", "FD", "PID", "ABSTIME", "RELTIME" -> 8;
      case "CHARBUF",
          "FSPATH",
          "FSRELPATH",
          "BYTEBUF",
          "SOCKADDR",
          "SOCKTUPLE",
          "FDLIST",
          "DYNAMIC" ->
          0;
      default -> throw new IllegalArgumentException("unknown parameter type " + type);
    };
  }

  /** Wraps a record and attaches state. */
  public static SyscallEvent event(RecordWriter w, int at, long num, ThreadInfo t, FdInfo fd) {
    return new SyscallEvent().wrap(w.buffer(), at, num).resolve(t, fd);
  }
}
