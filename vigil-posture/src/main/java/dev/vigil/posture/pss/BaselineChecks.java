package dev.vigil.posture.pss;

import static dev.vigil.posture.pss.Text.containers;
import static dev.vigil.posture.pss.Text.joinQuote;
import static dev.vigil.posture.pss.Text.pluralize;

import dev.vigil.posture.manifest.Nodes;
import dev.vigil.posture.pss.PodView.Container;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * The twelve baseline checks. Each returns null when the pod is allowed, else PSA's reason and
 * detail, built exactly as PSA builds them (container order, sorting, pluralization).
 */
final class BaselineChecks {
  private BaselineChecks() {}

  static @Nullable Failure privileged(PodView pod) {
    List<String> bad = new ArrayList<>();
    List<Node> nodes = new ArrayList<>();
    for (Container c : pod.containers()) {
      if (Nodes.isTrue(c.securityContext(), "privileged")) {
        bad.add(c.name());
        nodes.add(at(c.securityContext(), "privileged", c.node()));
      }
    }
    return bad.isEmpty()
        ? null
        : new Failure(
            "privileged", containers(bad) + " must not set securityContext.privileged=true", nodes);
  }

  static @Nullable Failure hostNamespaces(PodView pod) {
    Set<String> ns = new TreeSet<>();
    List<Node> nodes = new ArrayList<>();
    for (String f : new String[] {"hostNetwork", "hostPID", "hostIPC"}) {
      if (Nodes.isTrue(pod.spec(), f)) {
        ns.add(f);
        nodes.add(at(pod.spec(), f, pod.spec()));
      }
    }
    return ns.isEmpty() ? null : new Failure("host namespaces", String.join(", ", ns), nodes);
  }

  static @Nullable Failure hostPathVolumes(PodView pod) {
    List<String> bad = new ArrayList<>();
    List<Node> nodes = new ArrayList<>();
    for (Node v : Nodes.list(pod.spec(), "volumes")) {
      Node hp = Nodes.get(v, "hostPath");
      if (hp != null) {
        bad.add(Nodes.string(v, "name", ""));
        nodes.add(at(v instanceof MappingNode m ? m : null, "hostPath", hp));
      }
    }
    return bad.isEmpty()
        ? null
        : new Failure(
            "hostPath volumes",
            pluralize("volume", "volumes", bad.size()) + " " + joinQuote(bad),
            nodes);
  }

  static @Nullable Failure hostPorts(PodView pod) {
    List<String> bad = new ArrayList<>();
    Set<String> ports = new TreeSet<>();
    List<Node> nodes = new ArrayList<>();
    for (Container c : pod.containers()) {
      boolean valid = true;
      for (Node p : Nodes.list(c.node(), "ports")) {
        Node hp = Nodes.get(p, "hostPort");
        Long v = Nodes.integer(hp);
        if (hp != null && v != null && v != 0) {
          valid = false;
          ports.add(Long.toString(v));
          nodes.add(hp);
        }
      }
      if (!valid) {
        bad.add(c.name());
      }
    }
    return bad.isEmpty()
        ? null
        : new Failure(
            "hostPort",
            containers(bad)
                + " "
                + pluralize("uses", "use", bad.size())
                + " "
                + pluralize("hostPort", "hostPorts", ports.size())
                + " "
                + String.join(", ", ports),
            nodes);
  }

  static final Set<String> BASELINE_CAPABILITIES =
      Set.of(
          "AUDIT_WRITE",
          "CHOWN",
          "DAC_OVERRIDE",
          "FOWNER",
          "FSETID",
          "KILL",
          "MKNOD",
          "NET_BIND_SERVICE",
          "SETFCAP",
          "SETGID",
          "SETPCAP",
          "SETUID",
          "SYS_CHROOT");

