package dev.vigil.posture.manifest;

import dev.vigil.posture.Location;
import dev.vigil.posture.Problem;
import dev.vigil.posture.Severity;
import java.io.Reader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;

/**
 * Reads multi-document YAML or JSON (JSON is YAML's flow style) and extracts every object that
 * carries a pod spec, as Pod Security Admission does: Pod, PodTemplate, ReplicationController,
 * ReplicaSet, Deployment, DaemonSet, StatefulSet, Job and CronJob, also inside {@code List}s.
 *
 * <p>Limits protect against hostile input: at most {@value #MAX_ALIASES} aliases of collections per
 * document (alias bombs), collections nested at most {@value #MAX_DEPTH} deep, documents of at most
 * {@link #maxDocumentCodePoints} code points.
 */
public final class ManifestReader {
  static final int MAX_ALIASES = 50;

  /** Collections nested deeper than this are refused (Kubernetes objects nest a few dozen). */
  static final int MAX_DEPTH = 1000;

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

  /** Whether documents go to {@link FastYaml} first (off only to compare both ways in tests). */
  private final boolean fast;

  public ManifestReader(int maxDocumentCodePoints) {
    this(maxDocumentCodePoints, true);
  }

  ManifestReader(int maxDocumentCodePoints, boolean fast) {
    this.maxDocumentCodePoints = maxDocumentCodePoints;
    this.fast = fast;
  }

  public ManifestReader() {
    this(8 * 1024 * 1024);
  }

  /**
   * What reading one stretch of an input gave: normally one YAML document (none when it holds only
   * comments), its workloads in order, its problems and how many objects were skipped because their
   * kind carries no pod template. The nodes live as long as the section: drop it to free them.
   *
   * @param text the stretch of the input, with its position in the input
   * @param whole whether {@code text} holds the whole stretch; false when it was too large to keep
   *     (then {@code text} is empty, and the input must not be rewritten from its sections)
   * @param firstDocument the 0-based index in the input of its first document
   */
  public record Section(
      SourceText text,
      boolean whole,
      int firstDocument,
      int documents,
      List<Workload> workloads,
      List<Problem> problems,
      int skipped) {}

  /** Reads a whole text and keeps everything (for tests and small inputs). */
  public ReadResult read(SourceText source) {
    List<Workload> workloads = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    List<Section> sections = new ArrayList<>();
    int[] counts = new int[2];
    read(
        source,
        s -> {
          sections.add(s);
          workloads.addAll(s.workloads());
          problems.addAll(s.problems());
          counts[0] += s.documents();
          counts[1] += s.skipped();
        });
    return new ReadResult(
        source,
        List.copyOf(workloads),
        List.copyOf(problems),
        counts[0],
        counts[1],
        List.copyOf(sections));
  }

  /** Reads a text (a whole input or a window onto one), section by section. */
  public void read(SourceText source, Consumer<Section> sink) {
    read(
        source.name(),
        new StringReader(source.text()),
        source.firstLine() - 1,
        source.cpOffset(),
        source.charOffset(),
        sink);
  }

  /**
   * Reads an input as a stream, handing each section to {@code sink} as soon as it is read; only
   * one section is held at a time.
   */
  public void read(String name, Reader in, Consumer<Section> sink) {
    read(name, in, 0, 0, 0, sink);
  }

  private void read(
      String name, Reader in, int line, int cp, int charOffset, Consumer<Section> sink) {
    DocumentSplitter split = new DocumentSplitter(in, maxDocumentCodePoints, line, cp, charOffset);
    LoadSettings settings =
        LoadSettings.builder()
            .setLabel(name)
            .setMaxAliasesForCollections(MAX_ALIASES)
            .setAllowRecursiveKeys(false)
            .setAllowDuplicateKeys(true)
            .setCodePointLimit(maxDocumentCodePoints)
            .setUseMarks(true)
            .build();
    int index = 0;
    while (true) {
      DocumentSplitter.Piece p;
      try {
        p = split.next();
      } catch (DocumentSplitter.TooLong e) {
        sink.accept(stop(name, e.line, 0, charOffset, index, "too-large", TOO_LONG));
        return;
      } catch (DocumentSplitter.NotUtf8 e) {
        sink.accept(stop(name, e.line, e.column, charOffset, index, "not-utf8", NOT_UTF8));
        return;
      }
      if (p == null) {
        return;
      }
      SourceText text =
          new SourceText(
              name, p.text(), p.charOffset(), p.cpOffset(), p.line() + 1, split.lineBreak());
      Extraction x = new Extraction(text);
      int first = index;
      if (p.tooLarge()) {
        x.problems.add(
            new Problem(
                Severity.ERROR,
                "invalid-yaml",
                "document "
                    + (index + 1)
                    + ": The incoming YAML document exceeds the limit: "
                    + maxDocumentCodePoints
                    + " code points.",
                new Location(name, p.line() + 1, 1)));
        index++;
      } else {
        for (Node root : compose(settings, p, x, index, fast)) {
          x.document(index++, root);
        }
        index += x.failed;
      }
      sink.accept(
          new Section(
              text,
              !p.tooLarge(),
              first,
              index - first,
              List.copyOf(x.workloads),
              List.copyOf(x.problems),
              x.skipped));
    }
  }

