package dev.vigil.rules.compile;

import dev.vigil.event.SourceInfo;
import dev.vigil.rules.Code;
import dev.vigil.rules.Location;
import dev.vigil.rules.ast.Expr;
import dev.vigil.rules.load.Diagnostics;
import java.util.List;
import java.util.Set;

/**
 * Condition warnings Falco's warning resolver gives: comparing Kubernetes audit fields with the
 * literal {@code <NA>} (which is only ever printed, never extracted), and deprecated fields.
 */
final class Warnings {
  private static final Set<String> NA_OPERATORS =
      Set.of("=", "==", "!=", "in", "intersects", "pmatch");

  private Warnings() {}

  static void check(Expr e, SourceInfo source, List<Location> ctx, Diagnostics diags) {
    naChecks(e, ctx, diags);
    java.util.Map<String, dev.vigil.rules.ast.Span> deprecated = new java.util.TreeMap<>();
    Compiler.collectDeprecated(e, source, deprecated);
    deprecated.forEach((name, span) ->
        diags.warn(
            Code.LOAD_DEPRECATED_ITEM,
            "usage of deprecated field '" + name + "' has been detected in the rule condition",
            Compiler.expressionTrail(ctx, span)));
  }

  private static void naChecks(Expr e, List<Location> ctx, Diagnostics diags) {
    switch (e) {
      case Expr.And a -> a.children().forEach(c -> naChecks(c, ctx, diags));
      case Expr.Or o -> o.children().forEach(c -> naChecks(c, ctx, diags));
      case Expr.Not n -> naChecks(n.child(), ctx, diags);
      case Expr.BinaryCheck b -> {
        String field = lastField(b.left());
        if (NA_OPERATORS.contains(b.op())
            && (field.startsWith("ka.") || field.startsWith("jevt."))
            && comparesWithNa(b.right())) {
          diags.warn(
              Code.LOAD_UNSAFE_NA_CHECK,
              "comparing '"
                  + field
                  + "' with <NA> is unsafe: <NA> is how outputs print a missing value, never a"
                  + " value; use 'exists' instead",
              Compiler.expressionTrail(ctx, b.span()));
        }
      }
      case Expr.UnaryCheck u -> {}
      case Expr.Identifier i -> {}
      case Expr.Field f -> {}
      case Expr.Transformer t -> {}
      case Expr.TransformerList l -> {}
      case Expr.Value v -> {}
      case Expr.ListValue l -> {}
    }
  }

  /** The field a check's left side reads (through transformers, the last one visited). */
  private static String lastField(Expr e) {
    return switch (e) {
      case Expr.Field f -> f.name();
      case Expr.Transformer t -> {
        String last = "";
        for (Expr a : t.args()) {
          String f = lastField(a);
          if (!f.isEmpty()) {
            last = f;
          }
        }
        yield last;
      }
      default -> "";
    };
  }

  private static boolean comparesWithNa(Expr right) {
    return switch (right) {
      case Expr.Value v -> v.value().equals("<NA>");
      case Expr.ListValue l -> l.values().contains("<NA>");
      default -> false;
    };
  }
}
