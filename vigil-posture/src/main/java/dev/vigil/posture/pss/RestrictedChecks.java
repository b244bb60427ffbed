package dev.vigil.posture.pss;

import static dev.vigil.posture.pss.BaselineChecks.at;
import static dev.vigil.posture.pss.Text.containers;
import static dev.vigil.posture.pss.Text.joinQuote;
import static dev.vigil.posture.pss.Text.pluralize;

import dev.vigil.posture.manifest.Nodes;
import dev.vigil.posture.pss.PodView.Container;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;

/** The restricted checks, and the versioned sysctls check of the baseline. */
final class RestrictedChecks {
  private RestrictedChecks() {}

  /** Volume sources the restricted level allows (a volume with no source defaults to emptyDir). */
  static final Set<String> ALLOWED_VOLUMES =
      Set.of(
          "configMap",
          "csi",
          "downwardAPI",
          "emptyDir",
          "ephemeral",
          "image",
          "persistentVolumeClaim",
          "projected",
          "secret");

  /** Restricted volume sources, in the order PSA names the first one found. */
  static final List<String> RESTRICTED_VOLUMES =
      List.of(
          "hostPath",
          "gcePersistentDisk",
          "awsElasticBlockStore",
          "gitRepo",
          "nfs",
          "iscsi",
          "glusterfs",
          "rbd",
          "flexVolume",
          "cinder",
          "cephfs",
          "flocker",
          "fc",
          "azureFile",
          "vsphereVolume",
          "quobyte",
          "azureDisk",
          "photonPersistentDisk",
          "portworxVolume",
          "scaleIO",
          "storageos");

  /** The restricted source type of a volume, or null if the volume is allowed. */
  static @Nullable String restrictedType(Node volume) {
    for (String a : ALLOWED_VOLUMES) {
      if (Nodes.get(volume, a) != null) {
        return null;
      }
    }
    for (String r : RESTRICTED_VOLUMES) {
      if (Nodes.get(volume, r) != null) {
        return r;
      }
    }
    return null;
  }

  static @Nullable Failure restrictedVolumes(PodView pod) {
    List<String> bad = new ArrayList<>();
    Set<String> types = new TreeSet<>();
    List<Node> nodes = new ArrayList<>();
    for (Node v : Nodes.list(pod.spec(), "volumes")) {
      String type = restrictedType(v);
      if (type != null) {
        bad.add(Nodes.string(v, "name", ""));
        types.add(type);
        nodes.add(at(v instanceof MappingNode m ? m : null, type, v));
      }
    }
    return bad.isEmpty()
        ? null
        : new Failure(
            "restricted volume types",
            pluralize("volume", "volumes", bad.size())
                + " "
                + joinQuote(bad)
                + " "
                + pluralize("uses", "use", bad.size())
                + " "
                + pluralize("restricted volume type", "restricted volume types", types.size())
                + " "
                + joinQuote(types),
            nodes);
  }

  static @Nullable Failure allowPrivilegeEscalation18(PodView pod) {
    List<String> bad = new ArrayList<>();
    List<Node> nodes = new ArrayList<>();
    for (Container c : pod.containers()) {
      Node ape = Nodes.get(c.securityContext(), "allowPrivilegeEscalation");
      if (!Boolean.FALSE.equals(Nodes.bool(ape))) {
        bad.add(c.name());
        nodes.add(ape != null ? ape : where(c));
      }
    }
    return bad.isEmpty()
        ? null
        : new Failure(
            "allowPrivilegeEscalation != false",
            containers(bad) + " must set securityContext.allowPrivilegeEscalation=false",
            nodes);
  }

  static @Nullable Failure allowPrivilegeEscalation125(PodView pod) {
    return pod.windows() ? null : allowPrivilegeEscalation18(pod);
  }

