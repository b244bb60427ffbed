package dev.vigil.kernel.state;

import org.jspecify.annotations.Nullable;

/** Where the state heals a thread it meets for the first time in an event. */
public interface ProcSource {
  /** The thread {@code tid} of process {@code pid} as it is now, or null if unknown. */
  @Nullable ThreadInfo thread(int pid, int tid, StateTracker state);

  /** Heals nothing: for replaying captures, where /proc describes another moment. */
  static ProcSource none() {
    return (pid, tid, state) -> null;
  }
}
