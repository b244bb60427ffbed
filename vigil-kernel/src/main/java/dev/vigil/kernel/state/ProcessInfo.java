package dev.vigil.kernel.state;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Data shared by the threads of one process: identity, executable, command line, environment,
 * working directory, ancestry, container and file descriptors.
 */
public final class ProcessInfo {
  private final int pid;
  private int ppid;
  private int sid;
  private int vpid;
  private int vpgid;
  private int tty;
  private @Nullable ProcessInfo parent;
  private String comm = "";
  private String exe = "";
  private String exepath = "";
  private List<String> args = List.of();
  private List<String> env = List.of();
  private String cwd = "";
  private long startTs;
  private long exeIno;
  private long exeInoCtime;
  private long exeInoMtime;
  private boolean exeUpperLayer;
  private boolean exeFromMemfd;
  private boolean exeWritable;
  private ContainerInfo container = ContainerInfo.HOST;
  private final LongMap<FdInfo> fds = new LongMap<>(16);
  private int liveThreads;
  private @Nullable String cmdline;
  private @Nullable String argsLine;

  public ProcessInfo(int pid) {
    this.pid = pid;
  }

  public int pid() {
    return pid;
  }

  public int ppid() {
    return ppid;
  }

  public int sid() {
    return sid;
  }

  public int vpid() {
    return vpid;
  }

  public int vpgid() {
    return vpgid;
  }

  public int tty() {
    return tty;
  }

  public @Nullable ProcessInfo parent() {
    return parent;
  }

  /** The process name (the kernel's comm: at most 15 characters). */
  public String comm() {
    return comm;
  }

  /** argv[0] as executed. */
  public String exe() {
    return exe;
  }

  /** Absolute path of the executable. */
  public String exepath() {
    return exepath;
  }

  public List<String> args() {
    return args;
  }

  public List<String> env() {
    return env;
  }

  public String cwd() {
    return cwd;
  }

  public long startTs() {
    return startTs;
  }

  public long exeIno() {
    return exeIno;
  }

  public long exeInoCtime() {
    return exeInoCtime;
  }

  public long exeInoMtime() {
    return exeInoMtime;
  }

  public boolean exeUpperLayer() {
    return exeUpperLayer;
  }

  public boolean exeFromMemfd() {
    return exeFromMemfd;
  }

  public boolean exeWritable() {
    return exeWritable;
  }

  public ContainerInfo container() {
    return container;
  }

  public LongMap<FdInfo> fds() {
    return fds;
  }

  /** The arguments joined by spaces: Falco's {@code proc.args}. Cached. */
  public String argsLine() {
    String a = argsLine;
    if (a == null) {
      a = String.join(" ", args);
      argsLine = a;
    }
    return a;
  }

  /** {@code comm} followed by the arguments: Falco's {@code proc.cmdline}. Cached. */
  public String cmdline() {
    String c = cmdline;
    if (c == null) {
      c = args.isEmpty() ? comm : comm + " " + String.join(" ", args);
      cmdline = c;
    }
    return c;
  }

  public ProcessInfo identity(int ppid, int sid, int vpid, int vpgid, int tty) {
    this.ppid = ppid;
    this.sid = sid;
    this.vpid = vpid;
    this.vpgid = vpgid;
    this.tty = tty;
    return this;
  }

  public ProcessInfo parent(@Nullable ProcessInfo parent) {
    this.parent = parent;
    return this;
  }

  /** Sets what an exec establishes: name, executable, arguments, environment. */
  public ProcessInfo exec(
      String comm, String exe, String exepath, List<String> args, List<String> env) {
    this.comm = comm;
    this.exe = exe;
    this.exepath = exepath;
    this.args = List.copyOf(args);
    this.env = List.copyOf(env);
    this.cmdline = null;
    this.argsLine = null;
    return this;
  }

  public ProcessInfo executable(
      long ino, long ctime, long mtime, boolean upperLayer, boolean fromMemfd, boolean writable) {
    this.exeIno = ino;
    this.exeInoCtime = ctime;
    this.exeInoMtime = mtime;
    this.exeUpperLayer = upperLayer;
    this.exeFromMemfd = fromMemfd;
    this.exeWritable = writable;
    return this;
  }

  public ProcessInfo cwd(String cwd) {
    this.cwd = cwd;
    return this;
  }

  public ProcessInfo startTs(long startTs) {
    this.startTs = startTs;
    return this;
  }

  public ProcessInfo container(ContainerInfo container) {
    this.container = container;
    return this;
  }

  /** Counts a thread of this process into the thread table; returns the new count. */
  int attachThread() {
    return ++liveThreads;
  }

  /** Counts a thread out of the thread table; returns how many remain. */
  int detachThread() {
    liveThreads = Math.max(0, liveThreads - 1);
    return liveThreads;
  }

  /** The {@code n}-th ancestor ({@code 1} is the parent), or null. */
  public @Nullable ProcessInfo ancestor(int n) {
    ProcessInfo p = this;
    for (int i = 0; i < n && p != null; i++) {
      p = p.parent;
    }
    return p;
  }
}
