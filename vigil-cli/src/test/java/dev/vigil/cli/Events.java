package dev.vigil.cli;

import dev.vigil.event.EventTypes;
import dev.vigil.kernel.SyscallSource;
import dev.vigil.kernel.event.RecordWriter;
import dev.vigil.kernel.event.SyscallEvent;
import dev.vigil.kernel.state.ContainerInfo;
import dev.vigil.kernel.state.FdInfo;
import dev.vigil.kernel.state.ProcessInfo;
import dev.vigil.kernel.state.ThreadInfo;
import java.util.List;

/**
 * Synthetic syscall events, in the probe's record layout with the thread and fd state they resolve
 * to: what the capture hands the daemon, without a kernel.
 */
final class Events {
  static final EventTypes TYPES = SyscallSource.info().eventTypes();
  static final long T0 = 1_795_356_332_012_345_678L;

  private final ThreadInfo cat;
  private long num;

  Events() {
    ProcessInfo init =
        new ProcessInfo(1)
            .identity(0, 1, 1, 1, 0)
            .exec("systemd", "/sbin/init", "/sbin/init", List.of(), List.of())
            .container(ContainerInfo.HOST);
    ProcessInfo p =
        new ProcessInfo(4242)
            .identity(1, 4242, 4242, 4242, 0)
            .parent(init)
            .exec("cat", "/usr/bin/cat", "/usr/bin/cat", List.of("/etc/shadow"), List.of())
            .cwd("/")
            .startTs(T0 - 1_000_000_000L)
            .container(ContainerInfo.HOST);
    cat = new ThreadInfo(4242, p).credentials(0, 0, -1, "root", "root", "");
  }

  /** An openat of {@code path} for reading, by {@code cat} on the host. */
  SyscallEvent open(String path) {
    RecordWriter w = new RecordWriter(256 + 3 * path.length());
    int fd = 3;
    int at =
        w.begin(TYPES.byName("openat").orElseThrow().code(), T0 + num, 4242, 4242, fd, 7)
            .u64(fd)
            .u64(-100)
            .text(path)
            .u32(0)
            .u32(0)
            .u32(0)
            .u64(0)
            .end();
    FdInfo f = new FdInfo(fd, FdInfo.Kind.FILE, path, path).openFlags(0);
    return new SyscallEvent().wrap(w.buffer(), at, ++num).resolve(cat, f);
  }
}
