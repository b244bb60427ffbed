package dev.vigil.kernel.state;

/** Where the state learns which container a cgroup belongs to, and what is known about it. */
public interface ContainerSource {
  /** The container of a cgroup description (the probe's format or /proc/PID/cgroup lines). */
  ContainerInfo of(String cgroups, long nowNanos);
}
