package dev.vigil.posture.manifest;

import dev.vigil.posture.Location;
import dev.vigil.posture.Problem;
import dev.vigil.posture.Severity;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * The types of the pod-spec fields that the checks read, validated as the API server's decoder
 * would: a string {@code "true"} where a boolean belongs is an error there, so it is one here, with
 * the field's path and position. Fields the checks do not read are not looked at.
 */
final class Schema {
  private enum Kind {
    BOOL,
    INT,
    STR,
    OBJ,
    LIST
  }

  private record Type(Kind kind, Map<String, Type> fields, @Nullable Type item) {
    static final Type BOOL = new Type(Kind.BOOL, Map.of(), null);
    static final Type INT = new Type(Kind.INT, Map.of(), null);
    static final Type STR = new Type(Kind.STR, Map.of(), null);

    static Type obj(Map<String, Type> fields) {
      return new Type(Kind.OBJ, fields, null);
    }

    static Type list(Type item) {
      return new Type(Kind.LIST, Map.of(), item);
    }

    String describe() {
      return switch (kind) {
        case BOOL -> "a boolean";
        case INT -> "an integer";
        case STR -> "a string";
        case OBJ -> "a mapping";
        case LIST -> "a list";
      };
    }
  }

  private static final Type PROFILE =
      Type.obj(Map.of("type", Type.STR, "localhostProfile", Type.STR));
  private static final Type SELINUX =
      Type.obj(Map.of("type", Type.STR, "user", Type.STR, "role", Type.STR, "level", Type.STR));
  private static final Type WINDOWS = Type.obj(Map.of("hostProcess", Type.BOOL));
  private static final Type HANDLER =
      Type.obj(
          Map.of(
              "httpGet", Type.obj(Map.of("host", Type.STR)),
              "tcpSocket", Type.obj(Map.of("host", Type.STR))));
  private static final Type CONTAINER =
      Type.obj(
          Map.ofEntries(
              Map.entry("name", Type.STR),
              Map.entry("image", Type.STR),
              Map.entry(
                  "ports",
                  Type.list(Type.obj(Map.of("hostPort", Type.INT, "containerPort", Type.INT)))),
              Map.entry(
                  "volumeMounts",
                  Type.list(
                      Type.obj(
                          Map.of("name", Type.STR, "mountPath", Type.STR, "readOnly", Type.BOOL)))),
              Map.entry("livenessProbe", HANDLER),
              Map.entry("readinessProbe", HANDLER),
              Map.entry("startupProbe", HANDLER),
              Map.entry("lifecycle", Type.obj(Map.of("postStart", HANDLER, "preStop", HANDLER))),
              Map.entry(
                  "securityContext",
                  Type.obj(
                      Map.ofEntries(
                          Map.entry("privileged", Type.BOOL),
                          Map.entry("allowPrivilegeEscalation", Type.BOOL),
                          Map.entry("readOnlyRootFilesystem", Type.BOOL),
                          Map.entry("runAsNonRoot", Type.BOOL),
                          Map.entry("runAsUser", Type.INT),
                          Map.entry("runAsGroup", Type.INT),
                          Map.entry("procMount", Type.STR),
                          Map.entry(
                              "capabilities",
                              Type.obj(
                                  Map.of("add", Type.list(Type.STR), "drop", Type.list(Type.STR)))),
                          Map.entry("seccompProfile", PROFILE),
                          Map.entry("appArmorProfile", PROFILE),
                          Map.entry("seLinuxOptions", SELINUX),
                          Map.entry("windowsOptions", WINDOWS))))));
  private static final Type POD_SPEC =
      Type.obj(
          Map.ofEntries(
              Map.entry("hostNetwork", Type.BOOL),
              Map.entry("hostPID", Type.BOOL),
              Map.entry("hostIPC", Type.BOOL),
              Map.entry("hostUsers", Type.BOOL),
              Map.entry("os", Type.obj(Map.of("name", Type.STR))),
              Map.entry("containers", Type.list(CONTAINER)),
              Map.entry("initContainers", Type.list(CONTAINER)),
              Map.entry("ephemeralContainers", Type.list(CONTAINER)),
              Map.entry(
                  "volumes",
                  Type.list(
                      Type.obj(
                          Map.of(
                              "name",
                              Type.STR,
                              "hostPath",
                              Type.obj(Map.of("path", Type.STR, "type", Type.STR)))))),
              Map.entry(
                  "securityContext",
                  Type.obj(
                      Map.of(
                          "runAsNonRoot",
                          Type.BOOL,
                          "runAsUser",
                          Type.INT,
                          "runAsGroup",
                          Type.INT,
                          "fsGroup",
                          Type.INT,
                          "seccompProfile",
                          PROFILE,
                          "appArmorProfile",
                          PROFILE,
                          "seLinuxOptions",
                          SELINUX,
                          "windowsOptions",
                          WINDOWS,
                          "sysctls",
                          Type.list(Type.obj(Map.of("name", Type.STR))))))));

