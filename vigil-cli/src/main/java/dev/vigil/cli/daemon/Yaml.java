package dev.vigil.cli.daemon;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/** YAML 1.2 text to a configuration {@link Node} tree, keeping positions. */
final class Yaml {
  static final int MAX_CODE_POINTS = 8 * 1024 * 1024;

  private Yaml() {}

  /** A YAML syntax error, positioned. */
  static final class SyntaxError extends Exception {
    private static final long serialVersionUID = 1L;
    final transient ConfigDiagnostic diagnostic;

    SyntaxError(ConfigDiagnostic diagnostic) {
      super(diagnostic.message(), null, false, false);
      this.diagnostic = diagnostic;
    }
  }

  /** Parses one document; an empty document is an empty mapping. */
  static Node parse(String source, String text) throws SyntaxError {
    LoadSettings settings =
        LoadSettings.builder()
            .setLabel(source)
            .setMaxAliasesForCollections(50)
            .setCodePointLimit(MAX_CODE_POINTS)
            .setAllowRecursiveKeys(false)
            .setAllowDuplicateKeys(true)
            .build();
    try {
      Optional<org.snakeyaml.engine.v2.nodes.Node> n = new Compose(settings).composeString(text);
      if (n.isEmpty()) {
        return Node.MapNode.empty(new Origin(source, 1, 1));
      }
      return convert(source, n.get(), 0);
    } catch (MarkedYamlEngineException e) {
      Mark m = e.getProblemMark().or(e::getContextMark).orElse(null);
      String problem = e.getProblem();
      String context = e.getContext();
      String message =
          context == null || context.isEmpty() ? String.valueOf(problem) : context + ": " + problem;
      throw new SyntaxError(
          new ConfigDiagnostic(
              true,
              source,
              m == null ? 1 : m.getLine() + 1,
              m == null ? 1 : m.getColumn() + 1,
              "invalid YAML: " + message));
    } catch (YamlEngineException e) {
      throw new SyntaxError(
          new ConfigDiagnostic(true, source, 1, 1, "invalid YAML: " + e.getMessage()));
    }
  }

  private static Origin origin(String source, org.snakeyaml.engine.v2.nodes.Node n) {
    return n.getStartMark()
        .map(m -> new Origin(source, m.getLine() + 1, m.getColumn() + 1))
        .orElse(new Origin(source, 0, 0));
  }

  private static Node convert(String source, org.snakeyaml.engine.v2.nodes.Node n, int depth)
      throws SyntaxError {
    Origin at = origin(source, n);
    if (depth > 64) {
      throw new SyntaxError(
          new ConfigDiagnostic(true, source, at.line(), at.col(), "nesting is too deep"));
    }
    return switch (n) {
      case ScalarNode s ->
          new Node.Scalar(at, s.getValue(), s.getScalarStyle() == ScalarStyle.PLAIN);
      case SequenceNode s -> {
        List<Node> items = new ArrayList<>();
        for (org.snakeyaml.engine.v2.nodes.Node i : s.getValue()) {
          items.add(convert(source, i, depth + 1));
        }
        yield new Node.ListNode(at, items);
      }
      case MappingNode m -> {
        Map<String, Node.Entry> entries = new LinkedHashMap<>();
        for (NodeTuple t : m.getValue()) {
          Origin keyAt = origin(source, t.getKeyNode());
          if (!(t.getKeyNode() instanceof ScalarNode k)) {
            throw new SyntaxError(
                new ConfigDiagnostic(
                    true, source, keyAt.line(), keyAt.col(), "keys must be plain strings"));
          }
          entries.put(
              k.getValue(), new Node.Entry(keyAt, convert(source, t.getValueNode(), depth + 1)));
        }
        yield new Node.MapNode(at, entries);
      }
      default ->
          throw new SyntaxError(
              new ConfigDiagnostic(true, source, at.line(), at.col(), "unsupported YAML node"));
    };
  }
}
