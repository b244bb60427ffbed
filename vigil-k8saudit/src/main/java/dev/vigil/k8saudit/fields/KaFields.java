package dev.vigil.k8saudit.fields;

import dev.vigil.k8saudit.event.AuditEvent;
import dev.vigil.k8saudit.event.Key;
import dev.vigil.k8saudit.event.Prefilter;
import dev.vigil.k8saudit.fields.K8sAuditFields.ListFn;
import dev.vigil.k8saudit.fields.K8sAuditFields.StrFn;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The {@code ka.*} fields: where each one reads the event. */
final class KaFields {
  private KaFields() {}

  private static final byte[][] GROUPS = Paths.keys("groups");

  /**
   * Where the single-valued field {@code name} reads its value, when that is a fixed place: a
   * top-level member, or a member of one. Null for the other fields (and for any argument).
   */
  static Prefilter.@Nullable Field place(String name, String arg) {
    if (!arg.isEmpty()) {
      return null;
    }
    return switch (name) {
      case "ka.auditid" -> at(Key.AUDIT_ID, "");
      case "ka.stage" -> at(Key.STAGE, "");
      case "ka.verb" -> at(Key.VERB, "");
      case "ka.uri" -> at(Key.REQUEST_URI, "");
      case "ka.useragent" -> at(Key.USER_AGENT, "");
      case "ka.auth.decision" -> at(Key.ANNOTATIONS, "authorization.k8s.io/decision");
      case "ka.auth.reason" -> at(Key.ANNOTATIONS, "authorization.k8s.io/reason");
      case "ka.auth.openshift.decision" ->
          at(Key.ANNOTATIONS, "authentication.openshift.io/decision");
      case "ka.auth.openshift.username" ->
          at(Key.ANNOTATIONS, "authentication.openshift.io/username");
      case "ka.validations.admission.policy.failure" ->
          at(Key.ANNOTATIONS, "validation.policy.admission.k8s.io/validation_failure");
      case "ka.security.pod.violations" ->
          at(Key.ANNOTATIONS, "pod-security.kubernetes.io/audit-violations");
      case "ka.user.name" -> at(Key.USER, "username");
      case "ka.impuser.name" -> at(Key.IMPERSONATED_USER, "username");
      case "ka.target.name", "ka.req.configmap.name" -> at(Key.OBJECT_REF, "name");
      case "ka.target.namespace" -> at(Key.OBJECT_REF, "namespace");
      case "ka.target.resource" -> at(Key.OBJECT_REF, "resource");
      case "ka.target.subresource" -> at(Key.OBJECT_REF, "subresource");
      case "ka.response.code" -> at(Key.RESPONSE_STATUS, "code");
      case "ka.response.reason" -> at(Key.RESPONSE_STATUS, "reason");
      default -> null;
    };
  }

  private static Prefilter.Field at(Key top, String member) {
    return new Prefilter.Field(top, member);
  }

