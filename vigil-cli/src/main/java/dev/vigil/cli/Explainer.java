package dev.vigil.cli;

import dev.vigil.event.SourceInfo;
import dev.vigil.output.JsonWriter;
import dev.vigil.rules.Rule;
import dev.vigil.rules.Ruleset;
import dev.vigil.rules.ast.Ast;
import dev.vigil.rules.ast.Expr;
import dev.vigil.rules.ast.Span;
import dev.vigil.rules.compile.DispatchConstraints;
import dev.vigil.rules.text.Origin;
import dev.vigil.rules.text.Position;
import dev.vigil.rules.text.Text;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code vigil rules explain}: a rule's expanded condition as a tree, each part annotated with
 * where it came from (the rule's own condition, an append, a macro, a list, an exception).
 */
final class Explainer {
  private static final int MAX_LABEL = 110;

  private Explainer() {}

  static void explain(Rule r, boolean json, PrintWriter out) {
    if (json) {
      try (JsonWriter j = JsonWriter.to(out, true)) {
        j.beginObject();
        j.field("rule", r.name());
        j.field("source", r.source());
        j.field("priority", r.priority().title());
        j.field("enabled", r.enabled());
        j.stringArray("events", r.events());
        j.name("dispatch");
        j.beginObject();
        for (Map.Entry<String, java.util.Set<String>> e : dispatch(r).entrySet()) {
          j.stringArray(e.getKey(), List.copyOf(e.getValue()));
        }
        j.endObject();
        j.field("condition", r.condition().value());
        j.field("condition_compiled", r.compiled());
        j.name("tree");
        node(r.expanded(), j);
        j.endObject();
      }
      out.println();
      return;
    }
    String where =
        r.trail().isEmpty()
            ? ""
            : r.trail().getLast().position().map(p -> " (" + p + ")").orElse("");
    out.println("Rule '" + r.name() + "'" + where);
    out.println(
        "  source "
            + r.source()
            + ", priority "
            + r.priority().title()
            + (r.enabled() ? "" : ", disabled")
            + ", "
            + (r.events().size() > 12
                ? r.events().size() + " event types"
                : "events: " + String.join(", ", r.events())));
    if (!r.exceptions().isEmpty()) {
      out.println("  exceptions: " + String.join(", ", r.exceptions()));
    }
    dispatchLine(r).ifPresent(out::println);
    out.println();
    tree(r.expanded(), "", "", Optional.empty(), out);
  }

  /**
   * What the rule requires of its source's dispatch fields: the engine tries it only on events with
   * these values (empty: on every event of its types).
   */
  static Map<String, java.util.Set<String>> dispatch(Rule r) {
    Map<String, java.util.Set<String>> out = new LinkedHashMap<>();
    for (SourceInfo s : Sources.all()) {
      if (s.name().equals(r.source())) {
        List<DispatchConstraints.Key> keys =
            s.dispatchFields().stream().map(DispatchConstraints.Key::parse).toList();
        DispatchConstraints.of(r.check(), keys).forEach((k, v) -> out.put(k.toString(), v));
      }
    }
    return out;
  }

  private static Optional<String> dispatchLine(Rule r) {
    boolean indexed =
        Sources.all().stream()
            .anyMatch(s -> s.name().equals(r.source()) && !s.dispatchFields().isEmpty());
    if (!indexed) {
      return Optional.empty();
    }
    Map<String, java.util.Set<String>> d = dispatch(r);
    if (d.isEmpty()) {
      return Optional.of("  tried on every " + r.source() + " event (no dispatch-field index)");
    }
    List<String> parts = new ArrayList<>();
    d.forEach((f, v) ->
        parts.add(
            v.size() == 1
                ? f + " = " + v.iterator().next()
                : f + " in (" + String.join(", ", v) + ")"));
    return Optional.of("  tried only when " + String.join(" and ", parts));
  }

  static void explain(Ruleset.Macro m, boolean json, PrintWriter out) {
    if (json) {
      try (JsonWriter j = JsonWriter.to(out, true)) {
        j.beginObject();
        j.field("macro", m.name());
        j.field("used", m.used());
        j.field("condition", m.condition().value());
        j.field("condition_compiled", Ast.print(m.expanded()));
        j.name("tree");
        node(m.expanded(), j);
        j.endObject();
      }
      out.println();
      return;
    }
    out.println("Macro '" + m.name() + "'" + (m.used() ? "" : " (unused)"));
    out.println();
    tree(m.expanded(), "", "", Optional.empty(), out);
  }

  private static void tree(
      Expr e, String first, String rest, Optional<Origin> parent, PrintWriter out) {
    Optional<Origin> origin = e.span().origin();
    List<String> notes = new ArrayList<>();
    if (origin.isPresent() && !sameItem(origin.get(), parent)) {
      notes.add(describe(origin.get(), e.span().position()));
    }
    lists(e).forEach((name, pos) -> notes.add("list '" + name + "'" + at(pos)));
    String label = label(e);
    out.println(
        (first + label + (notes.isEmpty() ? "" : "    <- " + String.join("; ", notes)))
            .stripTrailing());
    List<Expr> kids = children(e);
    for (int i = 0; i < kids.size(); i++) {
      boolean last = i == kids.size() - 1;
      tree(kids.get(i), rest + (last ? "└─ " : "├─ "), rest + (last ? "   " : "│  "), origin, out);
    }
  }

  private static boolean sameItem(Origin o, Optional<Origin> parent) {
    return parent.isPresent()
        && parent.get().role() == o.role()
        && parent.get().name().equals(o.name());
  }

  private static String describe(Origin o, Optional<Position> pos) {
    String what =
        switch (o.role()) {
          case RULE_CONDITION -> "rule '" + o.name() + "'";
          case APPENDED_CONDITION -> "appended to '" + o.name() + "'";
          case MACRO_CONDITION -> "macro '" + o.name() + "'";
          case LIST_ITEMS -> "list '" + o.name() + "'";
          case EXCEPTION -> "exception '" + o.name() + "'";
          case OUTPUT -> "output of '" + o.name() + "'";
          case GENERATED -> "generated";
        };
    return what + at(pos);
  }

  private static String at(Optional<Position> pos) {
    return pos.map(p -> " (" + p + ")").orElse("");
  }

  /** Lists whose items were substituted into this check, with where each list is defined. */
  private static Map<String, Optional<Position>> lists(Expr e) {
    Map<String, Optional<Position>> out = new LinkedHashMap<>();
    if (!isCheck(e)) {
      return out;
    }
    Span s = e.span();
    for (Text.Piece p : s.text().pieces()) {
      if (p.origin().role() == Origin.Role.LIST_ITEMS
          && p.start() < s.end()
          && p.end() > s.start()) {
        out.putIfAbsent(p.origin().name(), Optional.of(p.origin().position(0)));
      }
    }
    return out;
  }

  private static boolean isCheck(Expr e) {
    return e instanceof Expr.BinaryCheck || e instanceof Expr.UnaryCheck;
  }

  private static String label(Expr e) {
    String s =
        switch (e) {
          case Expr.And a -> "and";
          case Expr.Or o -> "or";
          case Expr.Not n -> "not";
          default -> Ast.print(e);
        };
    return s.length() > MAX_LABEL ? s.substring(0, MAX_LABEL - 3) + "..." : s;
  }

  private static List<Expr> children(Expr e) {
    return switch (e) {
      case Expr.And a -> a.children();
      case Expr.Or o -> o.children();
      case Expr.Not n -> List.of(n.child());
      default -> List.of();
    };
  }

  private static void node(Expr e, JsonWriter j) {
    j.beginObject();
    j.field(
        "kind",
        switch (e) {
          case Expr.And a -> "and";
          case Expr.Or o -> "or";
          case Expr.Not n -> "not";
          default -> "check";
        });
    j.field("text", Ast.print(e));
    e.span()
        .origin()
        .ifPresent(o -> {
          j.name("origin").beginObject();
          j.field("role", o.role().name().toLowerCase(java.util.Locale.ROOT));
          j.field("name", o.name());
          position(e.span().position(), j);
          j.endObject();
        });
    Map<String, Optional<Position>> lists = lists(e);
    if (!lists.isEmpty()) {
      j.name("lists").beginArray();
      lists.forEach((name, pos) -> {
        j.beginObject().field("name", name);
        position(pos, j);
        j.endObject();
      });
      j.endArray();
    }
    List<Expr> kids = children(e);
    if (!kids.isEmpty()) {
      j.name("children").beginArray();
      kids.forEach(k -> node(k, j));
      j.endArray();
    }
    j.endObject();
  }

  private static void position(Optional<Position> pos, JsonWriter j) {
    pos.ifPresent(p -> {
      j.field("file", p.file().name());
      j.field("line", p.line());
      j.field("column", p.column());
    });
  }
}