  static @Nullable Failure capabilitiesBaseline(PodView pod) {
    List<String> bad = new ArrayList<>();
    Set<String> caps = new TreeSet<>();
    List<Node> nodes = new ArrayList<>();
    for (Container c : pod.containers()) {
      boolean valid = true;
      for (Node cap : Nodes.list(Nodes.map(c.securityContext(), "capabilities"), "add")) {
        String s = Nodes.string(cap).orElse("");
        if (!BASELINE_CAPABILITIES.contains(s)) {
          valid = false;
          caps.add(s);
          nodes.add(cap);
        }
      }
      if (!valid) {
        bad.add(c.name());
      }
    }
    return bad.isEmpty()
        ? null
        : new Failure(
            "non-default capabilities",
            containers(bad)
                + " must not include "
                + joinQuote(caps)
                + " in securityContext.capabilities.add",
            nodes);
  }

  static final String APPARMOR_PREFIX = "container.apparmor.security.beta.kubernetes.io/";

  static @Nullable Failure appArmorProfile(PodView pod) {
    List<String> setters = new ArrayList<>();
    Set<String> badValues = new TreeSet<>();
    List<Node> nodes = new ArrayList<>();
    MappingNode podProfile = Nodes.map(pod.securityContext(), "appArmorProfile");
    if (podProfile != null) {
      String type = Nodes.string(podProfile, "type", "");
      if (!type.equals("RuntimeDefault") && !type.equals("Localhost")) {
        setters.add("pod");
        badValues.add(type);
        nodes.add(at(podProfile, "type", podProfile));
      }
    }
    List<String> bad = new ArrayList<>();
    for (Container c : pod.containers()) {
      MappingNode p = Nodes.map(c.securityContext(), "appArmorProfile");
      if (p != null) {
        String type = Nodes.string(p, "type", "");
        if (!type.equals("RuntimeDefault") && !type.equals("Localhost")) {
          bad.add(c.name());
          badValues.add(type);
          nodes.add(at(p, "type", p));
        }
      }
    }
    if (!bad.isEmpty()) {
      setters.add(containers(bad));
    }
    Set<String> annotations = new TreeSet<>();
    for (String[] kv : pod.annotations()) {
      String v = kv[1];
      if (kv[0].startsWith(APPARMOR_PREFIX)
          && !(v.isEmpty() || v.equals("runtime/default") || v.startsWith("localhost/"))) {
        annotations.add(kv[0] + "=" + Text.goQuote(v));
        Node n = pod.annotationNode(kv[0]);
        if (n != null) {
          nodes.add(n);
        }
      }
    }
    List<String> values = new ArrayList<>(badValues);
    if (!annotations.isEmpty()) {
      values.addAll(annotations);
      setters.add(pluralize("annotation", "annotations", annotations.size()));
    }
    return setters.isEmpty()
        ? null
        : new Failure(
            pluralize("forbidden AppArmor profile", "forbidden AppArmor profiles", values.size()),
            String.join(" and ", setters)
                + " must not set AppArmor profile type to "
                + joinQuote(values),
            nodes);
  }

  private static final Set<String> SELINUX_TYPES_1_0 =
      Set.of("", "container_t", "container_init_t", "container_kvm_t");
  private static final Set<String> SELINUX_TYPES_1_31 =
      Set.of("", "container_t", "container_init_t", "container_kvm_t", "container_engine_t");

  static @Nullable Failure seLinuxOptions10(PodView pod) {
    return seLinuxOptions(pod, SELINUX_TYPES_1_0);
  }

  static @Nullable Failure seLinuxOptions131(PodView pod) {
    return seLinuxOptions(pod, SELINUX_TYPES_1_31);
  }

