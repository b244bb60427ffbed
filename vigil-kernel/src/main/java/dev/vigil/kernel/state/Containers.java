package dev.vigil.kernel.state;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Container identity from cgroup paths, and metadata from the runtimes' own files.
 *
 * <p>The id is found in a cgroup path as the container runtimes lay them out: a 64-hex-digit
 * component ({@code /docker/<id>}, {@code /kubepods/burstable/pod<uid>/<id>}, runc with a
 * dockerd-style {@code cgroupsPath}), or a systemd scope ({@code docker-<id>.scope}, {@code
 * cri-containerd-<id>.scope}, {@code crio-<id>.scope}, {@code libpod-<id>.scope}). Everything else
 * is the host. Vigil reports the first 12 digits, as Falco does.
 *
 * <p>Metadata (name, image, privileged, mounts, Kubernetes pod and namespace) comes from runc's
 * state ({@code /run/runc}, containerd's and docker's runc roots) and the OCI bundle's {@code
 * config.json} annotations, or docker's {@code config.v2.json}. Containers seen before their
 * runtime wrote its files are looked up again later.
 */
public final class Containers implements ContainerSource {
  private static final long RETRY_NANOS = 200_000_000L;

  private final Path root;
  private final Map<String, ContainerInfo> known = new HashMap<>();
  private final Map<String, Long> incompleteSince = new HashMap<>();

  /** Containers as this machine's root filesystem describes them. */
  public Containers() {
    this(Path.of("/"));
  }

  /** Containers as the filesystem under {@code root} describes them (tests). */
  public Containers(Path root) {
    this.root = root;
  }

  /**
   * The container id in a cgroup description: Vigil's probe format ({@code
   * memory=/a/b\0unified=/c\0}) or {@code /proc/PID/cgroup} lines; {@code host} if none.
   */
  public static String idOf(String cgroups) {
    int i = 0;
    int n = cgroups.length();
    while (i < n) {
      int end = i;
      while (end < n
          && cgroups.charAt(end) != '/'
          && cgroups.charAt(end) != '\0'
          && cgroups.charAt(end) != '\n') {
        end++;
      }
      String id = idInComponent(cgroups, i, end);
      if (!id.isEmpty()) {
        return id;
      }
      i = end + 1;
    }
    return ContainerInfo.HOST.id();
  }

  private static String idInComponent(String s, int from, int to) {
    int len = to - from;
    if (len < 64) {
      return "";
    }
    if (len == 64 && isHex(s, from, to)) {
      return s.substring(from, from + 12);
    }
    if (s.startsWith(".scope", to - 6)) {
      int idStart = to - 6 - 64;
      if (idStart >= from && isHex(s, idStart, to - 6)) {
        String prefix = s.substring(from, idStart);
        if (prefix.equals("docker-")
            || prefix.equals("cri-containerd-")
            || prefix.equals("crio-")
            || prefix.equals("libpod-")) {
          return s.substring(idStart, idStart + 12);
        }
      }
    }
    int colon = s.lastIndexOf(':', to - 1);
    if (colon >= from && to - colon - 1 == 64 && isHex(s, colon + 1, to)) {
      return s.substring(colon + 1, colon + 13);
    }
    return "";
  }

