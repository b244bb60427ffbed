package dev.vigil.kernel.fields;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Names the rule case tables may use for numbers: Linux open flags (with Vigil's {@code O_F_*}
 * markers), ptrace requests, mode bits, {@code AT_FDCWD}, errno values (negative, as syscalls
 * return them) and capability names.
 */
final class Symbols {
  private Symbols() {}

  /** Linux capabilities in bit order (CAP_CHOWN is bit 0). */
  private static final List<String> CAPS =
      List.of(
          ("CAP_CHOWN CAP_DAC_OVERRIDE CAP_DAC_READ_SEARCH CAP_FOWNER CAP_FSETID CAP_KILL"
                  + " CAP_SETGID CAP_SETUID CAP_SETPCAP CAP_LINUX_IMMUTABLE CAP_NET_BIND_SERVICE"
                  + " CAP_NET_BROADCAST CAP_NET_ADMIN CAP_NET_RAW CAP_IPC_LOCK CAP_IPC_OWNER"
                  + " CAP_SYS_MODULE CAP_SYS_RAWIO CAP_SYS_CHROOT CAP_SYS_PTRACE CAP_SYS_PACCT"
                  + " CAP_SYS_ADMIN CAP_SYS_BOOT CAP_SYS_NICE CAP_SYS_RESOURCE CAP_SYS_TIME"
                  + " CAP_SYS_TTY_CONFIG CAP_MKNOD CAP_LEASE CAP_AUDIT_WRITE CAP_AUDIT_CONTROL"
                  + " CAP_SETFCAP CAP_MAC_OVERRIDE CAP_MAC_ADMIN CAP_SYSLOG CAP_WAKE_ALARM"
                  + " CAP_BLOCK_SUSPEND CAP_AUDIT_READ CAP_PERFMON CAP_BPF CAP_CHECKPOINT_RESTORE")
              .split(" "));

  static final long ALL_CAPS = (1L << CAPS.size()) - 1;

  /** What a container runtime grants root in an unprivileged container. */
  static final long RUNTIME_DEFAULT_CAPS =
      caps(
          "CAP_CHOWN CAP_DAC_OVERRIDE CAP_FOWNER CAP_FSETID CAP_KILL CAP_SETGID CAP_SETUID"
              + " CAP_SETPCAP CAP_NET_BIND_SERVICE CAP_NET_RAW CAP_SYS_CHROOT CAP_MKNOD"
              + " CAP_AUDIT_WRITE CAP_SETFCAP");

  private static final Map<String, Long> CONSTANTS =
      Map.ofEntries(
          Map.entry("O_RDONLY", 0L),
          Map.entry("O_WRONLY", 1L),
          Map.entry("O_RDWR", 2L),
          Map.entry("O_CREAT", 0x40L),
          Map.entry("O_EXCL", 0x80L),
          Map.entry("O_NOCTTY", 0x100L),
          Map.entry("O_TRUNC", 0x200L),
          Map.entry("O_APPEND", 0x400L),
          Map.entry("O_NONBLOCK", 0x800L),
          Map.entry("O_DIRECTORY", 0x10000L),
          Map.entry("O_NOFOLLOW", 0x20000L),
          Map.entry("O_CLOEXEC", 0x80000L),
          Map.entry("O_F_CREATED", (long) Render.O_F_CREATED),
          Map.entry("O_F_EXEC", (long) Render.O_F_EXEC),
          Map.entry("AT_REMOVEDIR", 0x200L),
          Map.entry("PTRACE_TRACEME", 0L),
          Map.entry("PTRACE_PEEKDATA", 2L),
          Map.entry("PTRACE_GETFPREGS", 14L),
          Map.entry("PTRACE_ATTACH", 16L),
          Map.entry("PTRACE_DETACH", 17L),
          Map.entry("PTRACE_SEIZE", 0x4206L),
          Map.entry("S_ISUID", 04000L),
          Map.entry("S_ISGID", 02000L),
          Map.entry("S_ISVTX", 01000L),
          Map.entry("AT_FDCWD", -100L),
          Map.entry("EPERM", -1L),
          Map.entry("ENOENT", -2L),
          Map.entry("EACCES", -13L),
          Map.entry("EEXIST", -17L),
          Map.entry("EROFS", -30L),
          Map.entry("ECONNREFUSED", -111L),
          Map.entry("EINPROGRESS", -115L));

  /** A number: an integer, or {@code |}-joined names and numbers ({@code 0755} is octal). */
  static long number(@Nullable Object v) {
    if (v instanceof Number n) {
      return n.longValue();
    }
    if (!(v instanceof String s) || s.isBlank()) {
      throw new IllegalArgumentException("not a number: " + v);
    }
    long out = 0;
    for (String part : s.split("\\|", -1)) {
      String t = part.strip();
      Long c = CONSTANTS.get(t);
      if (c != null) {
        out |= c;
      } else if (t.startsWith("0x")) {
        out |= Long.parseLong(t.substring(2), 16);
      } else if (t.startsWith("0") && t.length() > 1) {
        out |= Long.parseLong(t.substring(1), 8);
      } else {
        out |= Long.parseLong(t);
      }
    }
    return out;
  }

  /** A capability set: {@code all}, a list of names, or names separated by spaces. */
  static long caps(Object spec) {
    if ("all".equals(spec)) {
      return ALL_CAPS;
    }
    List<?> names = spec instanceof List<?> l ? l : List.of(String.valueOf(spec).split(" "));
    long set = 0;
    for (Object n : names) {
      int bit = CAPS.indexOf(String.valueOf(n));
      if (bit < 0) {
        throw new IllegalArgumentException("unknown capability " + n);
      }
      set |= 1L << bit;
    }
    return set;
  }
}
