package dev.vigil.kernel.state;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * User and group names for ids, from the host's {@code /etc/passwd} and {@code /etc/group} and, for
 * a container, from its own (read through a process's {@code /proc/PID/root}). Cached per
 * container; unknown ids have the name {@code ""} (fields then show no value, as in Falco).
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

  private final Path procRoot;
  private final Db host;
  private final Map<String, Db> byContainer = new HashMap<>();

  public Users() {
    this(Path.of("/"));
  }

  /** Reads the host's databases under {@code root} (tests pass a directory). */
  public Users(Path root) {
    this.procRoot = root.resolve("proc");
    this.host = read(root);
  }

  public Db host() {
    return host;
  }

  /** The databases of {@code container}, read through process {@code pid}'s root on first use. */
  @Override
  public Db of(ContainerInfo container, int pid) {
    if (container.isHost()) {
      return host;
    }
    Db db = byContainer.get(container.id());
    if (db == null) {
      Path root = procRoot.resolve(Integer.toString(pid)).resolve("root");
      db = read(root);
      if (db.users().isEmpty()) {
        return host; // the process is gone or its root is unreadable: try again next time
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
