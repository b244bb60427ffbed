package dev.vigil.posture.checks;

import dev.vigil.posture.Finding;
import dev.vigil.posture.Severity;
import dev.vigil.posture.manifest.Nodes;
import dev.vigil.posture.manifest.Workload;
import dev.vigil.posture.pss.PodView;
import dev.vigil.posture.pss.PodView.Container;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * Vigil's immutability checks: a container should not be able to change its own filesystem or gain
 * privileges at run time. Ephemeral (debug) containers are exempt: they exist to poke around.
 */
public final class Immutability {
  public static final String READ_ONLY_ROOT = "imm/readOnlyRootFilesystem";
  public static final String WRITABLE_HOST_PATH = "imm/writableHostPath";
  public static final String WRITABLE_CONFIG = "imm/writableConfigMount";
  public static final String RUN_AS_ROOT = "imm/runAsRoot";
  public static final String PRIVILEGED = "imm/privileged";
  public static final String ESCALATION = "imm/allowPrivilegeEscalation";
  public static final String MUTABLE_TAG = "imm/mutableImageTag";

  /** All immutability check IDs. */
  public static final List<String> IDS =
      List.of(
          READ_ONLY_ROOT,
          WRITABLE_HOST_PATH,
          WRITABLE_CONFIG,
          RUN_AS_ROOT,
          PRIVILEGED,
          ESCALATION,
          MUTABLE_TAG);

  private static final Set<String> CONFIG_VOLUMES =
      Set.of("configMap", "secret", "projected", "downwardAPI");

  private Immutability() {}

  public static List<Finding> check(PodView pod) {
    Workload w = pod.workload();
    List<Finding> out = new ArrayList<>();
    Map<String, String> volumeTypes = volumeTypes(pod);
    MappingNode podSc = pod.securityContext();
    for (Container c : pod.containers()) {
      if (c.field().equals("ephemeralContainers")) {
        continue;
      }
      MappingNode sc = c.securityContext();
      String who = "container \"" + c.name() + "\"";
      if (!Nodes.isTrue(sc, "readOnlyRootFilesystem")) {
        out.add(
            finding(
                w,
                READ_ONLY_ROOT,
                Severity.WARNING,
                "writable root filesystem",
                who + " does not set securityContext.readOnlyRootFilesystem=true",
                at(sc, "readOnlyRootFilesystem", c),
                "A writable root filesystem lets an attacker or a bug change the container's"
                    + " binaries and configuration at run time; drift goes unnoticed and the"
                    + " image no longer describes what runs.",
                "Set readOnlyRootFilesystem: true and mount an emptyDir at each path the app"
                    + " writes (vigil scan --fix does both, with a table of well-known images and"
                    + " --writable-path)."));
      }
      if (Nodes.isTrue(sc, "privileged")) {
        out.add(
            finding(
                w,
                PRIVILEGED,
                Severity.ERROR,
                "privileged container",
                who + " sets securityContext.privileged=true",
                at(sc, "privileged", c),
                "A privileged container has every capability and the host's devices: it can"
                    + " remount filesystems and escape to the node.",
                "Remove privileged: true (vigil scan --fix sets it to false); grant the single"
                    + " capability the app needs instead."));
      }
      Node ape = Nodes.get(sc, "allowPrivilegeEscalation");
      if (!Boolean.FALSE.equals(Nodes.bool(ape))) {
        out.add(
            finding(
                w,
                ESCALATION,
                Severity.WARNING,
                "privilege escalation allowed",
                who + " does not set securityContext.allowPrivilegeEscalation=false",
                ape != null ? ape : where(c),
                "Without no_new_privs a setuid binary in the image can make the process root.",
                "Set allowPrivilegeEscalation: false (vigil scan --fix does)."));
      }
      rootUser(w, c, sc, podSc, out);
      mounts(w, c, volumeTypes, out);
      image(w, c, out);
    }
    return out;
  }

  private static void rootUser(
      Workload w,
      Container c,
      @Nullable MappingNode sc,
      @Nullable MappingNode podSc,
      List<Finding> out) {
    Node user = Nodes.get(sc, "runAsUser");
    if (user == null) {
      user = Nodes.get(podSc, "runAsUser");
    }
    Long uid = Nodes.integer(user);
    Node nonRoot = Nodes.get(sc, "runAsNonRoot");
    if (nonRoot == null) {
      nonRoot = Nodes.get(podSc, "runAsNonRoot");
    }
    String who = "container \"" + c.name() + "\"";
    String message;
    Node at;
    if (user != null && uid != null && uid == 0) {
      message = who + " runs as user 0 (root)";
      at = user;
    } else if (!Boolean.TRUE.equals(Nodes.bool(nonRoot)) && (uid == null)) {
      message = who + " may run as root: neither runAsNonRoot=true nor a non-zero runAsUser is set";
      at = nonRoot != null ? nonRoot : where(c);
    } else {
      return;
    }
    out.add(
        finding(
            w,
            RUN_AS_ROOT,
            Severity.WARNING,
            "root user",
            message,
            at,
            "Root in the container is root on the node's files it can reach, and one kernel bug"
                + " away from root on the node.",
            "Set runAsNonRoot: true and a non-zero runAsUser (vigil scan --fix sets runAsNonRoot"
                + " and replaces runAsUser: 0 with 65532); the image must work as that user."));
  }

