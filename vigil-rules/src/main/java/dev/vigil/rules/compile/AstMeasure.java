package dev.vigil.rules.compile;

import dev.vigil.rules.ast.Expr;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;

/**
 * Measures an expanded condition without recursion, so that a hostile rules file (macros nested ten
 * thousand deep, or doubling at every level) is refused cleanly instead of exhausting the stack or
 * the heap. Shared subtrees (a macro used twice) are measured once and counted per use.
 */
final class AstMeasure {
  private AstMeasure() {}

  record Size(long nodes, int depth) {}

  static Size measure(Expr root) {
    IdentityHashMap<Expr, Size> done = new IdentityHashMap<>();
    Deque<Expr> stack = new ArrayDeque<>();
    stack.push(root);
    while (!stack.isEmpty()) {
      Expr e = stack.peek();
      if (done.containsKey(e)) {
        stack.pop();
        continue;
      }
      List<Expr> kids = children(e);
      boolean ready = true;
      for (Expr k : kids) {
        if (!done.containsKey(k)) {
          stack.push(k);
          ready = false;
        }
      }
      if (ready) {
        stack.pop();
        long nodes = 1;
        int depth = 0;
        for (Expr k : kids) {
          Size s = java.util.Objects.requireNonNull(done.get(k));
          nodes = Math.min(Long.MAX_VALUE / 2, nodes + s.nodes());
          depth = Math.max(depth, s.depth());
        }
        done.put(e, new Size(nodes, depth + 1));
      }
    }
    return java.util.Objects.requireNonNull(done.get(root));
  }

  static List<Expr> children(Expr e) {
    return switch (e) {
      case Expr.And a -> a.children();
      case Expr.Or o -> o.children();
      case Expr.Not n -> List.of(n.child());
      case Expr.UnaryCheck u -> List.of(u.left());
      case Expr.BinaryCheck b -> List.of(b.left(), b.right());
      case Expr.Transformer t -> t.args();
      case Expr.TransformerList l -> l.items();
      case Expr.Identifier i -> List.of();
      case Expr.Field f -> List.of();
      case Expr.Value v -> List.of();
      case Expr.ListValue l -> List.of();
    };
  }
}
