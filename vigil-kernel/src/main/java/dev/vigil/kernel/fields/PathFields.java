package dev.vigil.kernel.fields;

import dev.vigil.event.EventTypes;
import dev.vigil.event.Extractor;
import dev.vigil.event.FieldType;
import dev.vigil.kernel.event.SyscallEvent;
import dev.vigil.kernel.state.ProcessInfo;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * {@code fs.path.*} and {@code evt.abspath}: paths of syscalls that take path names (mkdir, unlink,
 * rename, link, symlink...), made absolute against the process's working directory.
 */
final class PathFields {
  private static final List<String> NAME = List.of("path", "name", "pathname", "filename");
  private static final List<String> SOURCE = List.of("oldpath", "target");
  private static final List<String> TARGET = List.of("newpath", "linkpath");

  private PathFields() {}

  static @Nullable Extractor<SyscallEvent> of(String name, EventTypes types) {
    return switch (name) {
      case "fs.path.name" -> path(types, NAME, true);
      case "fs.path.nameraw" -> path(types, NAME, false);
      case "fs.path.source" -> path(types, SOURCE, true);
      case "fs.path.sourceraw" -> path(types, SOURCE, false);
      case "fs.path.target" -> path(types, TARGET, true);
      case "fs.path.targetraw" -> path(types, TARGET, false);
      default -> null;
    };
  }

  /**
   * {@code evt.abspath}, {@code evt.abspath.src}, {@code evt.abspath.dst}: the path parameter of
   * the call made absolute ({@code name} of openat/unlinkat, {@code path} of mkdirat, {@code
   * filename} of fchmodat, {@code pathname} of fchownat, {@code linkpath} of symlinkat, the old or
   * new path of renameat/linkat). A symlink's {@code target} is its content, not a path of the
   * call, and is never made absolute.
   */
  static Extractor<SyscallEvent> abspath(EventTypes types, String arg) {
    return switch (arg) {
      case "dst" -> path(types, TARGET, true);
      case "src" -> path(types, List.of("oldpath", "linkpath", "name", "path"), true);
      default ->
          path(types, List.of("name", "path", "filename", "pathname", "linkpath", "oldpath"), true);
    };
  }

  private static Extractor<SyscallEvent> path(
      EventTypes types, List<String> candidates, boolean absolute) {
    int[][] idx = new int[candidates.size()][];
    for (int i = 0; i < candidates.size(); i++) {
      idx[i] = Params.indexByType(types, candidates.get(i));
    }
    return X.text(
        FieldType.CHARBUF,
        e -> {
          for (int[] c : idx) {
            int i = c[e.eventType()];
            if (i >= 0 && e.paramLength(i) >= 0) {
              String p = e.string(i);
              if (p == null) {
                return null;
              }
              return absolute ? absolute(X.proc(e), p) : p;
            }
          }
          return null;
        });
  }

  static String absolute(@Nullable ProcessInfo p, String path) {
    if (path.startsWith("/") || p == null || p.cwd().isEmpty()) {
      return path;
    }
    String cwd = p.cwd().endsWith("/") ? p.cwd() : p.cwd() + "/";
    return normalize(cwd + path);
  }

  /** Resolves {@code .} and {@code ..} textually, as libsinsp does for relative paths. */
  static String normalize(String path) {
    java.util.ArrayDeque<String> parts = new java.util.ArrayDeque<>();
    for (String c : path.split("/", -1)) {
      if (c.isEmpty() || c.equals(".")) {
        continue;
      }
      if (c.equals("..")) {
        parts.pollLast();
      } else {
        parts.addLast(c);
      }
    }
    return "/" + String.join("/", parts);
  }
}