  private static final String TOO_LONG =
      "the input goes on past 2^31 characters; split it into smaller files";
  private static final String NOT_UTF8 = "the input is not valid UTF-8";

  /** The section that ends the reading of an input that cannot be read on. */
  private static Section stop(
      String name, int line, int column, int charOffset, int index, String code, String why) {
    Problem p =
        new Problem(
            Severity.ERROR,
            code,
            "document " + (index + 1) + ": " + why,
            new Location(name, line + 1, column + 1));
    return new Section(
        new SourceText(name, "", charOffset, 0, line + 1, "\n"),
        false,
        index,
        0,
        List.of(),
        List.of(p),
        0);
  }

  /** The documents of a piece: by the fast composer when it can, else by snakeyaml-engine. */
  private static List<Node> compose(
      LoadSettings settings, DocumentSplitter.Piece p, Extraction x, int index, boolean fast) {
    if (fast && p.simple()) {
      try {
        return new FastYaml(settings.getLabel(), p.text(), p.cpOffset(), p.line()).parse();
      } catch (FastYaml.Unsupported e) {
        // snakeyaml-engine reads it (or words the error)
      }
    }
    List<Node> roots = new ArrayList<>();
    try {
      Iterator<Node> docs =
          new Composer(
              settings,
              new DepthLimit(
                  new ParserImpl(settings, new StreamReader(settings, p.text())), MAX_DEPTH));
      while (docs.hasNext()) {
        roots.add(Rebase.node(docs.next(), p.cpOffset(), p.line()));
      }
    } catch (DepthLimit.TooDeep e) {
      int line = e.at.map(Mark::getLine).orElse(0) + p.line() + 1;
      int column = e.at.map(Mark::getColumn).orElse(0) + 1;
      x.problems.add(
          new Problem(
              Severity.ERROR,
              "too-deep",
              "document "
                  + (index + roots.size() + 1)
                  + " is nested more than "
                  + MAX_DEPTH
                  + " levels deep",
              new Location(x.source.name(), line, column)));
      x.failed = 1;
    } catch (MarkedYamlEngineException e) {
      x.yamlError(e, index + roots.size(), p);
    } catch (YamlEngineException e) {
      x.problems.add(
          new Problem(
              Severity.ERROR,
              "invalid-yaml",
              "document " + (index + roots.size() + 1) + ": " + oneLine(e.getMessage()),
              new Location(x.source.name(), p.line() + 1, 1)));
      x.failed = 1;
    } catch (StackOverflowError e) {
      x.problems.add(
          new Problem(
              Severity.ERROR,
              "too-deep",
              "document " + (index + roots.size() + 1) + " is nested too deeply to read",
              new Location(x.source.name(), p.line() + 1, 1)));
      x.failed = 1;
    }
    return roots;
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

    /** 1 when a document of the section could not be read. */
    int failed;

    Extraction(SourceText source) {
      this.source = source;
    }

    void yamlError(MarkedYamlEngineException e, int index, DocumentSplitter.Piece p) {
      failed = 1;
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
                  : new Location(source.name(), m.getLine() + p.line() + 1, m.getColumn() + 1)));
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
      String t = source.text();
      int lineStart = t.lastIndexOf('\n', source.charIndex(Nodes.start(obj)) - 1) + 1;
      for (int l = 0; l < 20 && lineStart > 0; l++) {
        int prev = t.lastIndexOf('\n', lineStart - 2) + 1;
        String line = t.substring(prev, lineStart - 1).strip();
        if (line.startsWith("# Source: ")) {
          return line.substring("# Source: ".length()).strip();
        }
        if (!line.isEmpty() && !line.startsWith("#") && !line.startsWith("---")) {
          break;
        }
        lineStart = prev;
      }
      return "";
    }
  }
}
