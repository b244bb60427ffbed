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

  /** Wraps a record and attaches state. */
  public static SyscallEvent event(RecordWriter w, int at, long num, ThreadInfo t, FdInfo fd) {
    return new SyscallEvent().wrap(w.buffer(), at, num).resolve(t, fd);
  }
}
