package dev.vigil.kernel.capture;

import dev.vigil.kernel.state.ContainerInfo;
import dev.vigil.kernel.state.ContainerSource;
import dev.vigil.kernel.state.ProcSource;
import dev.vigil.kernel.state.ThreadInfo;
import dev.vigil.kernel.state.UserSource;
import dev.vigil.kernel.state.Users;
import java.util.HashMap;
import java.util.Map;

/**
 * Wraps the live sources of state (container metadata, user databases, /proc healing) so that
 * everything they contribute is journaled into a recording, in event order. The wrapped sources
 * return cached instances, so a change is a different instance.
 */
public final class Journal implements ContainerSource, UserSource {
  private final ContainerSource containers;
  private final UserSource users;
  private final Recording recording;
  private final Map<String, ContainerInfo> lastContainer = new HashMap<>();
  private final Map<String, Users.Db> lastUsers = new HashMap<>();

  public Journal(ContainerSource containers, UserSource users, Recording recording) {
    this.containers = containers;
    this.users = users;
    this.recording = recording;
  }

  @Override
  @SuppressWarnings("ReferenceEquality") // a new instance is what a change looks like; cheap
  public ContainerInfo of(String cgroups, long nowNanos) {
    ContainerInfo c = containers.of(cgroups, nowNanos);
    if (!c.isHost() && c != lastContainer.get(c.id())) {
      lastContainer.put(c.id(), c);
      recording.container(c);
    }
    return c;
  }

  @Override
  @SuppressWarnings("ReferenceEquality")
  public Users.Db of(ContainerInfo container, int pid) {
    Users.Db db = users.of(container, pid);
    String key = container.isHost() ? ContainerInfo.HOST.id() : container.id();
    if (db != lastUsers.get(key)) {
      lastUsers.put(key, db);
      recording.users(key, db);
    }
    return db;
  }

  /** {@code proc}, with every thread it heals journaled. */
  public ProcSource healing(ProcSource proc) {
    return (pid, tid, state) -> {
      ThreadInfo t = proc.thread(pid, tid, state);
      if (t != null) {
        recording.thread(t);
      }
      return t;
    };
  }
}
