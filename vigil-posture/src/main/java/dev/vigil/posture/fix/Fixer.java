package dev.vigil.posture.fix;

import dev.vigil.posture.Finding;
import dev.vigil.posture.Scanner;
import dev.vigil.posture.checks.Immutability;
import dev.vigil.posture.fix.Patch.Scalar;
import dev.vigil.posture.manifest.Nodes;
import dev.vigil.posture.manifest.SourceText;
import dev.vigil.posture.manifest.Workload;
import dev.vigil.posture.pss.PodView;
import dev.vigil.posture.pss.PodView.Container;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Plans and renders the fixes for one scanned input: for each workload, every finding that is not
 * exempted gets the smallest change that makes its check pass, and a read-only root filesystem
 * comes with {@code emptyDir} mounts for the paths the app writes, so the app keeps running.
 */
public final class Fixer {
  /** The non-root UID used where a workload sets runAsUser: 0 (distroless's "nonroot"). */
  public static final long NON_ROOT_UID = 65532;

  private final WritablePaths writable;
  private final int minor;

  public Fixer(WritablePaths writable, dev.vigil.posture.pss.PsaVersion version) {
    this.writable = writable;
    this.minor = version.effectiveMinor();
  }

  /** The fix for one workload: its JSON Patch and notes on what was changed or left. */
  public record WorkloadFix(
      String workload,
      int document,
      String pointer,
      List<JsonPatch.Op> patch,
      List<String> notes) {}

  /** The fix of one input. {@code fixed} equals the input text when nothing changed. */
  public record FileFix(
      SourceText source, String fixed, List<Edit> edits, List<WorkloadFix> workloads) {
    public boolean changed() {
      return !edits.isEmpty();
    }
  }

  /**
   * The fix of one section (document) of an input; {@code edits} are indices into the section's
   * text, and {@code fixed} is that text with them applied.
   */
  public record SectionFix(
      SourceText source, String fixed, List<Edit> edits, List<WorkloadFix> workloads) {
    public boolean changed() {
      return !edits.isEmpty();
    }
  }

  /** Fixes a whole input, section by section. */
  public FileFix fix(Scanner.FileResult scanned) {
    SourceText src = scanned.read().source();
    List<Edit> edits = new ArrayList<>();
    List<WorkloadFix> fixes = new ArrayList<>();
    for (Scanner.SectionResult r : scanned.sections()) {
      SectionFix f = fix(r);
      int shift = f.source().charOffset() - src.charOffset();
      for (Edit e : f.edits()) {
        edits.add(new Edit(e.start() + shift, e.end() + shift, e.text()));
      }
      fixes.addAll(f.workloads());
    }
    String fixed = edits.isEmpty() ? src.text() : Edit.apply(src.text(), edits);
    return new FileFix(src, fixed, List.copyOf(edits), List.copyOf(fixes));
  }

  /** Fixes one section; only its text and nodes are needed. */
  public SectionFix fix(Scanner.SectionResult scanned) {
    SourceText src = scanned.section().text();
    List<Edit> edits = new ArrayList<>();
    List<WorkloadFix> fixes = new ArrayList<>();
    for (Scanner.WorkloadResult r : scanned.workloads()) {
      Set<String> ids = new LinkedHashSet<>();
      for (Finding f : r.findings()) {
        if (!f.exempted()) {
          ids.add(f.id());
        }
      }
      if (ids.isEmpty()) {
        continue;
      }
      Workload w = r.workload();
      Patch obj = Patch.of(w.object());
      List<String> notes = new ArrayList<>();
      plan(w, obj, ids, notes);
      if (obj.isEmpty() && notes.isEmpty()) {
        continue;
      }
      Renderer renderer = new Renderer(src, Style.of(src, w.object()));
      renderer.mapping(w.object(), obj);
      edits.addAll(renderer.edits());
      fixes.add(new WorkloadFix(w.ref(), w.document(), w.pointer(), JsonPatch.ops(obj, ""), notes));
    }
    String fixed = edits.isEmpty() ? src.text() : Edit.apply(src.text(), edits);
    return new SectionFix(src, fixed, List.copyOf(edits), List.copyOf(fixes));
  }

