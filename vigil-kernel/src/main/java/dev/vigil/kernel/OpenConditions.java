package dev.vigil.kernel;

import dev.vigil.rules.ast.Expr;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What an open event must look like for a condition to be able to match it, as a disjunction of
 * {@link Term}s over the open's access class and its fd name. The result over-approximates: every
 * open the condition matches satisfies some term (a term may also admit opens the condition does
 * not match). Leaves this analysis does not understand — negations, other fields, other operators —
 * admit every open, so a condition it cannot read never loses events.
 *
 * <p>Understood: {@code evt.type} (a disjunct naming no open type cannot match an open), {@code
 * evt.is_open_read}/{@code evt.is_open_write = true}, {@code fd.name} with {@code =}, {@code in},
 * {@code startswith}, {@code pmatch} and {@code glob} (its literal prefix), {@code fd.directory}
 * with {@code =}, {@code in}, {@code startswith}, {@code pmatch}, and {@code fd.filename} or {@code
 * basename(fd.name)} with {@code =} and {@code in}.
 */
final class OpenConditions {
  private static final Set<String> OPEN_TYPES = Set.of("open", "openat", "openat2");

  /** Above this many terms a disjunction is widened (any path for the classes it has). */
  private static final int MAX_TERMS = 4096;

  private OpenConditions() {}

  enum Kind {
    ANY,
    EXACT,
    PREFIX,
    NAME,
    /** the path contains {@code ../}: in a normalised path, a component ending in {@code ..} */
    DOTDOT
  }

  /** Opens of {@code classes} whose fd name satisfies ({@code kind}, {@code text}). */
  record Term(int classes, Kind kind, String text) {}

  private static final List<Term> TRUE = List.of(new Term(OpenFilter.ALL, Kind.ANY, ""));
  private static final List<Term> FALSE = List.of();

  /** The filter that sends every open some condition in {@code conditions} could match. */
  static OpenFilter filter(boolean closes, List<Expr> conditions) {
    int always = 0;
    int dotdot = 0;
    Map<String, Integer> exacts = new LinkedHashMap<>();
    Map<String, Integer> prefixes = new LinkedHashMap<>();
    Map<String, Integer> names = new LinkedHashMap<>();
    for (Expr c : conditions) {
      for (Term t : terms(c)) {
        switch (t.kind()) {
          case ANY -> always |= t.classes();
          case EXACT -> exacts.merge(t.text(), t.classes(), (a, b) -> a | b);
          case PREFIX -> prefixes.merge(t.text(), t.classes(), (a, b) -> a | b);
          case NAME -> names.merge(t.text(), t.classes(), (a, b) -> a | b);
          case DOTDOT -> dotdot |= t.classes();
        }
      }
    }
    return new OpenFilter(true, always, dotdot, closes, exacts, prefixes, names);
  }

  /** The terms of one condition. */
  static List<Term> terms(Expr e) {
    return switch (e) {
      case Expr.And a -> {
        List<Term> acc = TRUE;
        for (Expr c : a.children()) {
          acc = and(acc, terms(c));
          if (acc.isEmpty()) {
            break;
          }
        }
        yield acc;
      }
      case Expr.Or o -> {
        List<Term> acc = FALSE;
        for (Expr c : o.children()) {
          acc = or(acc, terms(c));
        }
        yield acc;
      }
      case Expr.BinaryCheck b -> check(b);
      case Expr.Not n -> TRUE;
      case Expr.Identifier i -> TRUE;
      case Expr.UnaryCheck u -> TRUE;
      case Expr.Field f -> TRUE;
      case Expr.Transformer t -> TRUE;
      case Expr.TransformerList l -> TRUE;
      case Expr.Value v -> TRUE;
      case Expr.ListValue l -> TRUE;
    };
  }

