package dev.vigil.posture.fix;

import dev.vigil.posture.fix.Patch.Scalar;
import dev.vigil.posture.fix.Patch.Seq;
import dev.vigil.posture.manifest.Nodes;
import dev.vigil.posture.manifest.SourceText;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.nodes.CollectionNode;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Turns a {@link Patch} into minimal text {@link Edit}s: a changed scalar is replaced where it
 * stands; new keys go after the last entry of their mapping, at its indentation; new list items
 * after the last item, with its dash column; removed entries take their lines with them. Flow
 * collections (and JSON) get flow edits, with JSON quoting when the input is JSON. Nothing else of
 * the text is touched, so comments, blank lines, key order and quoting survive.
 */
final class Renderer {
  private final SourceText src;
  private final String text;
  private final Style style;
  private final String nl;
  private final List<Edit> edits = new ArrayList<>();
  private boolean eofBreak;

  Renderer(SourceText src, Style style) {
    this.src = src;
    this.text = src.text();
    this.style = style;
    this.nl = src.lineBreak();
  }

  List<Edit> edits() {
    return edits;
  }

  // ---- positions

  private int start(Node n) {
    return src.charIndex(Nodes.start(n));
  }

  private int end(Node n) {
    return src.charIndex(Nodes.end(n));
  }

  private static boolean flow(Node n) {
    return n instanceof CollectionNode<?> c && c.getFlowStyle() == FlowStyle.FLOW;
  }

  /** The end of the last scalar or flow collection inside {@code n}. */
  private int leafEnd(Node n) {
    if (n instanceof MappingNode m && !flow(m) && !m.getValue().isEmpty()) {
      return leafEnd(m.getValue().getLast().getValueNode());
    }
    if (n instanceof SequenceNode s && !flow(s) && !s.getValue().isEmpty()) {
      return leafEnd(s.getValue().getLast());
    }
    int e = end(n);
    // a block scalar ends after its line break(s): step back onto its last line
    while (e > 0
        && n instanceof ScalarNode
        && (text.charAt(e - 1) == '\n' || text.charAt(e - 1) == '\r')) {
      e--;
    }
    return e;
  }

  /** The offset just after the line break ending the line that holds {@code i}. */
  private int lineEndAfter(int i) {
    int nlAt = text.indexOf('\n', i);
    return nlAt < 0 ? text.length() : nlAt + 1;
  }

  /** A line break before the first insertion at the end of a text that lacks a final one. */
  private String atEof(int at) {
    if (at == text.length() && !text.isEmpty() && !text.endsWith("\n") && !eofBreak) {
      eofBreak = true;
      return nl;
    }
    return "";
  }

  private int lineStart(int i) {
    int p = text.lastIndexOf('\n', i - 1);
    return p + 1;
  }

  private int column(int i) {
    return i - lineStart(i);
  }

  private boolean blankBetween(int from, int to) {
    for (int i = from; i < to; i++) {
      if (text.charAt(i) != ' ' && text.charAt(i) != '\t') {
        return false;
      }
    }
    return true;
  }

  // ---- mappings

