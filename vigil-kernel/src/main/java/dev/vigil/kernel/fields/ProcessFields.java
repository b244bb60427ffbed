package dev.vigil.kernel.fields;

import dev.vigil.event.Extractor;
import dev.vigil.event.FieldType;
import dev.vigil.kernel.event.SyscallEvent;
import dev.vigil.kernel.state.FdInfo;
import dev.vigil.kernel.state.ProcessInfo;
import dev.vigil.kernel.state.ThreadInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** {@code proc.*} and {@code thread.*}: the process and thread that made the call. */
final class ProcessFields {
  private ProcessFields() {}

  static @Nullable Extractor<SyscallEvent> of(String name, String arg) {
    return switch (name) {
      case "proc.name" -> X.procText(ProcessInfo::comm);
      case "proc.exe" -> X.procText(ProcessInfo::exe);
      case "proc.exepath" -> X.procText(ProcessInfo::exepath);
      case "proc.args" -> arg.isEmpty() ? X.procText(ProcessInfo::argsLine) : nthArg(arg);
      case "proc.cmdline" -> X.procText(ProcessInfo::cmdline);
      case "proc.cmdnargs" -> X.procNum(FieldType.UINT64, p -> p.args().size());
      case "proc.cmdlenargs" ->
          X.procNum(FieldType.UINT64, p -> p.args().stream().mapToInt(String::length).sum());
      case "proc.pid" -> X.procNum(FieldType.INT64, ProcessInfo::pid);
      case "proc.ppid" -> X.procNum(FieldType.INT64, ProcessInfo::ppid);
      case "proc.vpid" -> X.procNum(FieldType.INT64, ProcessInfo::vpid);
      case "proc.sid" -> X.procNum(FieldType.INT64, ProcessInfo::sid);
      case "proc.vpgid" -> X.procNum(FieldType.INT64, ProcessInfo::vpgid);
      case "proc.is_vpgid_leader" -> X.bool(e -> X.proc(e) != null, e -> isVpgidLeader(X.proc(e)));
      case "proc.tty" -> X.procNum(FieldType.UINT32, ProcessInfo::tty);
      case "proc.cwd" -> X.procText(ProcessInfo::cwd);
      case "proc.env" -> arg.isEmpty() ? X.procText(p -> String.join(" ", p.env())) : env(arg);
      case "proc.duration" ->
          X.num(
              FieldType.RELTIME,
              e -> X.proc(e) != null && start(X.proc(e)) > 0,
              e -> e.timestamp() - start(X.proc(e)));
      case "proc.is_exe_upper_layer" ->
          X.bool(e -> X.proc(e) != null, e -> flag(X.proc(e), ProcessInfo::exeUpperLayer));
      case "proc.is_exe_from_memfd" ->
          X.bool(e -> X.proc(e) != null, e -> flag(X.proc(e), ProcessInfo::exeFromMemfd));
      case "proc.is_exe_writable" ->
          X.bool(e -> X.proc(e) != null, e -> flag(X.proc(e), ProcessInfo::exeWritable));
      case "proc.exe_ino" -> exeNum(FieldType.INT64, ProcessInfo::exeIno);
      case "proc.exe_ino.ctime" -> exeNum(FieldType.ABSTIME, ProcessInfo::exeInoCtime);
      case "proc.exe_ino.mtime" -> exeNum(FieldType.ABSTIME, ProcessInfo::exeInoMtime);
      case "proc.exe_ino.ctime_duration_proc_start" ->
          exeNum(FieldType.RELTIME, p -> p.startTs() - p.exeInoCtime());
      case "proc.pname" -> X.parentText(ProcessInfo::comm);
      case "proc.pexe" -> X.parentText(ProcessInfo::exe);
      case "proc.pexepath" -> X.parentText(ProcessInfo::exepath);
      case "proc.pcmdline" -> X.parentText(ProcessInfo::cmdline);
      case "proc.aname" -> ancestor(arg, ProcessInfo::comm);
      case "proc.aexe" -> ancestor(arg, ProcessInfo::exe);
      case "proc.aexepath" -> ancestor(arg, ProcessInfo::exepath);
      case "proc.acmdline" -> ancestor(arg, ProcessInfo::cmdline);
      case "proc.apid" -> ancestor(arg, p -> Integer.toString(p.pid()));
      case "proc.sname" -> X.procText(ProcessFields::sessionLeaderName);
      case "proc.stdin.type" -> stdio(0, f -> f.kind().label());
      case "proc.stdin.name" -> stdio(0, FdInfo::name);
      case "proc.stdout.type" -> stdio(1, f -> f.kind().label());
      case "proc.stdout.name" -> stdio(1, FdInfo::name);
      case "proc.stderr.type" -> stdio(2, f -> f.kind().label());
      case "proc.stderr.name" -> stdio(2, FdInfo::name);
      case "thread.tid" -> X.num(FieldType.INT64, e -> true, SyscallEvent::tid);
      case "thread.cap_effective" -> caps(ThreadInfo::capEffective);
      case "thread.cap_permitted" -> caps(ThreadInfo::capPermitted);
      case "thread.cap_inheritable" -> caps(ThreadInfo::capInheritable);
      default -> null;
    };
  }

