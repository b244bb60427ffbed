package dev.vigil.bench;

import dev.vigil.event.EventTypes;
import dev.vigil.kernel.SyscallSource;
import dev.vigil.kernel.event.RecordWriter;
import dev.vigil.kernel.state.ContainerInfo;
import dev.vigil.kernel.state.FdInfo;
import dev.vigil.kernel.state.ProcessInfo;
import dev.vigil.kernel.state.ThreadInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/**
 * A synthetic event stream shaped like a busy Kubernetes node, as binary records in the probe's
 * layout with the thread and fd state each event resolves to. The mix follows what reaches
 * userspace when the kernel-side filter selects the event types the stable rules and state tracking
 * need: mostly opens of many paths (libraries, /proc, configs, logs, data files), their closes,
 * some reads and writes, socket activity (socket, connect, accept, sendto) and a small share of
 * execs, dups and ptraces. Deterministic for a given seed.
 */
public final class SyntheticWorkload {
  /** Event records. */
  public final byte[] buffer;

  /** Offset of each record. */
  public final int[] offsets;

  /** The thread each event comes from. */
  public final ThreadInfo[] threads;

  /** The fd each event uses (null for events without one). */
  public final @Nullable FdInfo[] fds;

  private static final EventTypes TYPES = SyscallSource.info().eventTypes();

  /** Event mix, in percent (sums to 100). */
  private static final Object[][] MIX = {
    {"openat", 46}, {"close", 18}, {"read", 8}, {"write", 6}, {"connect", 5}, {"socket", 3},
    {"sendto", 3}, {"accept4", 2}, {"execve", 3}, {"dup2", 2}, {"openat2", 2}, {"ptrace", 1},
    {"unlinkat", 1}
  };

  private static final String[] PATHS = {
    "/usr/lib/x86_64-linux-gnu/libc.so.6",
    "/etc/ld.so.cache",
    "/proc/self/stat",
    "/proc/1/cgroup",
    "/sys/fs/cgroup/memory.max",
    "/etc/nsswitch.conf",
    "/etc/passwd",
    "/etc/hosts",
    "/etc/resolv.conf",
    "/var/log/nginx/access.log",
    "/var/lib/postgresql/data/base/16384/2619",
    "/app/node_modules/express/lib/router/index.js",
    "/usr/share/zoneinfo/UTC",
    "/tmp/hsperfdata_app/1",
    "/run/secrets/kubernetes.io/serviceaccount/token",
    "/home/app/.cache/pip/http/a/b/c",
    "/etc/ssl/certs/ca-certificates.crt",
    "/opt/app/config/application.yaml",
    "/dev/null",
    "/dev/urandom"
  };

  private static final String[][] PROGRAMS = {
    {"nginx", "/usr/sbin/nginx"},
    {"java", "/usr/lib/jvm/java-17/bin/java"},
    {"python3", "/usr/bin/python3"},
    {"node", "/usr/local/bin/node"},
    {"postgres", "/usr/lib/postgresql/15/bin/postgres"},
    {"kubelet", "/usr/bin/kubelet"},
    {"containerd", "/usr/bin/containerd"},
    {"sh", "/bin/sh"},
    {"bash", "/bin/bash"},
    {"curl", "/usr/bin/curl"},
    {"coredns", "/coredns"},
    {"envoy", "/usr/local/bin/envoy"}
  };

  private SyntheticWorkload(
      byte[] buffer, int[] offsets, ThreadInfo[] threads, @Nullable FdInfo[] fds) {
    this.buffer = buffer;
    this.offsets = offsets;
    this.threads = threads;
    this.fds = fds;
  }

  public int size() {
    return offsets.length;
  }