  private static @Nullable Failure seLinuxOptions(PodView pod, Set<String> allowed) {
    Set<String> badTypes = new TreeSet<>();
    boolean[] userRole = new boolean[2];
    List<Node> nodes = new ArrayList<>();
    List<String> setters = new ArrayList<>();
    MappingNode podOpts = Nodes.map(pod.securityContext(), "seLinuxOptions");
    if (podOpts != null && !validSeLinux(podOpts, allowed, badTypes, userRole)) {
      setters.add("pod");
      nodes.add(podOpts);
    }
    List<String> bad = new ArrayList<>();
    for (Container c : pod.containers()) {
      MappingNode o = Nodes.map(c.securityContext(), "seLinuxOptions");
      if (o != null && !validSeLinux(o, allowed, badTypes, userRole)) {
        bad.add(c.name());
        nodes.add(o);
      }
    }
    if (!bad.isEmpty()) {
      setters.add(containers(bad));
    }
    if (setters.isEmpty()) {
      return null;
    }
    // As PSA: the user and role notes are only added when a type is also forbidden.
    List<String> data = new ArrayList<>();
    if (!badTypes.isEmpty()) {
      data.add(pluralize("type", "types", badTypes.size()) + " " + joinQuote(badTypes));
      if (userRole[0]) {
        data.add("user may not be set");
      }
      if (userRole[1]) {
        data.add("role may not be set");
      }
    }
    return new Failure(
        "seLinuxOptions",
        String.join(" and ", setters)
            + " set forbidden securityContext.seLinuxOptions: "
            + String.join("; ", data),
        nodes);
  }

  private static boolean validSeLinux(
      MappingNode o, Set<String> allowed, Set<String> badTypes, boolean[] userRole) {
    boolean valid = true;
    String type = Nodes.string(o, "type", "");
    if (!allowed.contains(type)) {
      valid = false;
      badTypes.add(type);
    }
    if (!Nodes.string(o, "user", "").isEmpty()) {
      valid = false;
      userRole[0] = true;
    }
    if (!Nodes.string(o, "role", "").isEmpty()) {
      valid = false;
      userRole[1] = true;
    }
    return valid;
  }

  static @Nullable Failure procMount10(PodView pod) {
    List<String> bad = new ArrayList<>();
    Set<String> types = new TreeSet<>();
    List<Node> nodes = new ArrayList<>();
    for (Container c : pod.containers()) {
      Node pm = Nodes.get(c.securityContext(), "procMount");
      if (pm != null) {
        String v = Nodes.string(pm).orElse("");
        if (!v.equals("Default")) {
          bad.add(c.name());
          types.add(v);
          nodes.add(pm);
        }
      }
    }
    return bad.isEmpty()
        ? null
        : new Failure(
            "procMount",
            containers(bad) + " must not set securityContext.procMount to " + joinQuote(types),
            nodes);
  }

  static @Nullable Failure procMount135(PodView pod) {
    return pod.userNamespaces() ? null : procMount10(pod);
  }

  static final String SECCOMP_POD = "seccomp.security.alpha.kubernetes.io/pod";
  static final String SECCOMP_CONTAINER = "container.seccomp.security.alpha.kubernetes.io/";

  private static boolean validSeccompAnnotation(String v) {
    return v.equals("runtime/default") || v.equals("docker/default") || v.startsWith("localhost/");
  }

  static @Nullable Failure seccompBaseline10(PodView pod) {
    Set<String> forbidden = new TreeSet<>();
    List<Node> nodes = new ArrayList<>();
    String podValue = pod.annotation(SECCOMP_POD);
    if (podValue != null && !validSeccompAnnotation(podValue)) {
      forbidden.add(SECCOMP_POD + "=" + Text.goQuote(podValue));
      addIfPresent(nodes, pod.annotationNode(SECCOMP_POD));
    }
    for (Container c : pod.containers()) {
      String key = SECCOMP_CONTAINER + c.name();
      String v = pod.annotation(key);
      if (v != null && !validSeccompAnnotation(v)) {
        forbidden.add(key + "=" + Text.goQuote(v));
        addIfPresent(nodes, pod.annotationNode(key));
      }
    }
    return forbidden.isEmpty()
        ? null
        : new Failure(
            "seccompProfile",
            "forbidden "
                + pluralize("annotation", "annotations", forbidden.size())
                + " "
                + String.join(", ", forbidden),
            nodes);
  }

  static boolean validSeccomp(String type) {
    return type.equals("Localhost") || type.equals("RuntimeDefault");
  }