  static @Nullable Failure runAsNonRoot10(PodView pod) {
    List<String> setters = new ArrayList<>();
    List<Node> nodes = new ArrayList<>();
    boolean podNonRoot = false;
    Node podValue = Nodes.get(pod.securityContext(), "runAsNonRoot");
    Boolean pv = Nodes.bool(podValue);
    if (podValue != null && pv != null) {
      if (!pv) {
        setters.add("pod");
        nodes.add(podValue);
      } else {
        podNonRoot = true;
      }
    }
    List<String> explicit = new ArrayList<>();
    List<String> implicit = new ArrayList<>();
    List<Node> implicitNodes = new ArrayList<>();
    for (Container c : pod.containers()) {
      Node v = Nodes.get(c.securityContext(), "runAsNonRoot");
      Boolean b = Nodes.bool(v);
      if (v != null && b != null) {
        if (!b) {
          explicit.add(c.name());
          nodes.add(v);
        }
      } else if (!podNonRoot) {
        implicit.add(c.name());
        implicitNodes.add(where(c));
      }
    }
    if (!explicit.isEmpty()) {
      setters.add(containers(explicit));
    }
    if (!setters.isEmpty()) {
      return new Failure(
          "runAsNonRoot != true",
          String.join(" and ", setters) + " must not set securityContext.runAsNonRoot=false",
          nodes);
    }
    return implicit.isEmpty()
        ? null
        : new Failure(
            "runAsNonRoot != true",
            "pod or " + containers(implicit) + " must set securityContext.runAsNonRoot=true",
            implicitNodes);
  }

  static @Nullable Failure runAsNonRoot135(PodView pod) {
    return pod.userNamespaces() ? null : runAsNonRoot10(pod);
  }

  static @Nullable Failure runAsUser123(PodView pod) {
    List<String> setters = new ArrayList<>();
    List<Node> nodes = new ArrayList<>();
    Node podUser = Nodes.get(pod.securityContext(), "runAsUser");
    Long pu = Nodes.integer(podUser);
    if (podUser != null && pu != null && pu == 0) {
      setters.add("pod");
      nodes.add(podUser);
    }
    List<String> bad = new ArrayList<>();
    for (Container c : pod.containers()) {
      Node u = Nodes.get(c.securityContext(), "runAsUser");
      Long v = Nodes.integer(u);
      if (u != null && v != null && v == 0) {
        bad.add(c.name());
        nodes.add(u);
      }
    }
    if (!bad.isEmpty()) {
      setters.add(containers(bad));
    }
    return setters.isEmpty()
        ? null
        : new Failure(
            "runAsUser=0", String.join(" and ", setters) + " must not set runAsUser=0", nodes);
  }

  static @Nullable Failure runAsUser135(PodView pod) {
    return pod.userNamespaces() ? null : runAsUser123(pod);
  }

  static @Nullable Failure seccompRestricted119(PodView pod) {
    List<String> setters = new ArrayList<>();
    Set<String> badValues = new TreeSet<>();
    List<Node> nodes = new ArrayList<>();
    boolean podSet = false;
    MappingNode podProfile = Nodes.map(pod.securityContext(), "seccompProfile");
    if (podProfile != null) {
      String t = Nodes.string(podProfile, "type", "");
      if (!BaselineChecks.validSeccomp(t)) {
        setters.add("pod");
        badValues.add(t);
        nodes.add(at(podProfile, "type", podProfile));
      } else {
        podSet = true;
      }
    }
    List<String> explicit = new ArrayList<>();
    List<String> implicit = new ArrayList<>();
    List<Node> implicitNodes = new ArrayList<>();
    for (Container c : pod.containers()) {
      MappingNode p = Nodes.map(c.securityContext(), "seccompProfile");
      if (p != null) {
        String t = Nodes.string(p, "type", "");
        if (!BaselineChecks.validSeccomp(t)) {
          explicit.add(c.name());
          badValues.add(t);
          nodes.add(at(p, "type", p));
        }
      } else if (!podSet) {
        implicit.add(c.name());
        implicitNodes.add(where(c));
      }
    }
    if (!explicit.isEmpty()) {
      setters.add(containers(explicit));
    }
    if (!setters.isEmpty()) {
      return new Failure(
          "seccompProfile",
          String.join(" and ", setters)
              + " must not set securityContext.seccompProfile.type to "
              + joinQuote(badValues),
          nodes);
    }
    return implicit.isEmpty()
        ? null
        : new Failure(
            "seccompProfile",
            "pod or "
                + containers(implicit)
                + " must set securityContext.seccompProfile.type to \"RuntimeDefault\" or"
                + " \"Localhost\"",
            implicitNodes);
  }

