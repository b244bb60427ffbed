package dev.vigil.rules.compile;

import dev.vigil.rules.ast.Expr;
import dev.vigil.rules.ast.Span;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Replaces macro references with the macros' conditions, as Falco's macro resolver does: only
 * identifiers directly under {@code and}, {@code or}, {@code not} or at the root are macro
 * references (never inside checks or transformer arguments), substitutions are resolved
 * recursively, and a macro reached again on its own path is a reference loop.
 */
public final class MacroResolver {

  /** A name at a place: an unknown macro or an error. */
  public record Problem(String message, Span span) {}

  private final Map<String, Expr> macros;
  private final Deque<String> path = new ArrayDeque<>();
  private final List<Problem> unknown = new ArrayList<>();
  private final List<Problem> errors = new ArrayList<>();
  private final Set<String> resolved = new LinkedHashSet<>();

  private MacroResolver(Map<String, Expr> macros) {
    this.macros = macros;
  }

  /** The outcome: the expanded tree, what was resolved, and the first problem if any. */
  public record Result(
      Expr expr, Set<String> resolved, List<Problem> errors, List<Problem> unknown) {}

  /** Resolves every macro reference in {@code e} against {@code visible} macros (by name). */
  public static Result resolve(Expr e, Map<String, Expr> visible) {
    MacroResolver r = new MacroResolver(visible);
    Expr out = r.visit(e);
    return new Result(out, r.resolved, r.errors, r.unknown);
  }

  private Expr visit(Expr e) {
    return switch (e) {
      case Expr.And a -> new Expr.And(visitAll(a.children()), a.span());
      case Expr.Or o -> new Expr.Or(visitAll(o.children()), o.span());
      case Expr.Not n -> new Expr.Not(visit(n.child()), n.span());
      case Expr.Identifier i -> identifier(i);
      case Expr.UnaryCheck u -> u;
      case Expr.BinaryCheck b -> b;
      case Expr.Field f -> f;
      case Expr.Transformer t -> t;
      case Expr.TransformerList l -> l;
      case Expr.Value v -> v;
      case Expr.ListValue l -> l;
    };
  }

  private List<Expr> visitAll(List<Expr> children) {
    List<Expr> out = new ArrayList<>(children.size());
    for (Expr c : children) {
      out.add(visit(c));
    }
    return out;
  }

  private Expr identifier(Expr.Identifier i) {
    Expr body = macros.get(i.name());
    if (body == null) {
      unknown.add(new Problem(i.name(), i.span()));
      return i;
    }
    if (path.contains(i.name())) {
      errors.add(new Problem("reference loop in macro '" + i.name() + "'", i.span()));
      unknown.add(new Problem(i.name(), i.span()));
      return i;
    }
    path.push(i.name());
    Expr out = visit(body);
    resolved.add(i.name());
    path.pop();
    return out;
  }
}