  private void plan(Workload w, Patch obj, Set<String> ids, List<String> notes) {
    Patch spec = obj;
    for (String key : w.specPointer().substring(1).split("/", -1)) {
      spec = spec.map(key);
    }
    Plan p = new Plan(w, new PodView(w), spec, obj, notes);
    for (String id : ids) {
      p.apply(id);
    }
  }

  /** The planning of one workload's fixes. */
  private final class Plan {
    final Workload w;
    final PodView pod;
    final Patch spec;
    final Patch obj;
    final List<String> notes;

    Plan(Workload w, PodView pod, Patch spec, Patch obj, List<String> notes) {
      this.w = w;
      this.pod = pod;
      this.spec = spec;
      this.obj = obj;
      this.notes = notes;
    }

    Patch container(Container c) {
      return spec.seq(c.field()).item(c.index());
    }

    Patch sc(Container c) {
      return container(c).map("securityContext");
    }

    Patch podSc() {
      return spec.map("securityContext");
    }

    List<Container> regular() {
      return pod.containers().stream()
          .filter(c -> !c.field().equals("ephemeralContainers"))
          .toList();
    }

    void apply(String id) {
      switch (id) {
        case "pss/privileged", Immutability.PRIVILEGED -> {
          for (Container c : pod.containers()) {
            if (Nodes.isTrue(c.securityContext(), "privileged")) {
              sc(c).set("privileged", Scalar.bool(false));
            }
          }
        }
        case "pss/hostNamespaces" -> {
          for (String f : new String[] {"hostNetwork", "hostPID", "hostIPC"}) {
            if (Nodes.isTrue(pod.spec(), f)) {
              spec.set(f, Scalar.bool(false));
              notes.add(f + " set to false: the pod no longer shares the node's namespace");
            }
          }
        }
        case "pss/hostPathVolumes", "pss/restrictedVolumes" ->
            volumes(id.equals("pss/hostPathVolumes"));
        case "pss/hostPorts" -> {
          for (Container c : pod.containers()) {
            List<Node> ports = Nodes.list(c.node(), "ports");
            for (int i = 0; i < ports.size(); i++) {
              Long v = Nodes.integer(Nodes.get(ports.get(i), "hostPort"));
              if (v != null && v != 0) {
                container(c).seq("ports").item(i).remove("hostPort");
                notes.add(
                    "hostPort "
                        + v
                        + " removed from container \""
                        + c.name()
                        + "\": expose it with a Service");
              }
            }
          }
        }
        case "pss/capabilities_baseline" -> removeCapabilities(false);
        case "pss/capabilities_restricted" -> {
          removeCapabilities(true);
          for (Container c : pod.containers()) {
            MappingNode caps = Nodes.map(c.securityContext(), "capabilities");
            boolean all =
                Nodes.list(caps, "drop").stream()
                    .anyMatch(d -> Nodes.string(d).orElse("").equals("ALL"));
            if (!all) {
              sc(c).map("capabilities").seq("drop").append(Scalar.str("ALL"));
            }
          }
        }
        case "pss/appArmorProfile" -> appArmor();
        case "pss/seLinuxOptions" -> seLinux();
        case "pss/procMount", "pss/procMount_restricted" -> {
          for (Container c : pod.containers()) {
            Node pm = Nodes.get(c.securityContext(), "procMount");
            if (pm != null && !Nodes.string(pm).orElse("").equals("Default")) {
              sc(c).set("procMount", Scalar.str("Default"));
            }
          }
        }
        case "pss/seccompProfile_baseline" -> seccomp(false);
        case "pss/seccompProfile_restricted" -> seccomp(true);
        case "pss/sysctls" -> sysctls();
        case "pss/windowsHostProcess" -> {
          if (Nodes.isTrue(Nodes.map(pod.securityContext(), "windowsOptions"), "hostProcess")) {
            podSc().map("windowsOptions").set("hostProcess", Scalar.bool(false));
          }
          for (Container c : pod.containers()) {
            if (Nodes.isTrue(Nodes.map(c.securityContext(), "windowsOptions"), "hostProcess")) {
              sc(c).map("windowsOptions").set("hostProcess", Scalar.bool(false));
            }
          }
        }
        case "pss/hostProbesAndHostLifecycle" -> probeHosts();
        case "pss/allowPrivilegeEscalation", Immutability.ESCALATION -> {
          List<Container> cs = id.startsWith("pss/") ? pod.containers() : regular();
          for (Container c : cs) {
            if (!Boolean.FALSE.equals(
                Nodes.bool(Nodes.get(c.securityContext(), "allowPrivilegeEscalation")))) {
              sc(c).set("allowPrivilegeEscalation", Scalar.bool(false));
            }
          }
        }
        case "pss/runAsNonRoot", "pss/runAsUser", Immutability.RUN_AS_ROOT -> nonRoot();
        case Immutability.READ_ONLY_ROOT -> readOnlyRoot();
        case Immutability.WRITABLE_HOST_PATH, Immutability.WRITABLE_CONFIG -> readOnlyMounts(id);
        case Immutability.MUTABLE_TAG ->
            notes.add(
                "images are not pinned by digest: Vigil cannot know the digest; pin them yourself");
        default -> {}
      }
    }