  private static List<Term> check(Expr.BinaryCheck b) {
    String[] op = b.op().strip().split("\\s+", -1);
    boolean oneof = op.length > 1 && op[op.length - 1].equals("oneof");
    String base = op[0];
    List<String> values =
        switch (b.right()) {
          case Expr.Value v -> List.of(v.value());
          case Expr.ListValue l -> l.values();
          default -> List.of();
        };
    if (values.isEmpty() || (b.right() instanceof Expr.ListValue && !base.equals("in") && !oneof)) {
      return TRUE;
    }
    String field =
        switch (b.left()) {
          case Expr.Field f when f.arg().isEmpty() -> f.name();
          case Expr.Transformer t
              when t.name().equals("basename")
                  && t.args().size() == 1
                  && t.args().getFirst() instanceof Expr.Field f
                  && f.name().equals("fd.name")
                  && f.arg().isEmpty() ->
              "basename(fd.name)";
          default -> "";
        };
    boolean eq = base.equals("=") || base.equals("==") || base.equals("in");
    return switch (field) {
      case "evt.type" -> {
        if (!eq) {
          yield TRUE;
        }
        yield values.stream().anyMatch(OPEN_TYPES::contains) ? TRUE : FALSE;
      }
      case "evt.is_open_read" -> eq && values.equals(List.of("true")) ? any(OpenFilter.READ) : TRUE;
      case "evt.is_open_write" ->
          eq && values.equals(List.of("true")) ? any(OpenFilter.WRITE) : TRUE;
      case "fd.nameraw" ->
          base.equals("contains") && values.equals(List.of("../")) ? dotdot() : TRUE;
      case "fd.name" ->
          switch (base) {
            case "contains" -> values.equals(List.of("../")) ? dotdot() : TRUE;
            case "=", "==", "in" -> paths(Kind.EXACT, values);
            case "startswith", "pmatch" -> paths(Kind.PREFIX, values);
            case "glob" ->
                paths(Kind.PREFIX, values.stream().map(OpenConditions::literal).toList());
            default -> TRUE;
          };
      case "fd.directory" ->
          switch (base) {
            case "=", "==", "in" ->
                paths(
                    Kind.PREFIX, values.stream().map(d -> d.endsWith("/") ? d : d + "/").toList());
            case "startswith", "pmatch" -> paths(Kind.PREFIX, values);
            default -> TRUE;
          };
      case "fd.filename", "basename(fd.name)" -> eq ? paths(Kind.NAME, values) : TRUE;
      default -> TRUE;
    };
  }

  private static List<Term> dotdot() {
    return List.of(new Term(OpenFilter.ALL, Kind.DOTDOT, ""));
  }

  private static List<Term> any(int classes) {
    return List.of(new Term(classes, Kind.ANY, ""));
  }

  /** Terms for path values; an empty value (or prefix) admits any path. */
  private static List<Term> paths(Kind kind, List<String> values) {
    List<Term> out = new ArrayList<>();
    for (String v : values) {
      if (v.isEmpty()) {
        return TRUE;
      }
      out.add(new Term(OpenFilter.ALL, kind, v));
    }
    return out;
  }

  /** The literal start of a glob (up to its first wildcard). */
  private static String literal(String glob) {
    int i = 0;
    while (i < glob.length() && "*?[\\".indexOf(glob.charAt(i)) < 0) {
      i++;
    }
    return glob.substring(0, i);
  }

  static List<Term> or(List<Term> a, List<Term> b) {
    Set<Term> out = new LinkedHashSet<>(a);
    out.addAll(b);
    if (out.size() <= MAX_TERMS) {
      return List.copyOf(out);
    }
    int classes = 0;
    for (Term t : out) {
      classes |= t.classes();
    }
    return any(classes);
  }

  static List<Term> and(List<Term> a, List<Term> b) {
    if (a.isEmpty() || b.isEmpty()) {
      return FALSE;
    }
    if ((long) a.size() * b.size() > MAX_TERMS) {
      // either side alone still admits every match
      return a.size() <= b.size() ? a : b;
    }
    Set<Term> out = new LinkedHashSet<>();
    for (Term x : a) {
      for (Term y : b) {
        Term t = both(x, y);
        if (t != null) {
          out.add(t);
        }
      }
    }
    return List.copyOf(out);
  }

  /** A term admitting what both admit (or more), or null when nothing satisfies both. */
  private static @Nullable Term both(Term x, Term y) {
    int classes = x.classes() & y.classes();
    if (classes == 0) {
      return null;
    }
    if (x.kind() == Kind.ANY) {
      return new Term(classes, y.kind(), y.text());
    }
    if (y.kind() == Kind.ANY) {
      return new Term(classes, x.kind(), x.text());
    }
    if (rank(y) > rank(x)) {
      Term t = x;
      x = y;
      y = t;
    }
    // x is at least as specific as y: keep x when it can satisfy y as well
    boolean possible =
        switch (y.kind()) {
          case DOTDOT -> x.kind() != Kind.EXACT || x.text().contains("../");
          case EXACT -> x.text().equals(y.text());
          case PREFIX ->
              x.kind() == Kind.NAME
                  || x.kind() == Kind.DOTDOT
                  || x.text().startsWith(y.text())
                  || (x.kind() == Kind.PREFIX && y.text().startsWith(x.text()));
          case NAME ->
              switch (x.kind()) {
                case NAME -> x.text().equals(y.text());
                case EXACT -> x.text().endsWith("/" + y.text());
                default -> true;
              };
          case ANY -> true;
        };
    if (!possible) {
      return null;
    }
    if (x.kind() == Kind.PREFIX
        && y.kind() == Kind.PREFIX
        && y.text().length() > x.text().length()) {
      return new Term(classes, Kind.PREFIX, y.text());
    }
    return new Term(classes, x.kind(), x.text());
  }

  private static int rank(Term t) {
    return switch (t.kind()) {
      case EXACT -> 4;
      case DOTDOT -> 3; // rare in real paths: the narrower test in practice
      case NAME -> 2;
      case PREFIX -> 1;
      case ANY -> 0;
    };
  }
}
