package dev.vigil.kernel.fields;

import dev.vigil.event.Extractor;
import dev.vigil.event.FieldType;
import dev.vigil.kernel.event.SyscallEvent;
import dev.vigil.kernel.state.ContainerInfo;
import dev.vigil.kernel.state.ProcessInfo;
import dev.vigil.kernel.state.ThreadInfo;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import org.jspecify.annotations.Nullable;

/** {@code user.*}, {@code group.*}, {@code container.*} and {@code k8s.*}. */
final class IdentityFields {
  private IdentityFields() {}

  static @Nullable Extractor<SyscallEvent> of(String name, String arg) {
    return switch (name) {
      case "user.uid" -> thread(FieldType.UINT32, ThreadInfo::uid);
      case "user.name" -> threadText(ThreadInfo::userName);
      case "user.loginuid" -> thread(FieldType.INT64, ThreadInfo::loginuid);
      case "user.loginname" -> threadText(ThreadInfo::loginName);
      case "group.gid" -> thread(FieldType.UINT32, ThreadInfo::gid);
      case "group.name" -> threadText(ThreadInfo::groupName);
      case "container.id" -> container(ContainerInfo::id);
      case "container.name" -> container(ContainerInfo::name);
      case "container.image" -> container(ContainerInfo::image);
      case "container.image.repository" -> container(ContainerInfo::imageRepository);
      case "container.image.tag" -> container(ContainerInfo::imageTag);
      case "container.privileged" -> containerFlag(ContainerInfo::privileged);
      case "container.host_network" -> containerFlag(ContainerInfo::hostNetwork);
      case "container.host_pid" -> containerFlag(ContainerInfo::hostPid);
      case "container.start_ts" ->
          X.num(
              FieldType.ABSTIME,
              e -> started(e) != null,
              e -> java.util.Objects.requireNonNull(started(e)).startTs());
      case "container.duration" ->
          X.num(
              FieldType.RELTIME,
              e -> started(e) != null,
              e -> e.timestamp() - java.util.Objects.requireNonNull(started(e)).startTs());
      case "container.mounts" ->
          container(c ->
              String.join(
                  ",",
                  c.mounts().stream()
                      .map(m ->
                          m.source()
                              + ":"
                              + m.dest()
                              + ":"
                              + m.mode()
                              + ":"
                              + m.rdwr()
                              + ":"
                              + m.propagation())
                      .toList()));
      case "container.mount.dest" -> mount(arg, ContainerInfo.Mount::dest);
      case "container.mount.source" -> mount(arg, ContainerInfo.Mount::source);
      case "container.mount.mode" -> mount(arg, ContainerInfo.Mount::mode);
      case "container.mount.rdwr" -> mount(arg, m -> Boolean.toString(m.rdwr()));
      case "container.mount.propagation" -> mount(arg, ContainerInfo.Mount::propagation);
      case "container.label" -> container(c -> c.labels().get(arg));
      case "k8s.pod.name" -> pod(ContainerInfo::podName);
      case "k8s.ns.name" -> pod(ContainerInfo::namespace);
      default -> null;
    };
  }

  private static Extractor<SyscallEvent> thread(FieldType type, ToLongFunction<ThreadInfo> f) {
    return X.num(
        type,
        e -> e.thread() != null,
        e -> f.applyAsLong(java.util.Objects.requireNonNull(e.thread())));
  }

  private static Extractor<SyscallEvent> threadText(Function<ThreadInfo, String> f) {
    return X.text(
        FieldType.CHARBUF,
        e -> {
          ThreadInfo t = e.thread();
          if (t == null) {
            return null;
          }
          String v = f.apply(t);
          return v.isEmpty() ? null : v;
        });
  }

  private static @Nullable ContainerInfo containerOf(SyscallEvent e) {
    ProcessInfo p = X.proc(e);
    return p == null ? null : p.container();
  }

  private static Extractor<SyscallEvent> container(Function<ContainerInfo, @Nullable String> f) {
    return X.text(
        FieldType.CHARBUF,
        e -> {
          ContainerInfo c = containerOf(e);
          return c == null ? null : f.apply(c);
        });
  }

  private static Extractor<SyscallEvent> containerFlag(
      java.util.function.Predicate<ContainerInfo> f) {
    return X.bool(
        e -> containerOf(e) != null, e -> f.test(java.util.Objects.requireNonNull(containerOf(e))));
  }

  private static @Nullable ContainerInfo started(SyscallEvent e) {
    ContainerInfo c = containerOf(e);
    return c != null && c.startTs() > 0 ? c : null;
  }

  /** A pod attribute; no value outside Kubernetes pods. */
  private static Extractor<SyscallEvent> pod(Function<ContainerInfo, String> f) {
    return X.text(
        FieldType.CHARBUF,
        e -> {
          ContainerInfo c = containerOf(e);
          if (c == null) {
            return null;
          }
          String v = f.apply(c);
          return v.isEmpty() ? null : v;
        });
  }

  /** {@code container.mount.*[N]} by index, or {@code [pattern]} by source path glob. */
  private static Extractor<SyscallEvent> mount(
      String arg, Function<ContainerInfo.Mount, String> f) {
    boolean index = !arg.isEmpty() && arg.chars().allMatch(Character::isDigit);
    return container(c -> {
      List<ContainerInfo.Mount> ms = c.mounts();
      if (index) {
        int i = Integer.parseInt(arg);
        return i < ms.size() ? f.apply(ms.get(i)) : null;
      }
      for (ContainerInfo.Mount m : ms) {
        if (globMatch(arg, m.source())) {
          return f.apply(m);
        }
      }
      return null;
    });
  }

  private static boolean globMatch(String pattern, String s) {
    java.nio.file.PathMatcher m =
        java.nio.file.FileSystems.getDefault().getPathMatcher("glob:" + pattern.replace("*", "**"));
    return m.matches(java.nio.file.Path.of(s));
  }
}
