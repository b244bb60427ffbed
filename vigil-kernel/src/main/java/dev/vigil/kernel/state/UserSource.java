package dev.vigil.kernel.state;

/** Where the state finds user and group names for a process's ids. */
public interface UserSource {
  /** The databases that apply to a process of {@code container} (pid for reading its root). */
  Users.Db of(ContainerInfo container, int pid);
}
