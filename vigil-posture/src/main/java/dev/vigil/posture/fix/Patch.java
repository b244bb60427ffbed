package dev.vigil.posture.fix;

import dev.vigil.posture.manifest.Nodes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Planned changes to one mapping of the input (or to a new mapping): keys to set, keys to remove,
 * nested changes. Values are {@link Scalar}s, nested {@code Patch}es or {@link Seq}s. Planning
 * first and rendering once lets several fixes that touch the same new {@code securityContext}
 * become one insertion.
 */
public final class Patch {
  /** A scalar value, kept as its value; the renderer quotes it as the context needs. */
  public record Scalar(String value, boolean string) {
    public static Scalar bool(boolean b) {
      return new Scalar(Boolean.toString(b), false);
    }

    public static Scalar number(long n) {
      return new Scalar(Long.toString(n), false);
    }

    public static Scalar str(String s) {
      return new Scalar(s, true);
    }
  }

  /** Planned changes to a sequence: items to append, items to remove, changes to items. */
  public static final class Seq {
    final @Nullable SequenceNode node;
    final List<Object> append = new ArrayList<>();
    final Set<Integer> remove = new LinkedHashSet<>();
    final Map<Integer, Patch> items = new TreeMap<>();

    Seq(@Nullable SequenceNode node) {
      this.node = node;
    }

    public Seq append(Object item) {
      append.add(item);
      return this;
    }

    public Seq remove(int index) {
      remove.add(index);
      return this;
    }

    /** Changes to the existing mapping at {@code index}. */
    public Patch item(int index) {
      return items.computeIfAbsent(
          index,
          i ->
              new Patch(
                  node != null && node.getValue().get(i) instanceof MappingNode m ? m : null));
    }

    public @Nullable SequenceNode node() {
      return node;
    }

    boolean isEmpty() {
      return append.isEmpty()
          && remove.isEmpty()
          && items.values().stream().allMatch(Patch::isEmpty);
    }

    int size() {
      return node == null ? 0 : node.getValue().size();
    }
  }

  final @Nullable MappingNode node;
  final Map<String, Object> set = new LinkedHashMap<>();
  final Set<String> remove = new LinkedHashSet<>();

  Patch(@Nullable MappingNode node) {
    this.node = node;
  }

  /** Changes to an existing mapping of the input. */
  public static Patch of(MappingNode node) {
    return new Patch(node);
  }

  /** A new mapping. */
  public static Patch create() {
    return new Patch(null);
  }

  public @Nullable MappingNode node() {
    return node;
  }

  public Patch set(String key, Object value) {
    remove.remove(key);
    set.put(key, value);
    return this;
  }

  public Patch remove(String key) {
    set.remove(key);
    if (node != null && Nodes.entry(node, key) != null) {
      remove.add(key);
    }
    return this;
  }

  /** Nested changes under {@code key}: to its existing mapping, or to a new one. */
  public Patch map(String key) {
    Object v = set.get(key);
    if (v instanceof Patch p) {
      return p;
    }
    Patch p = new Patch(Nodes.get(node, key) instanceof MappingNode m ? m : null);
    set.put(key, p);
    return p;
  }

  /** Changes to the sequence under {@code key}: the existing one, or a new one. */
  public Seq seq(String key) {
    Object v = set.get(key);
    if (v instanceof Seq s) {
      return s;
    }
    Seq s = new Seq(Nodes.get(node, key) instanceof SequenceNode q ? q : null);
    set.put(key, s);
    return s;
  }

  /** Whether the input already has {@code key} (with a non-null value). */
  public boolean has(String key) {
    return Nodes.get(node, key) != null;
  }

  public boolean isEmpty() {
    if (!remove.isEmpty()) {
      return false;
    }
    for (Object v : set.values()) {
      if (v instanceof Scalar
          || (v instanceof Patch p && (!p.isEmpty() || p.node == null))
          || (v instanceof Seq s && (!s.isEmpty() || s.node == null))) {
        return false;
      }
    }
    return true;
  }

  /** Whether {@code n} is this patch's node or nested under it (for tests). */
  static boolean contains(Node root, Node n) {
    return Nodes.start(root) <= Nodes.start(n) && Nodes.end(n) <= Nodes.end(root);
  }
}
