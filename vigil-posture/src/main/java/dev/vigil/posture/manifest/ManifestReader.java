package dev.vigil.posture.manifest;

import dev.vigil.posture.Location;
import dev.vigil.posture.Problem;
import dev.vigil.posture.Severity;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Reads multi-document YAML or JSON (JSON is YAML's flow style) and extracts every object that
 * carries a pod spec, as Pod Security Admission does: Pod, PodTemplate, ReplicationController,
 * ReplicaSet, Deployment, DaemonSet, StatefulSet, Job and CronJob, also inside {@code List}s.
 *
 * <p>Limits protect against hostile input: at most {@value #MAX_ALIASES} aliases of collections per
 * document (alias bombs), documents of at most {@link #maxDocumentCodePoints} code points.
 */
public final class ManifestReader {
  static final int MAX_ALIASES = 50;

  /** Kinds that carry no pod template and are skipped without a word. */
  private static final Set<String> QUIET_KINDS =
      Set.of(
          "Service",
          "ConfigMap",
          "Secret",
          "Namespace",
          "ServiceAccount",
          "Role",
          "RoleBinding",
          "ClusterRole",
          "ClusterRoleBinding",
          "Ingress",
          "IngressClass",
          "NetworkPolicy",
          "PersistentVolumeClaim",
          "PersistentVolume",
          "StorageClass",
          "CustomResourceDefinition",
          "HorizontalPodAutoscaler",
          "PodDisruptionBudget",
          "LimitRange",
          "ResourceQuota",
          "Endpoints",
          "EndpointSlice",
          "MutatingWebhookConfiguration",
          "ValidatingWebhookConfiguration",
          "ValidatingAdmissionPolicy",
          "ValidatingAdmissionPolicyBinding",
          "APIService",
          "PriorityClass",
          "Lease",
          "Event",
          "RuntimeClass",
          "CSIDriver",
          "VolumeAttachment",
          "CertificateSigningRequest",
          "VerticalPodAutoscaler",
          "Kustomization");

  private final int maxDocumentCodePoints;

  public ManifestReader(int maxDocumentCodePoints) {
    this.maxDocumentCodePoints = maxDocumentCodePoints;
  }

  public ManifestReader() {
    this(8 * 1024 * 1024);
  }

  public ReadResult read(SourceText source) {
    LoadSettings settings =
        LoadSettings.builder()
            .setLabel(source.name())
            .setMaxAliasesForCollections(MAX_ALIASES)
            .setAllowRecursiveKeys(false)
            .setAllowDuplicateKeys(true)
            .setCodePointLimit(maxDocumentCodePoints)
            .setUseMarks(true)
            .build();
    Extraction x = new Extraction(source);
    Iterator<Node> docs = new Compose(settings).composeAllFromString(source.text()).iterator();
    int index = 0;
    try {
      while (docs.hasNext()) {
        Node root = docs.next();
        x.document(index++, root);
      }
    } catch (MarkedYamlEngineException e) {
      x.yamlError(e, index);
    } catch (YamlEngineException e) {
      x.problems.add(
          new Problem(
              Severity.ERROR,
              "invalid-yaml",
              "document " + (index + 1) + ": " + oneLine(e.getMessage()),
              new Location(source.name(), 0, 0)));
    } catch (StackOverflowError e) {
      x.problems.add(
          new Problem(
              Severity.ERROR,
              "too-deep",
              "document " + (index + 1) + " is nested too deeply to read",
              new Location(source.name(), 0, 0)));
    }
    return new ReadResult(
        source, List.copyOf(x.workloads), List.copyOf(x.problems), index, x.skipped);
  }

  static String oneLine(@Nullable String s) {
    if (s == null) {
      return "unreadable input";
    }
    return s.strip().replaceAll("\\s*\\n\\s*", "; ");
  }

  /** The state of reading one input. */
  private static final class Extraction {
    final SourceText source;
    final List<Workload> workloads = new ArrayList<>();
    final List<Problem> problems = new ArrayList<>();
    int skipped;

    Extraction(SourceText source) {
      this.source = source;
    }

    void yamlError(MarkedYamlEngineException e, int index) {
      Mark m = e.getProblemMark().or(e::getContextMark).orElse(null);
      String problem = e.getProblem();
      String context = e.getContext();
      String msg =
          (problem == null || problem.isBlank() ? oneLine(e.getMessage()) : problem.strip())
              + (context == null || context.isBlank() ? "" : " (" + context.strip() + ")");
      if (msg.contains("exceeds the limit") || msg.contains("exceeds the specified max")) {
        msg = "document " + (index + 1) + ": " + msg;
      }
      problems.add(
          new Problem(
              Severity.ERROR,
              "invalid-yaml",
              "invalid YAML: " + msg,
              m == null
                  ? new Location(source.name(), 0, 0)
                  : new Location(source.name(), m.getLine() + 1, m.getColumn() + 1)));
    }

    void document(int index, Node root) {
      if (Nodes.isNull(root)) {
        return;
      }
      if (!(root instanceof MappingNode m)) {
        error(
            root,
            "not-an-object",
            "expected a Kubernetes object (a mapping with apiVersion and kind), got "
                + Nodes.describe(root));
        return;
      }
      object(index, m, "");
    }

    void object(int index, MappingNode obj, String pointer) {
      Node kindNode = Nodes.get(obj, "kind");
      String kind = Nodes.string(kindNode).orElse("");
      if (kind.isEmpty()) {
        error(
            kindNode == null ? obj : kindNode,
            "missing-kind",
            kindNode == null
                ? "missing field 'kind': every object needs apiVersion and kind"
                : "field 'kind' must be a string, got " + Nodes.describe(kindNode));
        return;
      }
      String apiVersion = Nodes.string(obj, "apiVersion", "");
      if (kind.equals("List") || (kind.endsWith("List") && Nodes.get(obj, "items") != null)) {
        list(index, obj, pointer);
        return;
      }
      String[] path =
          switch (kind) {
            case "Pod" -> new String[] {};
            case "PodTemplate" -> new String[] {"template"};
            case "ReplicationController",
                "ReplicaSet",
                "Deployment",
                "StatefulSet",
                "DaemonSet",
                "Job" ->
                new String[] {"spec", "template"};
            case "CronJob" -> new String[] {"spec", "jobTemplate", "spec", "template"};
            default -> null;
          };
      if (path == null) {
        skipped++;
        if (!QUIET_KINDS.contains(kind)) {
          problems.add(
              new Problem(
                  Severity.INFO,
                  "unknown-kind",
                  "kind "
                      + kind
                      + (apiVersion.isEmpty() ? "" : " (" + apiVersion + ")")
                      + " carries no pod template Vigil knows; skipped",
                  location(obj)));
        }
        return;
      }
      MappingNode meta = Nodes.map(obj, "metadata");
      String name = Nodes.string(meta, "name", Nodes.string(meta, "generateName", ""));
      String namespace = Nodes.string(meta, "namespace", "");
      String label = kind + (name.isEmpty() ? "" : " \"" + name + "\"");
      Node template = obj;
      StringBuilder where = new StringBuilder();
      for (String key : path) {
        Node next = Nodes.get(template, key);
        where.append(where.isEmpty() ? "" : ".").append(key);
        if (!(next instanceof MappingNode)) {
          missing(template, next, label, where.toString(), "a mapping");
          return;
        }
        template = next;
      }
      Node spec = Nodes.get(template, "spec");
      String specField = (where.isEmpty() ? "" : where + ".") + "spec";
      if (!(spec instanceof MappingNode specMap)) {
        missing(template, spec, label, specField, "a mapping");
        return;
      }
      MappingNode podMeta = Nodes.map(template, "metadata");
      String specPointer = "/" + String.join("/", path) + (path.length == 0 ? "" : "/") + "spec";
      Workload w =
          new Workload(
              source,
              index,
              obj,
              pointer,
              kind,
              apiVersion,
              name,
              namespace,
              podMeta,
              specMap,
              specPointer.replace("//", "/"),
              origin(obj));
      if (Schema.validate(w, specField, problems)) {
        workloads.add(w);
      }
    }

    void list(int index, MappingNode obj, String pointer) {
      Node items = Nodes.get(obj, "items");
      if (items == null) {
        return;
      }
      if (!(items instanceof SequenceNode seq)) {
        error(items, "wrong-type", "field 'items' must be a list, got " + Nodes.describe(items));
        return;
      }
      List<Node> values = seq.getValue();
      for (int i = 0; i < values.size(); i++) {
        Node item = values.get(i);
        if (item instanceof MappingNode m) {
          object(index, m, pointer + "/items/" + i);
        } else {
          error(
              item,
              "not-an-object",
              "items[" + i + "] must be an object, got " + Nodes.describe(item));
        }
      }
    }

    void missing(Node parent, @Nullable Node found, String label, String field, String type) {
      if (found == null) {
        error(parent, "missing-field", label + ": missing field '" + field + "'");
      } else {
        error(
            found,
            "wrong-type",
            label + ": field '" + field + "' must be " + type + ", got " + Nodes.describe(found));
      }
    }

    void error(Node at, String code, String message) {
      problems.add(new Problem(Severity.ERROR, code, message, location(at)));
    }

    Location location(Node n) {
      return new Location(source.name(), Nodes.line(n), Nodes.column(n));
    }

    /** {@code helm template} writes "# Source: chart/templates/x.yaml" above each document. */
    String origin(MappingNode obj) {
      int line = Nodes.line(obj);
      for (int l = line - 1; l >= Math.max(1, line - 20); l--) {
        String t = source.lineText(l).strip();
        if (t.startsWith("# Source: ")) {
          return t.substring("# Source: ".length()).strip();
        }
        if (!t.isEmpty() && !t.startsWith("#") && !t.startsWith("---")) {
          break;
        }
      }
      return "";
    }
  }
}
