package dev.vigil.kernel.state;

import java.util.List;
import java.util.Map;

/**
 * What is known about a container (or the host, id {@code host}): runtime metadata and, for
 * Kubernetes pods, the pod's identity. Interned per container id.
 *
 * @param id container id, or {@code host}
 * @param name container name ({@code ""} if unknown)
 * @param imageRepository image repository ({@code ""} if unknown)
 * @param imageTag image tag
 * @param privileged whether it runs privileged
 * @param hostNetwork whether it shares the host's network namespace
 * @param hostPid whether it shares the host's pid namespace
 * @param startTs start time, nanoseconds since the epoch ({@code 0} if unknown)
 * @param podName Kubernetes pod name ({@code ""} outside pods)
 * @param namespace Kubernetes namespace
 * @param mounts the container's mounts
 * @param labels runtime labels
 */
public record ContainerInfo(
    String id,
    String name,
    String imageRepository,
    String imageTag,
    boolean privileged,
    boolean hostNetwork,
    boolean hostPid,
    long startTs,
    String podName,
    String namespace,
    List<Mount> mounts,
    Map<String, String> labels) {

  public static final ContainerInfo HOST =
      new ContainerInfo("host", "host", "", "", false, true, true, 0, "", "", List.of(), Map.of());

  public ContainerInfo {
    mounts = List.copyOf(mounts);
    labels = Map.copyOf(labels);
  }

  public boolean isHost() {
    return id.equals("host");
  }

  /** {@code repository:tag}, or just the repository. */
  public String image() {
    return imageTag.isEmpty() ? imageRepository : imageRepository + ":" + imageTag;
  }

  /**
   * A mount of the container.
   *
   * @param source host path
   * @param dest path in the container
   * @param mode mount mode ({@code ro}, {@code rw}...)
   * @param rdwr whether writable
   * @param propagation propagation mode
   */
  public record Mount(String source, String dest, String mode, boolean rdwr, String propagation) {}
}