  private static void mounts(
      Workload w, Container c, Map<String, String> volumeTypes, List<Finding> out) {
    for (Node m : Nodes.list(c.node(), "volumeMounts")) {
      String name = Nodes.string(m, "name", "");
      String type = volumeTypes.getOrDefault(name, "");
      if (Nodes.isTrue(m, "readOnly")) {
        continue;
      }
      String path = Nodes.string(m, "mountPath", "");
      if (type.equals("hostPath")) {
        out.add(
            finding(
                w,
                WRITABLE_HOST_PATH,
                Severity.ERROR,
                "writable hostPath mount",
                "container \""
                    + c.name()
                    + "\" mounts hostPath volume \""
                    + name
                    + "\" at "
                    + path
                    + " read-write",
                m,
                "A writable hostPath lets the container change the node's files: plant binaries,"
                    + " edit kubelet or container runtime state, escape.",
                "Mount it with readOnly: true (vigil scan --fix does), or use an emptyDir or a"
                    + " PersistentVolumeClaim."));
      } else if (CONFIG_VOLUMES.contains(type)) {
        out.add(
            finding(
                w,
                WRITABLE_CONFIG,
                Severity.INFO,
                "configuration mount not read-only",
                "container \""
                    + c.name()
                    + "\" mounts "
                    + type
                    + " volume \""
                    + name
                    + "\" at "
                    + path
                    + " without readOnly: true",
                m,
                "Configuration and secrets should be immutable inputs; saying so keeps the"
                    + " intent explicit in the manifest and in policy reports.",
                "Add readOnly: true to the volumeMount (vigil scan --fix does)."));
      }
    }
  }

  private static void image(Workload w, Container c, List<Finding> out) {
    Node imageNode = Nodes.get(c.node(), "image");
    String image = Nodes.string(imageNode).orElse("");
    if (image.isEmpty() || imageNode == null || image.contains("@sha256:")) {
      return;
    }
    String tag = tag(image);
    boolean latest = tag.isEmpty() || tag.equals("latest");
    out.add(
        finding(
            w,
            MUTABLE_TAG,
            latest ? Severity.WARNING : Severity.INFO,
            latest ? "image by latest tag" : "image by tag without digest",
            "container \""
                + c.name()
                + "\" uses image "
                + image
                + (tag.isEmpty() ? " (no tag means latest)" : "")
                + " without a digest",
            imageNode,
            "A tag can be moved to other content: what runs can change without a change to the"
                + " manifest, and nodes may run different images under one name.",
            "Pin the image by digest (image: repo@sha256:...) or at least a release tag."));
  }

  /** The tag of an image reference ("" if none). */
  static String tag(String image) {
    int slash = image.lastIndexOf('/');
    int colon = image.lastIndexOf(':');
    return colon > slash ? image.substring(colon + 1) : "";
  }

  private static Map<String, String> volumeTypes(PodView pod) {
    Map<String, String> types = new HashMap<>();
    for (Node v : Nodes.list(pod.spec(), "volumes")) {
      if (v instanceof MappingNode m) {
        String type = "emptyDir";
        for (NodeTuple t : m.getValue()) {
          if (t.getKeyNode() instanceof ScalarNode k && !k.getValue().equals("name")) {
            type = k.getValue();
            break;
          }
        }
        types.put(Nodes.string(m, "name", ""), type);
      }
    }
    return types;
  }

  private static Node at(@Nullable MappingNode sc, String key, Container c) {
    Node n = Nodes.get(sc, key);
    return n != null ? n : where(c);
  }

  private static Node where(Container c) {
    MappingNode sc = c.securityContext();
    return sc != null ? sc : c.node();
  }

  private static Finding finding(
      Workload w,
      String id,
      Severity severity,
      String title,
      String message,
      Node at,
      String why,
      String fix) {
    return new Finding(id, severity, title, message, w.location(at), w.ref(), why, fix, "");
  }
}