  void mapping(MappingNode m, Patch p) {
    Map<String, Object> added = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : p.set.entrySet()) {
      NodeTuple t = Nodes.entry(m, e.getKey());
      Object v = e.getValue();
      if (t == null) {
        if (!(v instanceof Patch q && q.node != null) && !(v instanceof Seq s && s.node != null)) {
          added.put(e.getKey(), v);
        }
        continue;
      }
      Node val = t.getValueNode();
      switch (v) {
        case Scalar s -> replaceScalar(val, s);
        case Patch q when q.node != null && val.equals(q.node) -> mapping(q.node, q);
        case Seq s when s.node != null && val.equals(s.node) -> sequence(s.node, s);
        default -> replaceValue(t, v, m);
      }
    }
    for (String k : p.remove) {
      NodeTuple t = Nodes.entry(m, k);
      if (t != null) {
        removeEntry(m, t);
      }
    }
    if (!added.isEmpty()) {
      insertEntries(m, added);
    }
  }

  private void replaceScalar(Node val, Scalar s) {
    if (val instanceof ScalarNode old && old.getValue().equals(s.value()) && !Nodes.isNull(old)) {
      return;
    }
    int from = start(val);
    int to = val instanceof ScalarNode ? end(val) : leafEnd(val);
    if (val instanceof ScalarNode old && Nodes.isNull(old) && from == to) {
      edits.add(new Edit(from, to, " " + scalar(s)));
    } else {
      edits.add(new Edit(from, to, scalar(s)));
    }
  }

  /** A key whose value is null (or of another type) gets a whole new value. */
  private void replaceValue(NodeTuple t, Object v, MappingNode parent) {
    Node val = t.getValueNode();
    int from = start(val);
    int to = val instanceof ScalarNode ? end(val) : leafEnd(val);
    if (flow(parent) || style.json()) {
      edits.add(new Edit(from, to, (from == to ? " " : "") + flowValue(v)));
      return;
    }
    int keyCol = column(start(t.getKeyNode()));
    String block = blockValue(v, keyCol);
    // block values start on the next line: drop the space before them
    int f = from;
    while (f > 0 && text.charAt(f - 1) == ' ') {
      f--;
    }
    edits.add(new Edit(f, to, block.startsWith(nl) ? block.stripTrailing() : " " + block.strip()));
  }

  private void insertEntries(MappingNode m, Map<String, Object> added) {
    if (flow(m)) {
      StringBuilder b = new StringBuilder();
      for (Map.Entry<String, Object> e : added.entrySet()) {
        b.append(b.isEmpty() ? "" : ", ")
            .append(key(e.getKey()))
            .append(": ")
            .append(flowValue(e.getValue()));
      }
      if (m.getValue().isEmpty()) {
        edits.add(new Edit(start(m) + 1, start(m) + 1, b.toString()));
      } else {
        int at = leafEnd(m.getValue().getLast().getValueNode());
        edits.add(new Edit(at, at, ", " + b));
      }
      return;
    }
    int col = column(start(m.getValue().getFirst().getKeyNode()));
    int at = lineEndAfter(leafEnd(m));
    String block = atEof(at) + entries(added, col);
    edits.add(new Edit(at, at, block));
  }

  private void removeEntry(MappingNode m, NodeTuple t) {
    List<NodeTuple> all = m.getValue();
    int i = all.indexOf(t);
    int keyStart = start(t.getKeyNode());
    int valEnd = leafEnd(t.getValueNode());
    if (flow(m)) {
      if (i > 0) {
        edits.add(new Edit(leafEnd(all.get(i - 1).getValueNode()), valEnd, ""));
      } else if (all.size() > 1) {
        edits.add(new Edit(keyStart, start(all.get(1).getKeyNode()), ""));
      } else {
        edits.add(new Edit(keyStart, valEnd, ""));
      }
      return;
    }
    int ls = lineStart(keyStart);
    if (blankBetween(ls, keyStart)) {
      edits.add(new Edit(ls, lineEndAfter(valEnd), ""));
    } else if (i + 1 < all.size()) {
      edits.add(new Edit(keyStart, start(all.get(i + 1).getKeyNode()), ""));
    } else {
      edits.add(new Edit(keyStart, valEnd, "{}"));
    }
  }

  // ---- sequences

  void sequence(SequenceNode s, Seq p) {
    List<Node> items = s.getValue();
    for (Map.Entry<Integer, Patch> e : p.items.entrySet()) {
      if (items.get(e.getKey()) instanceof MappingNode m && !p.remove.contains(e.getKey())) {
        mapping(m, e.getValue());
      }
    }
    for (int i : p.remove) {
      removeItem(s, i);
    }
    if (p.append.isEmpty()) {
      return;
    }
    if (flow(s)) {
      StringBuilder b = new StringBuilder();
      for (Object o : p.append) {
        b.append(b.isEmpty() ? "" : ", ").append(flowValue(o));
      }
      if (items.isEmpty()) {
        edits.add(new Edit(start(s) + 1, start(s) + 1, b.toString()));
      } else {
        int at = leafEnd(items.getLast());
        edits.add(new Edit(at, at, ", " + b));
      }
      return;
    }
    int first = start(items.getFirst());
    int ls = lineStart(first);
    int dash = text.indexOf('-', ls);
    int col = dash >= 0 && dash < first ? dash - ls : column(first);
    StringBuilder b = new StringBuilder();
    for (Object o : p.append) {
      b.append(item(o, col));
    }
    int at = lineEndAfter(leafEnd(s));
    String block = atEof(at) + b;
    edits.add(new Edit(at, at, block));
  }

  private void removeItem(SequenceNode s, int i) {
    List<Node> items = s.getValue();
    Node item = items.get(i);
    int st = start(item);
    int e = leafEnd(item);
    if (flow(s)) {
      if (i > 0) {
        edits.add(new Edit(leafEnd(items.get(i - 1)), e, ""));
      } else if (items.size() > 1) {
        edits.add(new Edit(st, start(items.get(1)), ""));
      } else {
        edits.add(new Edit(st, e, ""));
      }
      return;
    }
    edits.add(new Edit(lineStart(st), lineEndAfter(e), ""));
  }

  // ---- rendering new values

  private String pad(int n) {
    return " ".repeat(n);
  }

  /** Block lines for new entries at column {@code col}, each ending with a line break. */
  private String entries(Map<String, Object> entries, int col) {
    StringBuilder b = new StringBuilder();
    for (Map.Entry<String, Object> e : entries.entrySet()) {
      b.append(pad(col)).append(key(e.getKey())).append(':').append(blockValue(e.getValue(), col));
    }
    return b.toString();
  }

  /** A value after "key:" at column {@code col}: " scalar\n", or "\n" and nested lines. */
  private String blockValue(Object v, int col) {
    return switch (v) {
      case Scalar s -> " " + scalar(s) + nl;
      case Patch p -> p.set.isEmpty() ? " {}" + nl : nl + entries(p.set, col + style.indent());
      case Seq s -> {
        if (s.append.isEmpty()) {
          yield " []" + nl;
        }
        int dash = col + (style.indentSequences() ? style.indent() : 0);
        StringBuilder b = new StringBuilder(nl);
        for (Object o : s.append) {
          b.append(item(o, dash));
        }
        yield b.toString();
      }
      default -> throw new IllegalArgumentException("not a patch value: " + v);
    };
  }

  /** One block list item at dash column {@code col}. */
  private String item(Object o, int col) {
    if (o instanceof Patch p && !p.set.isEmpty()) {
      String rest = entries(p.set, col + 2);
      return pad(col) + "- " + rest.substring(col + 2);
    }
    if (o instanceof Scalar s) {
      return pad(col) + "- " + scalar(s) + nl;
    }
    return pad(col) + "- " + flowValue(o) + nl;
  }

  private String flowValue(Object v) {
    return switch (v) {
      case Scalar s -> scalar(s);
      case Patch p -> {
        StringBuilder b = new StringBuilder("{");
        for (Map.Entry<String, Object> e : p.set.entrySet()) {
          b.append(b.length() == 1 ? "" : ", ")
              .append(key(e.getKey()))
              .append(": ")
              .append(flowValue(e.getValue()));
        }
        yield b.append('}').toString();
      }
      case Seq s -> {
        StringBuilder b = new StringBuilder("[");
        for (Object o : s.append) {
          b.append(b.length() == 1 ? "" : ", ").append(flowValue(o));
        }
        yield b.append(']').toString();
      }
      default -> throw new IllegalArgumentException("not a patch value: " + v);
    };
  }

  private String key(String k) {
    return style.json() ? quote(k) : k;
  }

  String scalar(Scalar s) {
    if (!s.string()) {
      return s.value();
    }
    if (style.json() || needsQuotes(s.value())) {
      return quote(s.value());
    }
    return s.value();
  }

  static boolean needsQuotes(String v) {
    if (v.isEmpty() || !v.strip().equals(v)) {
      return true;
    }
    char c = v.charAt(0);
    if ("!&*{}[]|>'\"%@`#,?:-".indexOf(c) >= 0
        && !(c == '-' && v.length() > 1 && v.charAt(1) != ' ')) {
      return true;
    }
    if (v.contains(": ") || v.contains(" #")) {
      return true;
    }
    ScalarNode probe =
        new ScalarNode(
            org.snakeyaml.engine.v2.nodes.Tag.STR,
            v,
            org.snakeyaml.engine.v2.common.ScalarStyle.PLAIN);
    return Nodes.bool(probe) != null
        || Nodes.isNull(probe)
        || Nodes.integer(probe) != null
        || Character.isDigit(c)
        || c == '.'
        || c == '+';
  }

  static String quote(String v) {
    StringBuilder b = new StringBuilder("\"");
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\t' -> b.append("\\t");
        default -> b.append(c);
      }
    }
    return b.append('"').toString();
  }
}
