package dev.vigil.rules.compile;

import dev.vigil.event.FieldType;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Derives, from a compiled condition, a necessary condition on a source's dispatch fields: for each
 * such field, the set of values the field must have for the condition to hold. The rule engine uses
 * it to try a rule only on events whose dispatch-field values allow it (the analogue, for sources
 * without event types, of the syscall event-type index).
 *
 * <p>Only exact string comparisons narrow: {@code f = v}, {@code f in (...)}, {@code f intersects
 * (...)} and {@code f = anyof (...)} on a single-valued string field, which hold only when the
 * field has a value and that value is one of the constants (case-sensitive). A conjunction narrows
 * by every conjunct (intersecting sets for the same field); a disjunction narrows a field only when
 * every branch does (the union of their sets); {@code not} and every other comparison narrow
 * nothing, so a rule whose condition has no narrowing conjunct is tried on every event. An empty
 * set means the condition can never hold.
 */
public final class DispatchConstraints {
  private DispatchConstraints() {}

  /**
   * A dispatch field as conditions write it: its name and its bracket argument ({@code ""} when
   * none), e.g. {@code ka.verb} or {@code jevt.value[/stage]}.
   */
  public record Key(String field, String arg) {
    /** Parses {@code name} or {@code name[arg]}. */
    public static Key parse(String spec) {
      int b = spec.indexOf('[');
      if (b > 0 && spec.endsWith("]")) {
        return new Key(spec.substring(0, b), spec.substring(b + 1, spec.length() - 1));
      }
      return new Key(spec, "");
    }

    @Override
    public String toString() {
      return arg.isEmpty() ? field : field + "[" + arg + "]";
    }
  }

  /**
   * The necessary values per dispatch field: a field absent from the map is unconstrained. Keys
   * keep the order in which {@code dispatch} lists them.
   */
  public static Map<Key, Set<String>> of(Cond cond, List<Key> dispatch) {
    Map<Key, Set<String>> raw = derive(cond, dispatch);
    Map<Key, Set<String>> out = new LinkedHashMap<>();
    for (Key k : dispatch) {
      Set<String> s = raw.get(k);
      if (s != null) {
        out.put(k, java.util.Collections.unmodifiableSet(s));
      }
    }
    return out;
  }

  private static Map<Key, Set<String>> derive(Cond cond, List<Key> dispatch) {
    return switch (cond) {
      case Cond.And a -> {
        Map<Key, Set<String>> out = new LinkedHashMap<>();
        for (Cond c : a.children()) {
          derive(c, dispatch).forEach((k, s) -> out.merge(k, s, DispatchConstraints::intersect));
        }
        yield out;
      }
      case Cond.Or o -> {
        Map<Key, Set<String>> out = null;
        for (Cond c : o.children()) {
          Map<Key, Set<String>> m = derive(c, dispatch);
          if (out == null) {
            out = m;
            continue;
          }
          Map<Key, Set<String>> both = new LinkedHashMap<>();
          for (Map.Entry<Key, Set<String>> e : out.entrySet()) {
            Set<String> other = m.get(e.getKey());
            if (other != null) {
              Set<String> u = new LinkedHashSet<>(e.getValue());
              u.addAll(other);
              both.put(e.getKey(), u);
            }
          }
          out = both;
        }
        yield out == null ? new LinkedHashMap<>() : out;
      }
      case Cond.Not n -> new LinkedHashMap<>();
      case Cond.Check c -> check(c, dispatch);
    };
  }

  private static Set<String> intersect(Set<String> a, Set<String> b) {
    Set<String> out = new LinkedHashSet<>(a);
    out.retainAll(b);
    return out;
  }

  private static Map<Key, Set<String>> check(Cond.Check c, List<Key> dispatch) {
    Map<Key, Set<String>> out = new LinkedHashMap<>();
    if (!(c.left() instanceof Cond.FieldOperand f)
        || f.arity() != Cond.Arity.SINGLE
        || f.field().isList()
        || f.type().kind() != FieldType.Kind.STRING
        || f.type() == FieldType.DYNAMIC
        || !(c.right() instanceof Cond.Rhs.Values v)) {
      return out;
    }
    Key k = new Key(f.field().name(), f.arg());
    if (!dispatch.contains(k) || !narrows(c.op().canonical(), c.modifier(), v.values())) {
      return out;
    }
    List<String> values =
        c.op().canonical() == Operator.EQ && c.modifier() == Operator.Modifier.NONE
            ? v.values().subList(0, 1)
            : v.values();
    out.put(k, new LinkedHashSet<>(values));
    return out;
  }

  private static boolean narrows(Operator op, Operator.Modifier mod, List<String> values) {
    return switch (mod) {
      case NONE ->
          (op == Operator.EQ && values.size() == 1)
              || op == Operator.IN
              || op == Operator.INTERSECTS;
      case ANYOF -> op == Operator.EQ;
      case ONEOF, ALLOF -> false;
    };
  }
}
