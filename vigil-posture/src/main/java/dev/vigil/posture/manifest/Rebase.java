package dev.vigil.posture.manifest;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Moves a tree that snakeyaml-engine composed from one document's text to the document's place in
 * the input: marks get the input's code-point index and line (columns stay, since a document starts
 * at a line start). Shared nodes (aliases) stay shared.
 */
final class Rebase {
  private static final int[] NO_BUFFER = new int[0];

  private final int cp;
  private final int line;
  private final IdentityHashMap<Node, Node> done = new IdentityHashMap<>();

  private Rebase(int cp, int line) {
    this.cp = cp;
    this.line = line;
  }

  static Node node(Node n, int cpOffset, int lineOffset) {
    if (cpOffset == 0 && lineOffset == 0) {
      return n;
    }
    return new Rebase(cpOffset, lineOffset).copy(n);
  }

  private Optional<Mark> mark(Optional<Mark> m) {
    return m.map(k ->
        new Mark(k.getName(), k.getIndex() + cp, k.getLine() + line, k.getColumn(), NO_BUFFER, 0));
  }

  private Node copy(Node n) {
    Node seen = done.get(n);
    if (seen != null) {
      return seen;
    }
    return switch (n) {
      case ScalarNode s -> scalar(s);
      case SequenceNode s -> sequence(s);
      case MappingNode m -> mapping(m);
      default -> throw new IllegalStateException("unknown node " + n.getClass());
    };
  }

  private Node scalar(ScalarNode s) {
    Node c =
        new ScalarNode(
            s.getTag(),
            s.isResolved(),
            s.getValue(),
            s.getScalarStyle(),
            mark(s.getStartMark()),
            mark(s.getEndMark()));
    done.put(s, c);
    return c;
  }

  private Node sequence(SequenceNode s) {
    List<Node> items = new ArrayList<>(s.getValue().size());
    SequenceNode c =
        new SequenceNode(
            s.getTag(),
            s.isResolved(),
            items,
            s.getFlowStyle(),
            mark(s.getStartMark()),
            mark(s.getEndMark()));
    done.put(s, c);
    for (Node item : s.getValue()) {
      items.add(copy(item));
    }
    return c;
  }

  private Node mapping(MappingNode m) {
    List<NodeTuple> tuples = new ArrayList<>(m.getValue().size());
    MappingNode c =
        new MappingNode(
            m.getTag(),
            m.isResolved(),
            tuples,
            m.getFlowStyle(),
            mark(m.getStartMark()),
            mark(m.getEndMark()));
    done.put(m, c);
    for (NodeTuple t : m.getValue()) {
      tuples.add(new NodeTuple(copy(t.getKeyNode()), copy(t.getValueNode())));
    }
    return c;
  }
}