    void volumes(boolean hostPathOnly) {
      List<Node> vols = Nodes.list(pod.spec(), "volumes");
      for (int i = 0; i < vols.size(); i++) {
        String type =
            hostPathOnly
                ? (Nodes.get(vols.get(i), "hostPath") != null ? "hostPath" : null)
                : restrictedType(vols.get(i));
        if (type != null) {
          Patch v = spec.seq("volumes").item(i);
          v.remove(type);
          v.set("emptyDir", Patch.create());
          notes.add(
              "volume \""
                  + Nodes.string(vols.get(i), "name", "")
                  + "\": "
                  + type
                  + " replaced by emptyDir: the app no longer sees that storage; check it does not need it");
        }
      }
    }

    @Nullable String restrictedType(Node volume) {
      for (String a :
          List.of(
              "configMap",
              "csi",
              "downwardAPI",
              "emptyDir",
              "ephemeral",
              "image",
              "persistentVolumeClaim",
              "projected",
              "secret")) {
        if (Nodes.get(volume, a) != null) {
          return null;
        }
      }
      for (String r :
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
              "storageos")) {
        if (Nodes.get(volume, r) != null) {
          return r;
        }
      }
      return null;
    }

    void removeCapabilities(boolean restricted) {
      Set<String> baseline =
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
      for (Container c : pod.containers()) {
        List<Node> add = Nodes.list(Nodes.map(c.securityContext(), "capabilities"), "add");
        List<Integer> bad = new ArrayList<>();
        for (int i = 0; i < add.size(); i++) {
          String cap = Nodes.string(add.get(i)).orElse("");
          if (restricted ? !cap.equals("NET_BIND_SERVICE") : !baseline.contains(cap)) {
            bad.add(i);
            notes.add("capability " + cap + " no longer added to container \"" + c.name() + "\"");
          }
        }
        if (bad.isEmpty()) {
          continue;
        }
        Patch caps = sc(c).map("capabilities");
        if (bad.size() == add.size()) {
          caps.remove("add");
        } else {
          bad.forEach(i -> caps.seq("add").remove(i));
        }
      }
    }

    void appArmor() {
      MappingNode p = Nodes.map(pod.securityContext(), "appArmorProfile");
      if (p != null && !allowedProfile(Nodes.string(p, "type", ""))) {
        podSc().map("appArmorProfile").set("type", Scalar.str("RuntimeDefault"));
      }
      for (Container c : pod.containers()) {
        MappingNode cp = Nodes.map(c.securityContext(), "appArmorProfile");
        if (cp != null && !allowedProfile(Nodes.string(cp, "type", ""))) {
          sc(c).map("appArmorProfile").set("type", Scalar.str("RuntimeDefault"));
        }
      }
      for (String[] kv : pod.annotations()) {
        String v = kv[1];
        if (kv[0].startsWith("container.apparmor.security.beta.kubernetes.io/")
            && !(v.isEmpty() || v.equals("runtime/default") || v.startsWith("localhost/"))) {
          podMeta().map("annotations").set(kv[0], Scalar.str("runtime/default"));
        }
      }
    }

    boolean allowedProfile(String type) {
      return type.equals("RuntimeDefault") || type.equals("Localhost");
    }

