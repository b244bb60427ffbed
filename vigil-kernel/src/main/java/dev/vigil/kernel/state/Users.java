package dev.vigil.kernel.state;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * User and group names for ids, from the host's {@code /etc/passwd} and {@code /etc/group} and, for
 * a container, from its own (read through a process's {@code /proc/PID/root}). Cached per
 * container; unknown ids have the name {@code ""} (fields then show no value, as in Falco). The
 * host's files are read again when they change (checked at most once a second), so that users added
 * while Vigil runs get their names, as Falco looks them up.
 */
public final class Users implements UserSource {
  /** The names of one root filesystem. */
  public record Db(Map<Integer, String> users, Map<Integer, String> groups) {
    public Db {
      users = Map.copyOf(users);
      groups = Map.copyOf(groups);
    }

    public String user(int uid) {
      return users.getOrDefault(uid, "");
    }

    public String group(int gid) {
      return groups.getOrDefault(gid, "");
    }
  }

  private static final long RECHECK_NANOS = 1_000_000_000L;

  private final Path root;
  private final Path procRoot;
  private final long recheckNanos;
  private Db host;
  private List<FileTime> hostStamp;
  private long checkedAt;
  private final Map<String, Db> byContainer = new HashMap<>();

  public Users() {
    this(Path.of("/"));
  }

  /** Reads the host's databases under {@code root} (tests pass a directory). */
  public Users(Path root) {
    this(root, RECHECK_NANOS);
  }

  Users(Path root, long recheckNanos) {
    this.root = root;
    this.procRoot = root.resolve("proc");
    this.recheckNanos = recheckNanos;
    this.hostStamp = stamp(root);
    this.host = read(root);
    this.checkedAt = System.nanoTime();
  }

  public Db host() {
    return host;
  }

  /** The host's databases, read again if their files changed (a new instance then). */
  private Db currentHost() {
    long now = System.nanoTime();
    if (now - checkedAt >= recheckNanos) {
      checkedAt = now;
      List<FileTime> stamp = stamp(root);
      if (!stamp.equals(hostStamp)) {
        hostStamp = stamp;
        host = read(root);
      }
    }
    return host;
  }

  private static List<FileTime> stamp(Path root) {
    List<FileTime> out = new ArrayList<>(2);
    for (String f : List.of("etc/passwd", "etc/group")) {
      try {
        out.add(Files.getLastModifiedTime(root.resolve(f)));
      } catch (IOException e) {
        out.add(FileTime.fromMillis(0));
      }
    }
    return out;
  }

  /** The databases of {@code container}, read through process {@code pid}'s root on first use. */
  @Override
  public Db of(ContainerInfo container, int pid) {
    if (container.isHost()) {
      return currentHost();
    }
    Db db = byContainer.get(container.id());
    if (db == null) {
      Path root = procRoot.resolve(Integer.toString(pid)).resolve("root");
      db = read(root);
      if (db.users().isEmpty()) {
        return currentHost(); // the process is gone or its root is unreadable: try again later
      }
      byContainer.put(container.id(), db);
    }
    return db;
  }

  private static Db read(Path root) {
    return new Db(parse(root.resolve("etc/passwd")), parse(root.resolve("etc/group")));
  }

  /** {@code name:x:id:...} lines → id → name (the first name wins for a shared id). */
  static Map<Integer, String> parse(Path file) {
    Map<Integer, String> out = new HashMap<>();
    try {
      if (!Files.isRegularFile(file) || Files.size(file) > 16 << 20) {
        return out;
      }
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        String[] f = line.split(":", 4);
        if (f.length < 3 || f[0].isEmpty() || f[0].startsWith("#")) {
          continue;
        }
        try {
          out.putIfAbsent(Integer.parseInt(f[2].strip()), f[0]);
        } catch (NumberFormatException e) {
          // not an account line
        }
      }
    } catch (IOException | RuntimeException e) {
      return out;
    }
    return out;
  }
}