  private Schema() {}

  /** Validates a workload's pod spec and template annotations; always keeps the workload. */
  static boolean validate(Workload w, String specField, List<Problem> problems) {
    String label = w.kind() + (w.name().isEmpty() ? "" : " \"" + w.name() + "\"");
    Checker c = new Checker(w, label, problems);
    if (Nodes.get(w.podSpec(), "containers") == null) {
      c.report(w.podSpec(), "missing-field", "missing field '" + specField + ".containers'");
    }
    c.check(w.podSpec(), POD_SPEC, specField);
    MappingNode meta = w.podMeta();
    Node annotations = Nodes.get(meta, "annotations");
    if (annotations != null) {
      String at =
          specField.substring(0, specField.length() - "spec".length()) + "metadata.annotations";
      if (annotations instanceof MappingNode m) {
        for (NodeTuple t : m.getValue()) {
          Node v = t.getValueNode();
          if (!Nodes.isNull(v) && Nodes.string(v).isEmpty()) {
            c.wrong(v, at + "." + key(t), Type.STR);
          }
        }
      } else {
        c.wrong(annotations, at, Type.obj(Map.of()));
      }
    }
    return true;
  }

  private static String key(NodeTuple t) {
    return t.getKeyNode() instanceof ScalarNode s ? s.getValue() : "?";
  }

  private record Checker(Workload w, String label, List<Problem> problems) {
    void check(Node n, Type t, String path) {
      if (Nodes.isNull(n)) {
        return;
      }
      switch (t.kind()) {
        case BOOL -> {
          if (Nodes.bool(n) == null) {
            wrong(n, path, t);
          }
        }
        case INT -> {
          if (Nodes.integer(n) == null) {
            wrong(n, path, t);
          }
        }
        case STR -> {
          if (Nodes.string(n).isEmpty()) {
            wrong(n, path, t);
          }
        }
        case OBJ -> {
          if (!(n instanceof MappingNode m)) {
            wrong(n, path, t);
            return;
          }
          for (NodeTuple tuple : m.getValue()) {
            Type f = t.fields().get(key(tuple));
            if (f != null) {
              check(tuple.getValueNode(), f, path + "." + key(tuple));
            }
          }
        }
        case LIST -> {
          if (!(n instanceof SequenceNode s)) {
            wrong(n, path, t);
            return;
          }
          Type item = t.item();
          List<Node> items = s.getValue();
          for (int i = 0; i < items.size() && item != null; i++) {
            Node v = items.get(i);
            String p = path + "[" + i + "]";
            check(v, item, p);
            if (path.endsWith("ontainers") && Nodes.string(Nodes.get(v, "name")).isEmpty()) {
              if (v instanceof MappingNode && Nodes.get(v, "name") == null) {
                report(v, "missing-field", "missing field '" + p + ".name'");
              }
            }
          }
        }
      }
    }

    void wrong(Node n, String path, Type t) {
      String shown =
          n instanceof ScalarNode s
              ? " (" + (s.isPlain() ? s.getValue() : "\"" + s.getValue() + "\"") + ")"
              : "";
      report(
          n,
          "wrong-type",
          path + " must be " + t.describe() + ", got " + Nodes.describe(n) + shown);
    }

    void report(Node n, String code, String message) {
      problems.add(
          new Problem(
              Severity.ERROR,
              code,
              label + ": " + message,
              new Location(w.source().name(), Nodes.line(n), Nodes.column(n))));
    }
  }
}