    Patch podMeta() {
      String ptr = w.specPointer();
      Patch meta = obj;
      String[] parts = ptr.substring(1).split("/", -1);
      for (int i = 0; i < parts.length - 1; i++) {
        meta = meta.map(parts[i]);
      }
      return meta.map("metadata");
    }

    void seLinux() {
      if (Nodes.map(pod.securityContext(), "seLinuxOptions") != null) {
        podSc().remove("seLinuxOptions");
      }
      for (Container c : pod.containers()) {
        if (Nodes.map(c.securityContext(), "seLinuxOptions") != null) {
          sc(c).remove("seLinuxOptions");
        }
      }
      notes.add("seLinuxOptions removed: the runtime's default SELinux labels apply");
    }

    void seccomp(boolean requirePod) {
      MappingNode p = Nodes.map(pod.securityContext(), "seccompProfile");
      boolean podOk = p != null && allowedProfile(Nodes.string(p, "type", ""));
      if (p != null && !podOk) {
        podSc().map("seccompProfile").set("type", Scalar.str("RuntimeDefault"));
        podOk = true;
      }
      for (Container c : pod.containers()) {
        MappingNode cp = Nodes.map(c.securityContext(), "seccompProfile");
        if (cp != null && !allowedProfile(Nodes.string(cp, "type", ""))) {
          sc(c).map("seccompProfile").set("type", Scalar.str("RuntimeDefault"));
        }
      }
      if (requirePod && !podOk) {
        podSc().map("seccompProfile").set("type", Scalar.str("RuntimeDefault"));
      }
      for (String[] kv : pod.annotations()) {
        if ((kv[0].equals("seccomp.security.alpha.kubernetes.io/pod")
                || kv[0].startsWith("container.seccomp.security.alpha.kubernetes.io/"))
            && !(kv[1].equals("runtime/default")
                || kv[1].equals("docker/default")
                || kv[1].startsWith("localhost/"))) {
          podMeta().map("annotations").set(kv[0], Scalar.str("runtime/default"));
        }
      }
    }

    void sysctls() {
      List<Node> all = Nodes.list(pod.securityContext(), "sysctls");
      Set<String> allowed = dev.vigil.posture.pss.PodSecurity.allowedSysctls(minor);
      List<Integer> bad = new ArrayList<>();
      for (int i = 0; i < all.size(); i++) {
        String name = Nodes.string(all.get(i), "name", "");
        if (!allowed.contains(name)) {
          bad.add(i);
          notes.add("sysctl " + name + " removed");
        }
      }
      if (bad.size() == all.size()) {
        podSc().remove("sysctls");
      } else {
        bad.forEach(i -> podSc().seq("sysctls").remove(i));
      }
    }

    void probeHosts() {
      for (Container c : pod.containers()) {
        for (String probe : new String[] {"livenessProbe", "readinessProbe", "startupProbe"}) {
          hostIn(Nodes.get(c.node(), probe), () -> container(c).map(probe));
        }
        MappingNode lc = Nodes.map(c.node(), "lifecycle");
        for (String h : new String[] {"postStart", "preStop"}) {
          hostIn(Nodes.get(lc, h), () -> container(c).map("lifecycle").map(h));
        }
      }
    }

    void hostIn(@Nullable Node handler, java.util.function.Supplier<Patch> patch) {
      for (String kind : new String[] {"httpGet", "tcpSocket"}) {
        if (!Nodes.string(Nodes.get(Nodes.map(handler, kind), "host")).orElse("").isEmpty()) {
          patch.get().map(kind).remove("host");
          notes.add("probe/lifecycle host removed: the kubelet now connects to the pod IP");
        }
      }
    }