  /** Generates {@code n} events over {@code processes} processes in ~20 containers and the host. */
  public static SyntheticWorkload generate(int n, int processes, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    List<ThreadInfo> pool = processes(processes, rnd);
    String[] mix = new String[100];
    int k = 0;
    for (Object[] m : MIX) {
      for (int i = 0; i < (Integer) m[1]; i++) {
        mix[k++] = (String) m[0];
      }
    }
    RecordWriter w = new RecordWriter(n * 96);
    int[] offsets = new int[n];
    ThreadInfo[] threads = new ThreadInfo[n];
    @Nullable FdInfo[] fds = new FdInfo[n];
    long ts = 1_763_800_000_000_000_000L;
    for (int i = 0; i < n; i++) {
      ThreadInfo t = pool.get(rnd.nextInt(pool.size()));
      String type = mix[rnd.nextInt(100)];
      ts += 1 + rnd.nextInt(2000);
      threads[i] = t;
      int code = TYPES.byName(type).orElseThrow().code();
      int pid = t.process().pid();
      switch (type) {
        case "openat", "openat2" -> {
          String path = PATHS[rnd.nextInt(PATHS.length)];
          int flags = path.startsWith("/var/log") || path.startsWith("/tmp") ? 0x441 : 0x80000;
          int fd = 3 + rnd.nextInt(60);
          fds[i] = new FdInfo(fd, FdInfo.Kind.FILE, path, path).openFlags(flags);
          offsets[i] =
              type.equals("openat")
                  ? w.begin(code, ts, t.tid(), pid, fd, 7)
                      .u64(fd)
                      .u64(-100)
                      .text(path)
                      .u32(flags)
                      .u32(0)
                      .u32(0)
                      .u64(0)
                      .end()
                  : w.begin(code, ts, t.tid(), pid, fd, 7)
                      .u64(fd)
                      .u64(-100)
                      .text(path)
                      .u32(flags)
                      .u32(0)
                      .u32(0)
                      .u32(0)
                      .end();
        }
        case "close", "read", "write" -> {
          int fd = 3 + rnd.nextInt(60);
          String path = PATHS[rnd.nextInt(PATHS.length)];
          fds[i] = new FdInfo(fd, FdInfo.Kind.FILE, path, path);
          offsets[i] = w.begin(code, ts, t.tid(), pid, 0, 2).u64(0).u64(fd).end();
        }
        case "connect", "sendto", "accept4", "socket" -> {
          int fd = 3 + rnd.nextInt(60);
          byte[] local = {10, (byte) 244, (byte) rnd.nextInt(8), (byte) (2 + rnd.nextInt(200))};
          byte[] remote = {10, 96, 0, (byte) (1 + rnd.nextInt(20))};
          int port = new int[] {443, 80, 5432, 53, 6379, 8080}[rnd.nextInt(6)];
          boolean server = type.equals("accept4");
          fds[i] =
              new FdInfo(fd, FdInfo.Kind.IPV4, "10.244.0.5:41000->10.96.0.1:" + port, "")
                  .tuple(local, 30000 + rnd.nextInt(30000), remote, port, "tcp", true, server);
          offsets[i] = w.begin(code, ts, t.tid(), pid, 0, 3).u64(0).empty().u64(fd).end();
        }
        case "execve" -> {
          fds[i] = null;
          offsets[i] =
              w.begin(code, ts, t.tid(), pid, 0, 3)
                  .u64(0)
                  .text(t.process().exepath())
                  .text(String.join("\0", t.process().args()))
                  .end();
        }
        default -> {
          fds[i] = null;
          offsets[i] = w.begin(code, ts, t.tid(), pid, 0, 2).u64(0).u64(3).end();
        }
      }
    }
    return new SyntheticWorkload(w.buffer(), offsets, threads, fds);
  }

  private static List<ThreadInfo> processes(int count, SplittableRandom rnd) {
    List<ContainerInfo> containers = new ArrayList<>();
    containers.add(ContainerInfo.HOST);
    for (int c = 0; c < 20; c++) {
      containers.add(
          new ContainerInfo(
              String.format("%012x", rnd.nextLong() & 0xffffffffffffL),
              "app-" + c,
              "registry.example.com/team/app-" + c,
              "v" + c,
              c == 7,
              false,
              false,
              1_763_790_000_000_000_000L,
              "app-" + c + "-5d8f",
              c % 3 == 0 ? "kube-system" : "prod",
              List.of(),
              Map.of()));
    }
    List<ThreadInfo> out = new ArrayList<>();
    for (ContainerInfo c : containers) {
      ProcessInfo init =
          new ProcessInfo(1)
              .identity(0, 1, 1, 1, 0)
              .exec("runc", "runc", "/usr/bin/runc", List.of("init"), List.of())
              .container(c);
      for (int i = 0; i < Math.max(1, count / containers.size()); i++) {
        String[] prog = PROGRAMS[rnd.nextInt(PROGRAMS.length)];
        int pid = 1000 + out.size();
        ProcessInfo p =
            new ProcessInfo(pid)
                .identity(1, pid, pid, pid, rnd.nextInt(50) == 0 ? 34816 : 0)
                .parent(init)
                .exec(prog[0], prog[1], prog[1], List.of("--config", "/etc/app.conf"), List.of())
                .cwd("/app")
                .startTs(1_763_799_000_000_000_000L)
                .container(c);
        int uid = rnd.nextInt(4) == 0 ? 0 : 1000;
        out.add(
            new ThreadInfo(pid, p)
                .credentials(
                    uid, uid, -1, uid == 0 ? "root" : "app", uid == 0 ? "root" : "app", ""));
      }
    }
    return out;
  }
}
