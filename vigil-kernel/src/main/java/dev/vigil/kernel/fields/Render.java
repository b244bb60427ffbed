package dev.vigil.kernel.fields;

import dev.vigil.kernel.state.Sockets;
import java.util.ArrayList;
import java.util.List;

/** Text renderings Falco gives to flag sets, capabilities, error numbers and addresses. */
public final class Render {
  private Render() {}

  /** Vigil's markers above Linux's open flags: set by the probe. */
  public static final int O_F_CREATED = 1 << 28;

  public static final int O_F_EXEC = 1 << 29;
  public static final int FD_UPPER_LAYER = 1 << 30;

  private static final int O_ACCMODE = 3;
  private static final int O_WRONLY = 1;
  private static final int O_RDWR = 2;

  private static final Object[][] OPEN_FLAGS = {
    {0x40, "O_CREAT"},
    {0x80, "O_EXCL"},
    {0x200, "O_TRUNC"},
    {0x400, "O_APPEND"},
    {0x800, "O_NONBLOCK"},
    {0x1000, "O_DSYNC"},
    {0x4000, "O_DIRECT"},
    {0x8000, "O_LARGEFILE"},
    {0x10000, "O_DIRECTORY"},
    {0x80000, "O_CLOEXEC"},
    {0x101000, "O_SYNC"},
    {0x410000, "O_TMPFILE"},
    {O_F_CREATED, "O_F_CREATED"},
    {FD_UPPER_LAYER, "FD_UPPER_LAYER"},
  };

  /**
   * Renderings of the open-flag combinations seen so far. Programs use few distinct combinations,
   * and rules compare {@code evt.arg.flags} as text on every open, so the text is built once per
   * combination. Bounded: past the limit, new combinations are rendered each time.
   */
  private static final java.util.concurrent.ConcurrentHashMap<Long, String> OPEN_FLAGS_TEXT =
      new java.util.concurrent.ConcurrentHashMap<>();

  private static final int OPEN_FLAGS_CACHE_LIMIT = 4096;

  /** Open flags as Falco prints them: access mode first, then the other flags, {@code |}-joined. */
  public static String openFlags(long flags) {
    String cached = OPEN_FLAGS_TEXT.get(flags);
    if (cached != null) {
      return cached;
    }
    String text = renderOpenFlags(flags);
    if (OPEN_FLAGS_TEXT.size() < OPEN_FLAGS_CACHE_LIMIT) {
      OPEN_FLAGS_TEXT.put(flags, text);
    }
    return text;
  }

  private static String renderOpenFlags(long flags) {
    List<String> out = new ArrayList<>();
    int acc = (int) flags & O_ACCMODE;
    out.add(acc == O_WRONLY ? "O_WRONLY" : acc == O_RDWR ? "O_RDWR" : "O_RDONLY");
    for (Object[] f : OPEN_FLAGS) {
      int bit = (Integer) f[0];
      if ((flags & bit) == bit) {
        out.add((String) f[1]);
      }
    }
    return String.join("|", out);
  }

  private static final String[] EXE_FLAGS = {
    "EXE_WRITABLE", "EXE_UPPER_LAYER", "EXE_FROM_MEMFD", "EXE_LOWER_LAYER"
  };

  /**
   * execve's executable flags as Falco names them ({@code EXE_WRITABLE|EXE_FROM_MEMFD}, in the
   * order of its flag table), or the number when none is set.
   */
  public static String exeFlags(long flags) {
    List<String> out = new ArrayList<>(EXE_FLAGS.length);
    for (int i = 0; i < EXE_FLAGS.length; i++) {
      if ((flags & (1L << i)) != 0) {
        out.add(EXE_FLAGS[i]);
      }
    }
    return out.isEmpty() ? Long.toUnsignedString(flags) : String.join("|", out);
  }

  /** unlinkat's flags: {@code AT_REMOVEDIR} (rmdir) or the number ({@code 0} for a file). */
  public static String unlinkFlags(long flags) {
    return flags == AT_REMOVEDIR ? "AT_REMOVEDIR" : Long.toUnsignedString(flags);
  }

  private static final long AT_REMOVEDIR = 0x200;

  public static boolean openReads(long flags) {
    int acc = (int) flags & O_ACCMODE;
    return acc == 0 || acc == O_RDWR;
  }

  public static boolean openWrites(long flags) {
    int acc = (int) flags & O_ACCMODE;
    return acc == O_WRONLY || acc == O_RDWR;
  }

  private static final Object[][] MODE_BITS = {
    {04000, "S_ISUID"},
    {02000, "S_ISGID"},
    {01000, "S_ISVTX"},
    {0400, "S_IRUSR"},
    {0200, "S_IWUSR"},
    {0100, "S_IXUSR"},
    {040, "S_IRGRP"},
    {020, "S_IWGRP"},
    {010, "S_IXGRP"},
    {04, "S_IROTH"},
    {02, "S_IWOTH"},
    {01, "S_IXOTH"},
  };

  /** A file mode as its permission flags: {@code S_ISUID|S_IRUSR|...}. */
  public static String mode(long mode) {
    List<String> out = new ArrayList<>();
    for (Object[] m : MODE_BITS) {
      if ((mode & (Integer) m[0]) != 0) {
        out.add((String) m[1]);
      }
    }
    return String.join("|", out);
  }