  static @Nullable Failure seccompRestricted125(PodView pod) {
    return pod.windows() ? null : seccompRestricted119(pod);
  }

  static @Nullable Failure capabilitiesRestricted122(PodView pod) {
    List<String> missingDrop = new ArrayList<>();
    List<String> adding = new ArrayList<>();
    Set<String> forbidden = new TreeSet<>();
    List<Node> nodes = new ArrayList<>();
    for (Container c : pod.containers()) {
      MappingNode caps = Nodes.map(c.securityContext(), "capabilities");
      if (caps == null) {
        missingDrop.add(c.name());
        nodes.add(where(c));
        continue;
      }
      boolean droppedAll = false;
      for (Node d : Nodes.list(caps, "drop")) {
        if (Nodes.string(d).orElse("").equals("ALL")) {
          droppedAll = true;
          break;
        }
      }
      if (!droppedAll) {
        missingDrop.add(c.name());
        nodes.add(at(caps, "drop", caps));
      }
      boolean added = false;
      for (Node a : Nodes.list(caps, "add")) {
        String s = Nodes.string(a).orElse("");
        if (!s.equals("NET_BIND_SERVICE")) {
          added = true;
          forbidden.add(s);
          nodes.add(a);
        }
      }
      if (added) {
        adding.add(c.name());
      }
    }
    List<String> details = new ArrayList<>();
    if (!missingDrop.isEmpty()) {
      details.add(
          containers(missingDrop) + " must set securityContext.capabilities.drop=[\"ALL\"]");
    }
    if (!adding.isEmpty()) {
      details.add(
          containers(adding)
              + " must not include "
              + joinQuote(forbidden)
              + " in securityContext.capabilities.add");
    }
    return details.isEmpty()
        ? null
        : new Failure("unrestricted capabilities", String.join("; ", details), nodes);
  }

  static @Nullable Failure capabilitiesRestricted125(PodView pod) {
    return pod.windows() ? null : capabilitiesRestricted122(pod);
  }

  static @Nullable Failure procMountRestricted(PodView pod) {
    return BaselineChecks.procMount10(pod);
  }

  /** The sysctls allowed from each policy version on (each set includes the earlier ones). */
  static Set<String> allowedSysctls(int minor) {
    Set<String> s =
        new LinkedHashSet<>(
            List.of(
                "kernel.shm_rmid_forced",
                "net.ipv4.ip_local_port_range",
                "net.ipv4.tcp_syncookies",
                "net.ipv4.ping_group_range",
                "net.ipv4.ip_unprivileged_port_start"));
    if (minor >= 27) {
      s.add("net.ipv4.ip_local_reserved_ports");
    }
    if (minor >= 29) {
      s.addAll(
          List.of(
              "net.ipv4.tcp_keepalive_time",
              "net.ipv4.tcp_fin_timeout",
              "net.ipv4.tcp_keepalive_intvl",
              "net.ipv4.tcp_keepalive_probes"));
    }
    if (minor >= 32) {
      s.addAll(List.of("net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem"));
    }
    if (minor >= 37) {
      s.addAll(List.of("net.ipv4.tcp_slow_start_after_idle", "net.ipv4.tcp_notsent_lowat"));
    }
    return Set.copyOf(s);
  }

  static java.util.function.Function<PodView, @Nullable Failure> sysctls(int minor) {
    Set<String> allowed = allowedSysctls(minor);
    return pod -> {
      List<String> bad = new ArrayList<>();
      List<Node> nodes = new ArrayList<>();
      for (Node s : Nodes.list(pod.securityContext(), "sysctls")) {
        String name = Nodes.string(s, "name", "");
        if (!allowed.contains(name)) {
          bad.add(name);
          nodes.add(s);
        }
      }
      return bad.isEmpty() ? null : new Failure("forbidden sysctls", String.join(", ", bad), nodes);
    };
  }

  /** Where to point for a field a container lacks: its securityContext, else the container. */
  private static Node where(Container c) {
    MappingNode sc = c.securityContext();
    return sc != null ? sc : c.node();
  }
}
