package dev.vigil.posture.manifest;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Lenient, allocation-free access to composed YAML nodes, resolving scalars as Kubernetes' YAML
 * decoder does (YAML 1.1 booleans such as {@code yes}/{@code on}; {@code null}, {@code ~} and empty
 * values are unset). A value of the wrong type reads as unset here; {@link Schema} reports it.
 */
public final class Nodes {
  private Nodes() {}

  /** The value under {@code key} in a mapping, or null if absent, null-valued or not a mapping. */
  public static @Nullable Node get(@Nullable Node map, String key) {
    if (!(map instanceof MappingNode m)) {
      return null;
    }
    List<NodeTuple> tuples = m.getValue();
    for (int i = 0, n = tuples.size(); i < n; i++) {
      NodeTuple t = tuples.get(i);
      if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
        Node v = t.getValueNode();
        return isNull(v) ? null : v;
      }
    }
    return null;
  }

  /** The key/value pair under {@code key}, even when the value is null. */
  public static @Nullable NodeTuple entry(@Nullable Node map, String key) {
    if (!(map instanceof MappingNode m)) {
      return null;
    }
    for (NodeTuple t : m.getValue()) {
      if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
        return t;
      }
    }
    return null;
  }

  public static @Nullable MappingNode map(@Nullable Node map, String key) {
    return get(map, key) instanceof MappingNode m ? m : null;
  }

  public static List<Node> list(@Nullable Node map, String key) {
    return get(map, key) instanceof SequenceNode s ? s.getValue() : List.of();
  }

  public static boolean isNull(Node n) {
    if (!(n instanceof ScalarNode s) || !s.isPlain()) {
      return false;
    }
    String v = s.getValue();
    return v.isEmpty() || v.equals("~") || v.equals("null") || v.equals("Null") || v.equals("NULL");
  }

  /** A scalar's text, when the node is a scalar that Kubernetes would decode as a string. */
  public static Optional<String> string(@Nullable Node n) {
    if (n instanceof ScalarNode s && !isNull(s)) {
      if (!s.isPlain() || (bool(s) == null && !looksNumeric(s.getValue()))) {
        return Optional.of(s.getValue());
      }
    }
    return Optional.empty();
  }

  public static String string(@Nullable Node map, String key, String orElse) {
    return string(get(map, key)).orElse(orElse);
  }

  /** A plain scalar's boolean value (YAML 1.1 spellings), or null. */
  public static @Nullable Boolean bool(@Nullable Node n) {
    if (!(n instanceof ScalarNode s) || !s.isPlain()) {
      return null;
    }
    return switch (s.getValue()) {
      case "true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON", "y", "Y" -> Boolean.TRUE;
      case "false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF", "n", "N" ->
          Boolean.FALSE;
      default -> null;
    };
  }

  /** True only for an explicit boolean true under {@code key}. */
  public static boolean isTrue(@Nullable Node map, String key) {
    return Boolean.TRUE.equals(bool(get(map, key)));
  }

  /** A plain scalar's integer value, or null. */
  public static @Nullable Long integer(@Nullable Node n) {
    if (!(n instanceof ScalarNode s) || !s.isPlain()) {
      return null;
    }
    String v = s.getValue().replace("_", "");
    try {
      if (v.startsWith("0x") || v.startsWith("0X")) {
        return Long.parseLong(v.substring(2), 16);
      }
      if (v.startsWith("0o")) {
        return Long.parseLong(v.substring(2), 8);
      }
      return Long.parseLong(v.startsWith("+") ? v.substring(1) : v);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  static boolean looksNumeric(String v) {
    if (v.isEmpty()) {
      return false;
    }
    char c = v.charAt(0);
    if (!(Character.isDigit(c) || c == '-' || c == '+' || c == '.')) {
      return false;
    }
    String l = v.toLowerCase(Locale.ROOT);
    if (l.equals(".inf") || l.equals("-.inf") || l.equals("+.inf") || l.equals(".nan")) {
      return true;
    }
    try {
      Double.parseDouble(v.replace("_", ""));
      return true;
    } catch (NumberFormatException e) {
      return integerLike(v);
    }
  }

  private static boolean integerLike(String v) {
    String s = v.startsWith("-") || v.startsWith("+") ? v.substring(1) : v;
    if (s.startsWith("0x") || s.startsWith("0o")) {
      return s.length() > 2;
    }
    return false;
  }

  /** 1-based line of a node's start (0 if unknown). */
  public static int line(Node n) {
    return n.getStartMark().map(m -> m.getLine() + 1).orElse(0);
  }

  /** 1-based column of a node's start (0 if unknown). */
  public static int column(Node n) {
    return n.getStartMark().map(m -> m.getColumn() + 1).orElse(0);
  }

  /** Code-point offset of a node's start. */
  public static int start(Node n) {
    return n.getStartMark().map(Mark::getIndex).orElse(0);
  }

  /** Code-point offset of a node's end. */
  public static int end(Node n) {
    return n.getEndMark().map(Mark::getIndex).orElse(0);
  }

  /** A short name for a node's type, for messages: "a mapping", "a list", "a string", ... */
  public static String describe(Node n) {
    if (n instanceof MappingNode) {
      return "a mapping";
    }
    if (n instanceof SequenceNode) {
      return "a list";
    }
    if (isNull(n)) {
      return "null";
    }
    if (bool(n) != null) {
      return "a boolean";
    }
    if (n instanceof ScalarNode s && s.isPlain() && looksNumeric(s.getValue())) {
      return "a number";
    }
    return "a string";
  }
}
