package dev.vigil.k8saudit.fields;

import dev.vigil.k8saudit.event.AuditEvent;
import dev.vigil.k8saudit.event.Key;
import dev.vigil.k8saudit.fields.K8sAuditFields.ListFn;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The per-container list fields ({@code ka.req.pod.containers.*} and their {@code initContainers}
 * and {@code ephemeralContainers} twins): one value per container that has the member, in document
 * order; with an index, of that container only.
 */
@SuppressWarnings("ImmutableEnumChecker") // the paths are never handed out
enum Containers {
  NAME("name"),
  IMAGE("image"),
  REPOSITORY("image.repository", "image"),
  COMMAND("command"),
  ARGS("args"),
  PRIVILEGED("privileged", "securityContext", "privileged"),
  ALLOW_PRIVILEGE_ESCALATION(
      "allow_privilege_escalation", "securityContext", "allowPrivilegeEscalation"),
  READ_ONLY_FS("read_only_fs", "securityContext", "readOnlyRootFilesystem"),
  RUN_AS_USER("run_as_user", "securityContext", "runAsUser"),
  RUN_AS_GROUP("run_as_group", "securityContext", "runAsGroup"),
  EFF_RUN_AS_USER("eff_run_as_user", "securityContext", "runAsUser"),
  EFF_RUN_AS_GROUP("eff_run_as_group", "securityContext", "runAsGroup"),
  PROC_MOUNT("proc_mount", "securityContext", "procMount"),
  ADD_CAPABILITIES("add_capabilities", "securityContext", "capabilities", "add"),
  HOST_PORT("host_port", "ports");

  private final String suffix;
  private final byte[][] path;

  Containers(String suffix, String... path) {
    this.suffix = suffix;
    this.path = Paths.keys(path.length == 0 ? new String[] {suffix} : path);
  }

  static @Nullable Containers of(String suffix) {
    for (Containers c : values()) {
      if (c.suffix.equals(suffix)) {
        return c;
      }
    }
    return null;
  }

  private static final byte[][] SPEC = Paths.keys("spec");

  ListFn list(String array, int index) {
    byte[][] arr = Paths.keys(array);
    return e -> {
      int spec = Paths.get(e, e.top(Key.REQUEST_OBJECT), SPEC);
      int containers = e.member(spec, arr[0]);
      if (!e.isArray(containers)) {
        return null;
      }
      List<String> out = new ArrayList<>();
      int i = 0;
      for (int c = e.firstElement(containers); c >= 0; c = e.nextElement(c), i++) {
        if (index >= 0 && i != index) {
          continue;
        }
        if (!add(e, spec, c, out)) {
          return null;
        }
      }
      if (index >= 0 && i <= index) {
        return null;
      }
      return out;
    };
  }

  /** Adds container {@code c}'s values; false when the whole field has no value. */
  private boolean add(AuditEvent e, int spec, int c, List<String> out) {
    switch (this) {
      case IMAGE, REPOSITORY -> {
        String image = e.text(e.member(c, path[0]));
        if (image == null || !e.isString(e.member(c, path[0]))) {
          return false;
        }
        out.add(this == IMAGE ? image : repository(image));
      }
      case EFF_RUN_AS_USER, EFF_RUN_AS_GROUP -> {
        String own = e.text(Paths.get(e, c, path));
        if (own == null) {
          own = e.text(Paths.get(e, spec, path));
        }
        out.add(own == null ? "0" : own);
      }
      case ADD_CAPABILITIES -> {
        List<String> caps = Paths.elements(e, Paths.get(e, c, path));
        if (caps != null) {
          out.addAll(caps);
        }
      }
      case HOST_PORT -> {
        int ports = e.member(c, path[0]);
        for (int p = e.firstElement(ports); p >= 0; p = e.nextElement(p)) {
          int host = e.member(p, HOST);
          String v = e.text(host >= 0 ? host : e.member(p, CONTAINER));
          if (v != null) {
            out.add(v);
          }
        }
      }
      default -> {
        String v = e.text(Paths.get(e, c, path));
        if (v != null) {
          out.add(v);
        }
      }
    }
    return true;
  }

  private static final byte[] HOST = "hostPort".getBytes(java.nio.charset.StandardCharsets.UTF_8);
  private static final byte[] CONTAINER =
      "containerPort".getBytes(java.nio.charset.StandardCharsets.UTF_8);

  /** The image without tag and digest: everything from the first ':' and from '@' is cut. */
  static String repository(String image) {
    int colon = image.indexOf(':');
    String s = colon < 0 ? image : image.substring(0, colon);
    int at = s.indexOf('@');
    return at < 0 ? s : s.substring(0, at);
  }
}