  /**
   * A ptrace request as Linux names it (x86-64 numbering for the architecture-specific ones):
   * {@code PTRACE_ATTACH} is 16, {@code PTRACE_SEIZE} 0x4206. Unknown requests as their number.
   */
  public static String ptraceRequest(long request) {
    return switch ((int) Math.max(-1, Math.min(request, Integer.MAX_VALUE))) {
      case 0 -> "PTRACE_TRACEME";
      case 1 -> "PTRACE_PEEKTEXT";
      case 2 -> "PTRACE_PEEKDATA";
      case 3 -> "PTRACE_PEEKUSR";
      case 4 -> "PTRACE_POKETEXT";
      case 5 -> "PTRACE_POKEDATA";
      case 6 -> "PTRACE_POKEUSR";
      case 7 -> "PTRACE_CONT";
      case 8 -> "PTRACE_KILL";
      case 9 -> "PTRACE_SINGLESTEP";
      case 12 -> "PTRACE_GETREGS";
      case 13 -> "PTRACE_SETREGS";
      case 14 -> "PTRACE_GETFPREGS";
      case 15 -> "PTRACE_SETFPREGS";
      case 16 -> "PTRACE_ATTACH";
      case 17 -> "PTRACE_DETACH";
      case 18 -> "PTRACE_GETFPXREGS";
      case 19 -> "PTRACE_SETFPXREGS";
      case 24 -> "PTRACE_SYSCALL";
      case 25 -> "PTRACE_GET_THREAD_AREA";
      case 26 -> "PTRACE_SET_THREAD_AREA";
      case 30 -> "PTRACE_ARCH_PRCTL";
      case 31 -> "PTRACE_SYSEMU";
      case 32 -> "PTRACE_SYSEMU_SINGLESTEP";
      case 33 -> "PTRACE_SINGLEBLOCK";
      case 0x4200 -> "PTRACE_SETOPTIONS";
      case 0x4201 -> "PTRACE_GETEVENTMSG";
      case 0x4202 -> "PTRACE_GETSIGINFO";
      case 0x4203 -> "PTRACE_SETSIGINFO";
      case 0x4204 -> "PTRACE_GETREGSET";
      case 0x4205 -> "PTRACE_SETREGSET";
      case 0x4206 -> "PTRACE_SEIZE";
      case 0x4207 -> "PTRACE_INTERRUPT";
      case 0x4208 -> "PTRACE_LISTEN";
      case 0x4209 -> "PTRACE_PEEKSIGINFO";
      case 0x420a -> "PTRACE_GETSIGMASK";
      case 0x420b -> "PTRACE_SETSIGMASK";
      case 0x420c -> "PTRACE_SECCOMP_GET_FILTER";
      case 0x420d -> "PTRACE_SECCOMP_GET_METADATA";
      case 0x420e -> "PTRACE_GET_SYSCALL_INFO";
      default -> Long.toString(request);
    };
  }

  /** A socket address family name ({@code AF_INET}). */
  public static String family(long domain) {
    return switch ((int) domain) {
      case 1 -> "AF_UNIX";
      case 2 -> "AF_INET";
      case 10 -> "AF_INET6";
      case 16 -> "AF_NETLINK";
      case 17 -> "AF_PACKET";
      default -> Long.toString(domain);
    };
  }

  private static final String[] CAPS = {
    "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID",
    "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE",
    "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK",
    "CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE",
    "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE", "CAP_SYS_RESOURCE",
    "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE", "CAP_AUDIT_WRITE",
    "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG",
    "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF",
    "CAP_CHECKPOINT_RESTORE"
  };

  /** A capability set as space-separated names. */
  public static String capabilities(long set) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < CAPS.length; i++) {
      if ((set & (1L << i)) != 0) {
        out.add(CAPS[i]);
      }
    }
    return String.join(" ", out);
  }

  private static final String[] ERRNO = {
    "SUCCESS", "EPERM", "ENOENT", "ESRCH", "EINTR", "EIO", "ENXIO", "E2BIG", "ENOEXEC", "EBADF",
    "ECHILD", "EAGAIN", "ENOMEM", "EACCES", "EFAULT", "ENOTBLK", "EBUSY", "EEXIST", "EXDEV",
    "ENODEV", "ENOTDIR", "EISDIR", "EINVAL", "ENFILE", "EMFILE", "ENOTTY", "ETXTBSY", "EFBIG",
    "ENOSPC", "ESPIPE", "EROFS", "EMLINK", "EPIPE", "EDOM", "ERANGE"
  };

  /** A syscall result as {@code evt.res} shows it: {@code SUCCESS} or the errno name. */
  public static String result(long ret) {
    if (ret >= 0) {
      return "SUCCESS";
    }
    long e = -ret;
    if (e < ERRNO.length) {
      return ERRNO[(int) e];
    }
    return switch ((int) e) {
      case 95 -> "EOPNOTSUPP";
      case 98 -> "EADDRINUSE";
      case 99 -> "EADDRNOTAVAIL";
      case 101 -> "ENETUNREACH";
      case 104 -> "ECONNRESET";
      case 110 -> "ETIMEDOUT";
      case 111 -> "ECONNREFUSED";
      case 113 -> "EHOSTUNREACH";
      case 115 -> "EINPROGRESS";
      default -> "E" + e;
    };
  }

  /** An IPv4 or IPv6 address as Falco prints it ({@code inet_ntop}: {@code ::1}). */
  public static String ip(byte[] address) {
    return Sockets.ip(address);
  }

  /** {@code ip:port}, with brackets for IPv6. */
  public static String endpoint(byte[] address, int port) {
    String ip = ip(address);
    return (address.length == 16 ? "[" + ip + "]" : ip) + ":" + port;
  }
}
