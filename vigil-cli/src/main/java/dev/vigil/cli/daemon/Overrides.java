package dev.vigil.cli.daemon;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Changes applied to the configuration tree: Falco's {@code config_files} merge strategies and its
 * {@code -o key=value} options.
 */
final class Overrides {
  private Overrides() {}

  /** Falco's {@code config_files} strategies. */
  enum Strategy {
    /** Lists are appended to, other values replaced, new keys added (the default). */
    APPEND,
    /** Values replaced, new keys added. */
    OVERRIDE,
    /** Only keys not set yet are added. */
    ADD_ONLY;

    static Strategy parse(String s) {
      return switch (s.strip().toLowerCase(Locale.ROOT)) {
        case "append" -> APPEND;
        case "override" -> OVERRIDE;
        case "add-only", "add_only" -> ADD_ONLY;
        default -> throw new IllegalArgumentException(s);
      };
    }
  }

  /** Merges an overlay's top-level keys into {@code base}, as Falco does. */
  static void merge(Node.MapNode base, Node.MapNode overlay, Strategy strategy) {
    overlay
        .entries()
        .forEach((key, e) -> {
          Node.Entry old = base.entries().get(key);
          if (old == null) {
            base.entries().put(key, e);
            return;
          }
          switch (strategy) {
            case ADD_ONLY -> {}
            case OVERRIDE -> base.entries().put(key, e);
            case APPEND -> {
              if (old.value() instanceof Node.ListNode a && e.value() instanceof Node.ListNode b) {
                List<Node> items = new ArrayList<>(a.items());
                items.addAll(b.items());
                base.entries()
                    .put(
                        key, new Node.Entry(old.keyOrigin(), new Node.ListNode(a.origin(), items)));
              } else {
                base.entries().put(key, e);
              }
            }
          }
        });
  }

  /**
   * Applies {@code -o key=value}: a key path of names separated by dots ({@code \.} is a literal
   * dot), each optionally followed by {@code [N]} (an existing list item) or {@code []} (a new item
   * appended); the value is YAML (a scalar, or a flow list or mapping).
   */
  static void set(Node.MapNode root, String option) throws Yaml.SyntaxError {
    int eq = option.indexOf('=');
    Origin at = Origin.option(option);
    if (eq <= 0) {
      throw error(option, "expected key=value");
    }
    List<String> path = splitKey(option.substring(0, eq));
    Node value = Yaml.parse(at.source(), option.substring(eq + 1));
    if (value instanceof Node.MapNode m
        && m.entries().isEmpty()
        && option.substring(eq + 1).isBlank()) {
      value = new Node.Scalar(at, "", true);
    }
    value = relabel(value, at);
    Node cur = root;
    for (int i = 0; i < path.size(); i++) {
      boolean last = i == path.size() - 1;
      String part = path.get(i);
      String name = part;
      String index = null;
      int br = part.indexOf('[');
      if (br >= 0) {
        if (!part.endsWith("]")) {
          throw error(option, "bad index in '" + part + "'");
        }
        name = part.substring(0, br);
        index = part.substring(br + 1, part.length() - 1);
      }
      if (!(cur instanceof Node.MapNode map)) {
        throw error(option, "'" + name + "' is not inside a mapping");
      }
      Node.Entry e = map.entries().get(name);
      if (index == null) {
        if (last) {
          map.entries().put(name, new Node.Entry(at, value));
          return;
        }
        if (e == null || !(e.value() instanceof Node.MapNode)) {
          e = new Node.Entry(at, Node.MapNode.empty(at));
          map.entries().put(name, e);
        }
        cur = e.value();
        continue;
      }
      if (e == null || !(e.value() instanceof Node.ListNode)) {
        e = new Node.Entry(at, new Node.ListNode(at, List.of()));
        map.entries().put(name, e);
      }
      Node.ListNode list = (Node.ListNode) e.value();
      if (index.isEmpty()) {
        Node item = last ? value : Node.MapNode.empty(at);
        list.items().add(item);
        cur = item;
      } else {
        int n;
        try {
          n = Integer.parseInt(index);
        } catch (NumberFormatException ex) {
          throw error(option, "bad index '" + index + "'");
        }
        if (n < 0 || n >= list.items().size()) {
          throw error(
              option, "index " + n + " is past the end of '" + name + "' (use [] to append)");
        }
        if (last) {
          list.items().set(n, value);
        }
        cur = list.items().get(n);
      }
      if (last) {
        return;
      }
    }
  }

  private static Node relabel(Node n, Origin at) {
    return switch (n) {
      case Node.Scalar s -> new Node.Scalar(at, s.text(), s.plain());
      case Node.ListNode l ->
          new Node.ListNode(at, l.items().stream().map(i -> relabel(i, at)).toList());
      case Node.MapNode m -> {
        Node.MapNode out = Node.MapNode.empty(at);
        m.entries()
            .forEach((k, e) -> out.entries().put(k, new Node.Entry(at, relabel(e.value(), at))));
        yield out;
      }
    };
  }

  static List<String> splitKey(String key) {
    List<String> parts = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c == '\\' && i + 1 < key.length() && key.charAt(i + 1) == '.') {
        cur.append('.');
        i++;
      } else if (c == '.') {
        parts.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    parts.add(cur.toString());
    return parts;
  }

  private static Yaml.SyntaxError error(String option, String message) {
    return new Yaml.SyntaxError(new ConfigDiagnostic(true, "-o " + option, 0, 0, message));
  }
}
