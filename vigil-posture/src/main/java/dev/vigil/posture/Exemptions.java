package dev.vigil.posture;

import dev.vigil.posture.manifest.Nodes;
import dev.vigil.posture.manifest.SourceText;
import dev.vigil.posture.manifest.Workload;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Exemptions: by the workload's annotation {@value #ANNOTATION} (a comma-separated list of check
 * IDs, each optionally {@code =reason}; {@code *} for all), and by rules from a configuration file:
 *
 * <pre>
 * exemptions:
 *   - checks: [imm/mutableImageTag]    # IDs, bare names (hostPorts) or "*"
 *     namespaces: [kube-system]        # optional
 *     kinds: [DaemonSet]               # optional
 *     names: ["node-exporter*"]        # optional; a trailing * matches a prefix
 *     reason: monitoring needs the host
 * </pre>
 */
public final class Exemptions {
  public static final String ANNOTATION = "vigil.dev/ignore";

  /** One rule of the configuration file. */
  public record Rule(
      List<String> checks,
      List<String> namespaces,
      List<String> kinds,
      List<String> names,
      String reason) {}

  public static final Exemptions NONE = new Exemptions(List.of());

  private final List<Rule> rules;
  private final boolean annotations;

  public Exemptions(List<Rule> rules) {
    this(rules, true);
  }

  private Exemptions(List<Rule> rules, boolean annotations) {
    this.rules = List.copyOf(rules);
    this.annotations = annotations;
  }

  /**
   * The same rules, with the {@value #ANNOTATION} annotation ignored: for admission, where whoever
   * creates a workload could otherwise exempt it.
   */
  public Exemptions withoutAnnotations() {
    return new Exemptions(rules, false);
  }

  public List<Rule> rules() {
    return rules;
  }

  /** The exemption reason for {@code checkId} on {@code w}, if any. */
  public Optional<String> exemption(Workload w, String checkId) {
    for (Node meta :
        annotations ? new @Nullable Node[] {w.metadata(), w.podMeta()} : new @Nullable Node[0]) {
      String value = Nodes.string(Nodes.get(Nodes.map(meta, "annotations"), ANNOTATION)).orElse("");
      for (String item : value.split(",", -1)) {
        String t = item.strip();
        int eq = t.indexOf('=');
        String id = eq < 0 ? t : t.substring(0, eq).strip();
        if (!id.isEmpty() && matches(id, checkId)) {
          return Optional.of(eq < 0 ? "annotation " + ANNOTATION : t.substring(eq + 1).strip());
        }
      }
    }
    for (Rule r : rules) {
      if (r.checks().stream().anyMatch(c -> matches(c, checkId))
          && (r.namespaces().isEmpty() || r.namespaces().contains(w.namespace()))
          && (r.kinds().isEmpty() || r.kinds().contains(w.kind()))
          && (r.names().isEmpty() || r.names().stream().anyMatch(n -> glob(n, w.name())))) {
        return Optional.of(r.reason().isEmpty() ? "configuration" : r.reason());
      }
    }
    return Optional.empty();
  }

  static boolean matches(String pattern, String checkId) {
    return pattern.equals("*") || pattern.equals(checkId) || checkId.endsWith("/" + pattern);
  }

  private static boolean glob(String pattern, String name) {
    return pattern.endsWith("*")
        ? name.startsWith(pattern.substring(0, pattern.length() - 1))
        : pattern.equals(name);
  }

  /** The outcome of reading a configuration file. */
  public record Parsed(Exemptions exemptions, List<Problem> problems) {}

  /** Reads the {@code exemptions:} list of a configuration file. */
  public static Parsed parse(SourceText source) {
    List<Problem> problems = new ArrayList<>();
    List<Rule> rules = new ArrayList<>();
    Node root;
    try {
      root =
          new Compose(LoadSettings.builder().setLabel(source.name()).build())
              .composeString(source.text())
              .orElse(null);
    } catch (MarkedYamlEngineException e) {
      int line = e.getProblemMark().map(m -> m.getLine() + 1).orElse(0);
      int col = e.getProblemMark().map(m -> m.getColumn() + 1).orElse(0);
      problems.add(
          new Problem(
              Severity.ERROR,
              "invalid-yaml",
              "invalid YAML: " + e.getProblem(),
              new Location(source.name(), line, col)));
      return new Parsed(NONE, problems);
    } catch (YamlEngineException e) {
      problems.add(
          new Problem(
              Severity.ERROR,
              "invalid-yaml",
              "invalid YAML: " + e.getMessage(),
              new Location(source.name(), 0, 0)));
      return new Parsed(NONE, problems);
    }
    Node list = Nodes.get(root, "exemptions");
    if (root != null && !(root instanceof MappingNode)) {
      problems.add(problem(source, root, "the configuration must be a mapping with 'exemptions:'"));
    }
    for (Node r : Nodes.list(root, "exemptions")) {
      List<String> checks = strings(source, r, "checks", problems);
      if (checks.isEmpty()) {
        problems.add(problem(source, r, "an exemption needs 'checks' (IDs, or \"*\")"));
        continue;
      }
      rules.add(
          new Rule(
              checks,
              strings(source, r, "namespaces", problems),
              strings(source, r, "kinds", problems),
              strings(source, r, "names", problems),
              Nodes.string(r, "reason", "")));
    }
    if (list != null
        && Nodes.list(root, "exemptions").isEmpty()
        && !(list instanceof org.snakeyaml.engine.v2.nodes.SequenceNode)) {
      problems.add(problem(source, list, "'exemptions' must be a list"));
    }
    return new Parsed(new Exemptions(rules), problems);
  }

  private static List<String> strings(SourceText s, Node map, String key, List<Problem> problems) {
    Node n = Nodes.get(map, key);
    if (n == null) {
      return List.of();
    }
    Optional<String> one = Nodes.string(n);
    if (one.isPresent()) {
      return List.of(one.get());
    }
    List<String> out = new ArrayList<>();
    for (Node item : Nodes.list(map, key)) {
      Nodes.string(item)
          .ifPresentOrElse(
              out::add,
              () -> problems.add(problem(s, item, "'" + key + "' entries must be strings")));
    }
    if (out.isEmpty() && !(n instanceof org.snakeyaml.engine.v2.nodes.SequenceNode)) {
      problems.add(problem(s, n, "'" + key + "' must be a string or a list of strings"));
    }
    return out;
  }

  private static Problem problem(SourceText s, Node n, String message) {
    return new Problem(
        Severity.ERROR,
        "invalid-config",
        message,
        new Location(s.name(), Nodes.line(n), Nodes.column(n)));
  }
}