  private static long start(@Nullable ProcessInfo p) {
    return p == null ? 0 : p.startTs();
  }

  private static boolean flag(
      @Nullable ProcessInfo p, java.util.function.Predicate<ProcessInfo> f) {
    return p != null && f.test(p);
  }

  private static boolean isVpgidLeader(@Nullable ProcessInfo p) {
    return p != null && p.vpid() == p.vpgid();
  }

  private static Extractor<SyscallEvent> exeNum(
      FieldType type, java.util.function.ToLongFunction<ProcessInfo> f) {
    return X.num(
        type,
        e -> X.proc(e) != null && java.util.Objects.requireNonNull(X.proc(e)).exeIno() != 0,
        e -> f.applyAsLong(java.util.Objects.requireNonNull(X.proc(e))));
  }

  private static Extractor<SyscallEvent> nthArg(String arg) {
    int n = Integer.parseInt(arg);
    return X.procText(p -> n >= 1 && n <= p.args().size() ? p.args().get(n - 1) : null);
  }

  private static Extractor<SyscallEvent> env(String key) {
    String prefix = key + "=";
    return X.procText(p -> {
      for (String v : p.env()) {
        if (v.startsWith(prefix)) {
          return v.substring(prefix.length());
        }
      }
      return null;
    });
  }

  /**
   * {@code proc.aname[N]} is the N-th ancestor's value ({@code 0} is the process itself); without
   * an index, every ancestor's (parent first), for "any ancestor" comparisons.
   */
  private static Extractor<SyscallEvent> ancestor(String arg, Function<ProcessInfo, String> value) {
    if (!arg.isEmpty()) {
      int n = Integer.parseInt(arg);
      return X.text(
          FieldType.CHARBUF,
          e -> {
            ProcessInfo p = X.proc(e);
            ProcessInfo a = p == null ? null : p.ancestor(n);
            return a == null ? null : value.apply(a);
          });
    }
    return X.list(
        FieldType.CHARBUF,
        e -> {
          ProcessInfo p = X.proc(e);
          if (p == null) {
            return null;
          }
          List<String> out = new ArrayList<>(8);
          for (ProcessInfo a = p.parent(); a != null && out.size() < 64; a = a.parent()) {
            out.add(value.apply(a));
          }
          return out;
        });
  }

  private static @Nullable String sessionLeaderName(ProcessInfo p) {
    for (ProcessInfo a = p; a != null; a = a.parent()) {
      if (a.pid() == p.sid()) {
        return a.comm();
      }
    }
    return null;
  }

  private static Extractor<SyscallEvent> stdio(int fd, Function<FdInfo, String> f) {
    return X.procText(p -> {
      FdInfo info = p.fds().get(fd);
      return info == null ? null : f.apply(info);
    });
  }

  private static Extractor<SyscallEvent> caps(java.util.function.ToLongFunction<ThreadInfo> f) {
    return X.text(
        FieldType.CHARBUF,
        e -> {
          ThreadInfo t = e.thread();
          return t == null ? null : Render.capabilities(f.applyAsLong(t));
        });
  }
}