  /** The single-valued field {@code name[argument]}, or null when it is not one. */
  static @Nullable StrFn string(String name, String arg) {
    Prefilter.Field p = place(name, arg);
    if (p != null) {
      return p.member().isEmpty() ? top(p.top()) : under(p.top(), p.member());
    }
    return switch (name) {
      case "ka.target.pod.name" -> KaFields::podName;
      case "ka.uri.param" -> e -> UriParams.first(text(e, e.top(Key.REQUEST_URI)), arg);
      case "ka.req.binding.role" -> under(Key.REQUEST_OBJECT, "roleRef", "name");
      case "ka.req.binding.subject.has_name" -> e -> "true";
      case "ka.req.configmap.obj" -> under(Key.REQUEST_OBJECT, "data");
      case "ka.req.container.image" -> first(Containers.IMAGE.list("containers", -1));
      case "ka.req.container.image.repository" ->
          first(Containers.REPOSITORY.list("containers", -1));
      case "ka.req.pod.host_ipc" -> under(Key.REQUEST_OBJECT, "spec", "hostIPC");
      case "ka.req.pod.host_network", "ka.req.container.host_network" ->
          under(Key.REQUEST_OBJECT, "spec", "hostNetwork");
      case "ka.req.pod.host_pid" -> under(Key.REQUEST_OBJECT, "spec", "hostPID");
      case "ka.req.container.privileged" -> KaFields::anyPrivileged;
      case "ka.req.pod.run_as_user" ->
          under(Key.REQUEST_OBJECT, "spec", "securityContext", "runAsUser");
      case "ka.req.pod.run_as_group" ->
          under(Key.REQUEST_OBJECT, "spec", "securityContext", "runAsGroup");
      case "ka.req.pod.fs_group" -> under(Key.REQUEST_OBJECT, "spec", "securityContext", "fsGroup");
      case "ka.req.service.type" -> under(Key.REQUEST_OBJECT, "spec", "type");
      case "ka.req.volume.hostpath" -> hostPathMatch(arg);
      case "ka.resp.name" -> under(Key.RESPONSE_OBJECT, "metadata", "name");
      case "ka.cluster.name" -> e -> null;
      default -> null;
    };
  }

  /** The list field {@code name[argument]}, or null when it is not one. */
  static @Nullable ListFn list(String name, String arg) {
    int index = arg.isEmpty() ? -1 : Integer.parseInt(arg);
    if (name.startsWith("ka.req.pod.")) {
      String rest = name.substring("ka.req.pod.".length());
      for (String array : List.of("containers", "initContainers", "ephemeralContainers")) {
        if (rest.startsWith(array + ".")) {
          Containers c = Containers.of(rest.substring(array.length() + 1));
          return c == null ? null : c.list(array, index);
        }
      }
    }
    return switch (name) {
      case "ka.user.groups" -> arrayUnder(Key.USER, GROUPS);
      case "ka.sourceips" -> e -> indexed(e, e.top(Key.SOURCE_IPS), index);
      case "ka.req.binding.subjects" -> arrayUnder(Key.REQUEST_OBJECT, Paths.keys("subjects"));
      case "ka.req.binding.subjects.user_names" -> Subjects.names("User", false);
      case "ka.req.binding.subjects.serviceaccount_names" ->
          Subjects.names("ServiceAccount", false);
      case "ka.req.binding.subjects.serviceaccount_ns_names" ->
          Subjects.names("ServiceAccount", true);
      case "ka.req.binding.subjects.group_names" -> Subjects.names("Group", false);
      case "ka.req.role.rules" -> arrayUnder(Key.REQUEST_OBJECT, Paths.keys("rules"));
      case "ka.req.role.rules.apiGroups" -> rules("apiGroups", index);
      case "ka.req.role.rules.nonResourceURLs" -> rules("nonResourceURLs", index);
      case "ka.req.role.rules.verbs" -> rules("verbs", index);
      case "ka.req.role.rules.resources" -> rules("resources", index);
      case "ka.req.pod.supplemental_groups" ->
          arrayUnder(
              Key.REQUEST_OBJECT, Paths.keys("spec", "securityContext", "supplementalGroups"));
      case "ka.req.service.ports" ->
          e -> Paths.texts(e, e.top(Key.REQUEST_OBJECT), index, Paths.keys("spec", "ports"));
      case "ka.req.pod.volumes.hostpath" -> volumes(index, "hostPath", "path");
      case "ka.req.pod.volumes.flexvolume_driver" -> volumes(index, "flexVolume", "driver");
      case "ka.req.pod.volumes.volume_type" -> e -> volumeTypes(e, index);
      default -> null;
    };
  }

  static @Nullable String text(AuditEvent e, int v) {
    return e.text(v);
  }

  private static StrFn top(Key k) {
    return e -> e.text(e.top(k));
  }

