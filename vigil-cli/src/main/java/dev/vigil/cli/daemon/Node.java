package dev.vigil.cli.daemon;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The configuration as a tree that keeps where each value came from: YAML documents, overlays and
 * {@code -o} options all end up here before the typed reading.
 */
sealed interface Node {
  Origin origin();

  /** A mapping; keys keep their own positions, for "unknown key" warnings. */
  record MapNode(Origin origin, Map<String, Entry> entries) implements Node {
    public MapNode {
      entries = new LinkedHashMap<>(entries);
    }

    static MapNode empty(Origin origin) {
      return new MapNode(origin, new LinkedHashMap<>());
    }
  }

  /** A key with its position and value. */
  record Entry(Origin keyOrigin, Node value) {}

  record ListNode(Origin origin, List<Node> items) implements Node {
    public ListNode {
      items = new ArrayList<>(items);
    }
  }

  /**
   * A scalar: its text, and whether it was plain (unquoted), since a plain {@code null} or {@code
   * ~} is YAML's null.
   */
  record Scalar(Origin origin, String text, boolean plain) implements Node {
    boolean isNull() {
      return plain && (text.isEmpty() || text.equals("~") || text.equals("null"));
    }
  }

  static String kind(Node n) {
    return switch (n) {
      case MapNode m -> "a mapping";
      case ListNode l -> "a list";
      case Scalar s -> s.isNull() ? "null" : "a scalar";
    };
  }
}