  private static boolean isHex(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  /** The container a cgroup description belongs to, with what is known about it now. */
  @Override
  public ContainerInfo of(String cgroups, long nowNanos) {
    String id = idOf(cgroups);
    if (id.equals(ContainerInfo.HOST.id())) {
      return ContainerInfo.HOST;
    }
    ContainerInfo c = known.get(id);
    Long since = incompleteSince.get(id);
    if (c != null && (since == null || nowNanos - since < RETRY_NANOS)) {
      return c;
    }
    Optional<ContainerInfo> meta = lookup(id, fullId(cgroups, id));
    ContainerInfo info = meta.orElseGet(() -> bare(id));
    known.put(id, info);
    if (meta.isPresent()) {
      incompleteSince.remove(id);
    } else {
      incompleteSince.put(id, nowNanos);
    }
    return info;
  }

  private static ContainerInfo bare(String id) {
    return new ContainerInfo(id, "", "", "", false, false, false, 0, "", "", List.of(), Map.of());
  }

  private static String fullId(String cgroups, String shortId) {
    int at = cgroups.indexOf(shortId);
    while (at >= 0) {
      if (at + 64 <= cgroups.length() && isHex(cgroups, at, at + 64)) {
        return cgroups.substring(at, at + 64);
      }
      at = cgroups.indexOf(shortId, at + 1);
    }
    return shortId;
  }

  // ---- runtime metadata -------------------------------------------------------------------------

  private Optional<ContainerInfo> lookup(String shortId, String fullId) {
    Optional<ContainerInfo> docker = docker(fullId);
    if (docker.isPresent()) {
      return docker;
    }
    for (String dir :
        List.of(
            "run/runc",
            "run/docker/runtime-runc/moby",
            "run/containerd/runc/k8s.io",
            "run/containerd/runc/default",
            "run/containerd/runc/moby")) {
      Optional<ContainerInfo> c = runc(root.resolve(dir), shortId, fullId);
      if (c.isPresent()) {
        return c;
      }
    }
    return Optional.empty();
  }

  private Optional<ContainerInfo> docker(String fullId) {
    Path cfg = root.resolve("var/lib/docker/containers").resolve(fullId).resolve("config.v2.json");
    Optional<Object> json = read(cfg);
    if (json.isEmpty()) {
      return Optional.empty();
    }
    Object j = json.get();
    String name = Json.str(j, "Name");
    if (name.startsWith("/")) {
      name = name.substring(1);
    }
    String[] image = splitImage(Json.str(j, "Config", "Image"));
    Map<String, String> labels = strings(Json.obj(j, "Config", "Labels"));
    List<ContainerInfo.Mount> mounts = new ArrayList<>();
    for (Object m : Json.obj(j, "MountPoints").values()) {
      mounts.add(
          new ContainerInfo.Mount(
              Json.str(m, "Source"),
              Json.str(m, "Destination"),
              Json.bool(m, "RW") ? "rw" : "ro",
              Json.bool(m, "RW"),
              Json.str(m, "Propagation")));
    }
    return Optional.of(
        new ContainerInfo(
            fullId.substring(0, Math.min(12, fullId.length())),
            name,
            image[0],
            image[1],
            false,
            false,
            false,
            time(Json.str(j, "Created")),
            labels.getOrDefault("io.kubernetes.pod.name", ""),
            labels.getOrDefault("io.kubernetes.pod.namespace", ""),
            mounts,
            labels));
  }

  /** Finds the runc state whose cgroup path holds the id. */
  private Optional<ContainerInfo> runc(Path stateRoot, String shortId, String fullId) {
    if (!Files.isDirectory(stateRoot)) {
      return Optional.empty();
    }
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(stateRoot)) {
      for (Path d : dirs) {
        Optional<Object> state = read(d.resolve("state.json"));
        if (state.isEmpty()) {
          continue;
        }
        Object s = state.get();
        String cgroupPath = Json.str(s, "config", "cgroups", "path");
        String runcId = Json.str(s, "id");
        if (!cgroupPath.contains(shortId)
            && !runcId.equals(fullId)
            && !runcId.startsWith(shortId)) {
          continue;
        }
        return Optional.of(fromRunc(shortId, runcId, s));
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  private ContainerInfo fromRunc(String shortId, String runcId, Object state) {
    String bundle = "";
    for (Object l : Json.list(state, "config", "labels")) {
      if (l instanceof String s && s.startsWith("bundle=")) {
        bundle = s.substring("bundle=".length());
      }
    }
    Object config =
        bundle.isEmpty()
            ? null
            : read(root.resolve(bundle.substring(1)).resolve("config.json")).orElse(null);
    Map<String, String> ann = strings(Json.obj(config, "annotations"));
    String name =
        first(
            ann,
            "io.kubernetes.cri.container-name",
            "io.kubernetes.container.name",
            "nerdctl/name");
    if (name.isEmpty()) {
      name = runcId;
    }
    String[] image =
        splitImage(
            first(
                ann,
                "io.kubernetes.cri.image-name",
                "io.kubernetes.container.image",
                "org.opencontainers.image.ref.name",
                "vigil.image"));
    List<Object> caps = Json.list(config, "process", "capabilities", "effective");
    boolean privileged =
        caps.contains("CAP_SYS_ADMIN")
            && caps.contains("CAP_SYS_MODULE")
            && Json.list(config, "linux", "maskedPaths").isEmpty();
    boolean hostNetwork = true;
    boolean hostPid = true;
    for (Object ns : Json.list(config, "linux", "namespaces")) {
      String type = Json.str(ns, "type");
      if (type.equals("network") && Json.str(ns, "path").isEmpty()) {
        hostNetwork = false;
      }
      if (type.equals("pid") && Json.str(ns, "path").isEmpty()) {
        hostPid = false;
      }
    }
    List<ContainerInfo.Mount> mounts = new ArrayList<>();
    for (Object m : Json.list(config, "mounts")) {
      List<Object> options = Json.list(m, "options");
      boolean ro = options.contains("ro");
      String propagation = "";
      for (Object o : options) {
        if (o instanceof String s
            && (s.endsWith("private") || s.endsWith("shared") || s.endsWith("slave"))) {
          propagation = s;
        }
      }
      mounts.add(
          new ContainerInfo.Mount(
              Json.str(m, "source"),
              Json.str(m, "destination"),
              ro ? "ro" : "rw",
              !ro,
              propagation));
    }
    return new ContainerInfo(
        shortId,
        name,
        image[0],
        image[1],
        privileged,
        hostNetwork,
        hostPid,
        time(Json.str(state, "created")),
        first(ann, "io.kubernetes.cri.sandbox-name", "io.kubernetes.pod.name"),
        first(ann, "io.kubernetes.cri.sandbox-namespace", "io.kubernetes.pod.namespace"),
        mounts,
        ann);
  }

  private static String first(Map<String, String> m, String... keys) {
    for (String k : keys) {
      String v = m.get(k);
      if (v != null && !v.isEmpty()) {
        return v;
      }
    }
    return "";
  }

  /** {@code repo[:tag][@digest]} → repository and tag ({@code latest} when neither is given). */
  static String[] splitImage(String image) {
    if (image.isEmpty()) {
      return new String[] {"", ""};
    }
    String ref = image;
    int at = ref.indexOf('@');
    if (at >= 0) {
      ref = ref.substring(0, at);
    }
    int slash = ref.lastIndexOf('/');
    int colon = ref.lastIndexOf(':');
    if (colon > slash) {
      return new String[] {ref.substring(0, colon), ref.substring(colon + 1)};
    }
    return new String[] {ref, at >= 0 ? "" : "latest"};
  }

  private static Map<String, String> strings(Map<String, Object> m) {
    Map<String, String> out = new LinkedHashMap<>();
    m.forEach((k, v) -> {
      if (v instanceof String s) {
        out.put(k, s);
      }
    });
    return out;
  }

  private static long time(String iso) {
    if (iso.isEmpty()) {
      return 0;
    }
    try {
      Instant t = Instant.parse(iso);
      return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    } catch (DateTimeParseException e) {
      return 0;
    }
  }

  private static Optional<Object> read(Path p) {
    try {
      if (!Files.isRegularFile(p) || Files.size(p) > 4 << 20) {
        return Optional.empty();
      }
      return Json.parse(Files.readString(p, StandardCharsets.UTF_8));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
