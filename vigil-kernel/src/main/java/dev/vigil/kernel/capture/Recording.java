package dev.vigil.kernel.capture;

import dev.vigil.kernel.state.ContainerInfo;
import dev.vigil.kernel.state.StateTracker;
import dev.vigil.kernel.state.ThreadInfo;
import dev.vigil.kernel.state.Users;

/** Where a live capture journals its events and what the state learned from the machine. */
public interface Recording {
  void container(ContainerInfo c);

  void users(String containerId, Users.Db db);

  /** A thread healed from /proc. */
  void thread(ThreadInfo t);

  /** The process table when capture starts. */
  void snapshot(StateTracker state);

  /** One raw event record. */
  void event(byte[] buffer, int offset, int length);

  /** Records nothing. */
  static Recording none() {
    return new Recording() {
      @Override
      public void container(ContainerInfo c) {}

      @Override
      public void users(String containerId, Users.Db db) {}

      @Override
      public void thread(ThreadInfo t) {}

      @Override
      public void snapshot(StateTracker state) {}

      @Override
      public void event(byte[] buffer, int offset, int length) {}
    };
  }
}