    void nonRoot() {
      Node podUser = Nodes.get(pod.securityContext(), "runAsUser");
      Long pu = Nodes.integer(podUser);
      if (pu != null && pu == 0) {
        podSc().set("runAsUser", Scalar.number(NON_ROOT_UID));
      }
      boolean podNonRoot = Nodes.isTrue(pod.securityContext(), "runAsNonRoot");
      boolean needPod = false;
      for (Container c : pod.containers()) {
        Long u = Nodes.integer(Nodes.get(c.securityContext(), "runAsUser"));
        if (u != null && u == 0) {
          sc(c).set("runAsUser", Scalar.number(NON_ROOT_UID));
        }
        Boolean nr = Nodes.bool(Nodes.get(c.securityContext(), "runAsNonRoot"));
        if (Boolean.FALSE.equals(nr)) {
          sc(c).set("runAsNonRoot", Scalar.bool(true));
        } else if (nr == null && !podNonRoot) {
          needPod = true;
        }
      }
      if (needPod
          || Boolean.FALSE.equals(Nodes.bool(Nodes.get(pod.securityContext(), "runAsNonRoot")))) {
        podSc().set("runAsNonRoot", Scalar.bool(true));
        notes.add(
            "runAsNonRoot: true: the image must run as a non-root user (set runAsUser if its USER is root or a name)");
      }
    }

    void readOnlyRoot() {
      Set<String> names = new LinkedHashSet<>();
      for (Node v : Nodes.list(pod.spec(), "volumes")) {
        names.add(Nodes.string(v, "name", ""));
      }
      for (Container c : regular()) {
        if (Nodes.isTrue(c.securityContext(), "readOnlyRootFilesystem")) {
          continue;
        }
        sc(c).set("readOnlyRootFilesystem", Scalar.bool(true));
        String image = Nodes.string(c.node(), "image", "");
        List<String> mounted = new ArrayList<>();
        for (Node m : Nodes.list(c.node(), "volumeMounts")) {
          mounted.add(Nodes.string(m, "mountPath", ""));
        }
        List<String> added = new ArrayList<>();
        for (String path : writable.forImage(image)) {
          if (covered(path, mounted)) {
            continue;
          }
          String name = unique(slug(c.name() + "-" + path), names);
          names.add(name);
          spec.seq("volumes")
              .append(Patch.create().set("name", Scalar.str(name)).set("emptyDir", Patch.create()));
          container(c)
              .seq("volumeMounts")
              .append(
                  Patch.create().set("name", Scalar.str(name)).set("mountPath", Scalar.str(path)));
          mounted.add(path);
          added.add(path);
        }
        notes.add(
            "container \""
                + c.name()
                + "\": read-only root filesystem"
                + (added.isEmpty() ? "" : ", emptyDir at " + String.join(", ", added))
                + (WritablePaths.known(image)
                    ? ""
                    : " (image not in the built-in table: add --writable-path for other paths it writes)"));
      }
    }

    boolean covered(String path, List<String> mounted) {
      for (String m : mounted) {
        String base = m.endsWith("/") ? m.substring(0, m.length() - 1) : m;
        if (path.equals(base) || path.startsWith(base + "/")) {
          return true;
        }
      }
      return false;
    }

    void readOnlyMounts(String id) {
      java.util.Map<String, String> types = new java.util.HashMap<>();
      for (Node v : Nodes.list(pod.spec(), "volumes")) {
        String type = "emptyDir";
        for (String t : List.of("hostPath", "configMap", "secret", "projected", "downwardAPI")) {
          if (Nodes.get(v, t) != null) {
            type = t;
          }
        }
        types.put(Nodes.string(v, "name", ""), type);
      }
      boolean host = id.equals(Immutability.WRITABLE_HOST_PATH);
      for (Container c : regular()) {
        List<Node> mounts = Nodes.list(c.node(), "volumeMounts");
        for (int i = 0; i < mounts.size(); i++) {
          String type = types.getOrDefault(Nodes.string(mounts.get(i), "name", ""), "");
          boolean match =
              host
                  ? type.equals("hostPath")
                  : Set.of("configMap", "secret", "projected", "downwardAPI").contains(type);
          if (match && !Nodes.isTrue(mounts.get(i), "readOnly")) {
            container(c).seq("volumeMounts").item(i).set("readOnly", Scalar.bool(true));
          }
        }
      }
    }
  }

  static String slug(String s) {
    String out = s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-").replaceAll("-+", "-");
    out = out.replaceAll("^-|-$", "");
    return out.length() > 63 ? out.substring(0, 63).replaceAll("-$", "") : out;
  }

  static String unique(String name, Set<String> taken) {
    String n = name;
    for (int i = 2; taken.contains(n); i++) {
      n = name + "-" + i;
    }
    return n;
  }
}
