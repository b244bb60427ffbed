package dev.vigil.posture.fix;

import dev.vigil.posture.manifest.Nodes;
import dev.vigil.posture.manifest.SourceText;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * How a document is written, so that new lines look like their neighbours: the indentation step,
 * whether block lists are indented under their key or flush with it, and whether it is JSON.
 */
record Style(int indent, boolean indentSequences, boolean json) {
  static Style of(SourceText src, Node root) {
    int[] found = {0, -1};
    detect(src, root, found, 0);
    boolean json =
        root instanceof MappingNode m
            && m.getFlowStyle() == FlowStyle.FLOW
            && !m.getValue().isEmpty()
            && m.getValue().getFirst().getKeyNode() instanceof ScalarNode k
            && k.getScalarStyle() == ScalarStyle.DOUBLE_QUOTED;
    return new Style(found[0] > 0 ? found[0] : 2, found[1] != 0, json);
  }

  /** found[0]: indent step; found[1]: 1 indented lists, 0 flush, -1 unknown. */
  private static void detect(SourceText src, Node n, int[] found, int depth) {
    if (depth > 12 || (found[0] > 0 && found[1] >= 0) || !(n instanceof MappingNode m)) {
      return;
    }
    if (m.getFlowStyle() == FlowStyle.FLOW) {
      return;
    }
    for (NodeTuple t : m.getValue()) {
      Node v = t.getValueNode();
      int keyCol = Nodes.column(t.getKeyNode());
      if (v instanceof MappingNode c && c.getFlowStyle() == FlowStyle.BLOCK && found[0] == 0) {
        int d = Nodes.column(c) - keyCol;
        if (d > 0 && d <= 8) {
          found[0] = d;
        }
      }
      if (v instanceof SequenceNode s
          && s.getFlowStyle() == FlowStyle.BLOCK
          && found[1] < 0
          && !s.getValue().isEmpty()) {
        int itemCol = Nodes.column(s.getValue().getFirst());
        found[1] = itemCol - 2 > keyCol ? 1 : 0;
      }
      detect(src, v, found, depth + 1);
      if (v instanceof SequenceNode s) {
        for (Node item : s.getValue()) {
          detect(src, item, found, depth + 1);
        }
      }
    }
  }
}