  private static StrFn under(Key k, String... path) {
    byte[][] keys = Paths.keys(path);
    return e -> e.text(Paths.get(e, e.top(k), keys));
  }

  private static ListFn arrayUnder(Key k, byte[][] path) {
    return e -> Paths.elements(e, Paths.get(e, e.top(k), path));
  }

  private static @Nullable List<String> indexed(AuditEvent e, int arr, int index) {
    if (index < 0) {
      return Paths.elements(e, arr);
    }
    int el = e.element(arr, index);
    String t = e.text(el);
    return t == null ? null : List.of(t);
  }

  private static StrFn first(ListFn f) {
    return e -> {
      List<String> v = f.apply(e);
      return v == null || v.isEmpty() ? null : v.getFirst();
    };
  }

  private static @Nullable String podName(AuditEvent e) {
    int ref = e.top(Key.OBJECT_REF);
    int res = e.member(ref, RESOURCE);
    return e.stringEquals(res, PODS) ? e.text(e.member(ref, NAME)) : null;
  }

  private static final byte[] RESOURCE =
      "resource".getBytes(java.nio.charset.StandardCharsets.UTF_8);
  private static final byte[] NAME = "name".getBytes(java.nio.charset.StandardCharsets.UTF_8);
  private static final byte[] PODS = "pods".getBytes(java.nio.charset.StandardCharsets.UTF_8);

  /** true when some regular container is privileged, false otherwise; no value without any. */
  private static @Nullable String anyPrivileged(AuditEvent e) {
    List<String> v = Containers.PRIVILEGED.list("containers", -1).apply(e);
    if (v == null) {
      return null;
    }
    return v.contains("true") ? "true" : "false";
  }

  private static StrFn hostPathMatch(String arg) {
    boolean prefix = arg.endsWith("*");
    String p = prefix ? arg.substring(0, arg.length() - 1) : arg;
    ListFn paths = volumes(-1, "hostPath", "path");
    return e -> {
      List<String> v = paths.apply(e);
      if (v == null) {
        return null;
      }
      for (String s : v) {
        if (prefix ? s.startsWith(p) : s.equals(arg)) {
          return "true";
        }
      }
      return "false";
    };
  }

  private static ListFn volumes(int index, String... path) {
    byte[][] keys = Paths.keys(concat(new String[] {"spec", "volumes"}, path));
    return e -> Paths.texts(e, e.top(Key.REQUEST_OBJECT), index, keys);
  }

  private static @Nullable List<String> volumeTypes(AuditEvent e, int index) {
    int vols = Paths.get(e, e.top(Key.REQUEST_OBJECT), Paths.keys("spec", "volumes"));
    if (!e.isArray(vols)) {
      return null;
    }
    List<String> out = new ArrayList<>();
    int i = 0;
    for (int v = e.firstElement(vols); v >= 0; v = e.nextElement(v), i++) {
      if (index >= 0 && i != index) {
        continue;
      }
      e.memberNames(
          v,
          k -> {
            if (!k.equals("name")) {
              out.add(k);
            }
          });
    }
    return out;
  }

  /** The {@code key} arrays of a role's rules, flattened (of rule {@code index} only). */
  private static ListFn rules(String key, int index) {
    byte[][] rules = Paths.keys("rules");
    byte[][] k = Paths.keys(key);
    return e -> {
      int arr = Paths.get(e, e.top(Key.REQUEST_OBJECT), rules);
      if (!e.isArray(arr)) {
        return null;
      }
      List<String> out = new ArrayList<>();
      int i = 0;
      for (int r = e.firstElement(arr); r >= 0; r = e.nextElement(r), i++) {
        if (index >= 0 && i != index) {
          continue;
        }
        List<String> vs = Paths.elements(e, e.member(r, k[0]));
        if (vs != null) {
          out.addAll(vs);
        }
      }
      if (index >= 0 && i <= index) {
        return null;
      }
      return out;
    };
  }

  static String[] concat(String[] a, String[] b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