  static @Nullable Failure seccompBaseline119(PodView pod) {
    List<String> setters = new ArrayList<>();
    Set<String> badValues = new TreeSet<>();
    List<Node> nodes = new ArrayList<>();
    MappingNode podProfile = Nodes.map(pod.securityContext(), "seccompProfile");
    if (podProfile != null) {
      String t = Nodes.string(podProfile, "type", "");
      if (!validSeccomp(t)) {
        setters.add("pod");
        badValues.add(t);
        nodes.add(at(podProfile, "type", podProfile));
      }
    }
    List<String> bad = new ArrayList<>();
    for (Container c : pod.containers()) {
      MappingNode p = Nodes.map(c.securityContext(), "seccompProfile");
      if (p != null) {
        String t = Nodes.string(p, "type", "");
        if (!validSeccomp(t)) {
          bad.add(c.name());
          badValues.add(t);
          nodes.add(at(p, "type", p));
        }
      }
    }
    if (!bad.isEmpty()) {
      setters.add(containers(bad));
    }
    return setters.isEmpty()
        ? null
        : new Failure(
            "seccompProfile",
            String.join(" and ", setters)
                + " must not set securityContext.seccompProfile.type to "
                + joinQuote(badValues),
            nodes);
  }

  static @Nullable Failure windowsHostProcess(PodView pod) {
    List<String> bad = new ArrayList<>();
    List<Node> nodes = new ArrayList<>();
    List<String> setters = new ArrayList<>();
    for (Container c : pod.containers()) {
      MappingNode w = Nodes.map(c.securityContext(), "windowsOptions");
      if (Nodes.isTrue(w, "hostProcess")) {
        bad.add(c.name());
        nodes.add(at(w, "hostProcess", c.node()));
      }
    }
    MappingNode podW = Nodes.map(pod.securityContext(), "windowsOptions");
    if (Nodes.isTrue(podW, "hostProcess")) {
      setters.add("pod");
      nodes.add(0, at(podW, "hostProcess", pod.spec()));
    }
    if (!bad.isEmpty()) {
      setters.add(containers(bad));
    }
    return setters.isEmpty()
        ? null
        : new Failure(
            "hostProcess",
            String.join(" and ", setters)
                + " must not set securityContext.windowsOptions.hostProcess=true",
            nodes);
  }

  static @Nullable Failure hostProbesAndHostLifecycle(PodView pod) {
    Set<String> bad = new TreeSet<>();
    Set<String> hosts = new TreeSet<>();
    List<Node> nodes = new ArrayList<>();
    for (Container c : pod.containers()) {
      MappingNode lifecycle = Nodes.map(c.node(), "lifecycle");
      Node[] handlers = {
        Nodes.get(c.node(), "livenessProbe"),
        Nodes.get(c.node(), "readinessProbe"),
        Nodes.get(c.node(), "startupProbe"),
        Nodes.get(lifecycle, "postStart"),
        Nodes.get(lifecycle, "preStop")
      };
      for (Node h : handlers) {
        for (String kind : new String[] {"httpGet", "tcpSocket"}) {
          Node host = Nodes.get(Nodes.map(h, kind), "host");
          String v = Nodes.string(host).orElse("");
          if (host != null && !v.isEmpty()) {
            bad.add(c.name());
            hosts.add(v);
            nodes.add(host);
          }
        }
      }
    }
    return bad.isEmpty()
        ? null
        : new Failure(
            "probe or lifecycle host",
            containers(bad)
                + " "
                + pluralize("uses", "use", bad.size())
                + " "
                + pluralize("probe or lifecycle host", "probe or lifecycle hosts", hosts.size())
                + " "
                + joinQuote(hosts),
            nodes);
  }

  /** The node to point at for {@code key}: a scalar value, or the key of a collection. */
  static Node at(@Nullable MappingNode map, String key, Node orElse) {
    org.snakeyaml.engine.v2.nodes.NodeTuple t = Nodes.entry(map, key);
    if (t == null) {
      return orElse;
    }
    return t.getValueNode() instanceof org.snakeyaml.engine.v2.nodes.ScalarNode
        ? t.getValueNode()
        : t.getKeyNode();
  }

  private static void addIfPresent(List<Node> nodes, @Nullable Node n) {
    if (n != null) {
      nodes.add(n);
    }
  }
}
