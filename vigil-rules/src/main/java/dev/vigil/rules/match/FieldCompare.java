package dev.vigil.rules.match;

import dev.vigil.event.Extractor;
import dev.vigil.event.FieldType;
import dev.vigil.rules.compile.Operator;
import java.util.List;
import java.util.function.BiPredicate;

/**
 * Field-to-field comparisons ({@code proc.name = val(proc.pname)}, {@code tolower(a) =
 * tolower(b)}): both sides are extracted per event and compared by the left side's type.
 */
final class FieldCompare {
  private FieldCompare() {}

  static <E> Matcher<E> bind(Extractor<E> left, Operator op, Extractor<E> right) {
    if (left instanceof Extractor.OfLong<E> l && right instanceof Extractor.OfLong<E> r) {
      boolean unsigned = l.type().kind() == FieldType.Kind.UNSIGNED;
      return e -> {
        if (!l.has(e) || !r.has(e)) {
          return false;
        }
        long a = l.number(e);
        long b = r.number(e);
        int cmp = unsigned ? Long.compareUnsigned(a, b) : Long.compare(a, b);
        return compare(op, cmp);
      };
    }
    if (left instanceof Extractor.OfList<E> l) {
      return e -> {
        List<String> vs = l.values(e);
        String r = right.format(e);
        if (vs == null || r == null) {
          return false;
        }
        BiPredicate<String, String> p = strings(op);
        for (String v : vs) {
          if (p.test(v, r)) {
            return true;
          }
        }
        return false;
      };
    }
    if (right instanceof Extractor.OfList<E> r
        && (op == Operator.IN || op == Operator.INTERSECTS)) {
      return e -> {
        String v = left.format(e);
        List<String> vs = r.values(e);
        return v != null && vs != null && vs.contains(v);
      };
    }
    BiPredicate<String, String> p = strings(op);
    return e -> {
      String a = left.format(e);
      String b = right.format(e);
      return a != null && b != null && p.test(a, b);
    };
  }

  private static boolean compare(Operator op, int cmp) {
    return switch (op.canonical()) {
      case EQ, EQ_EQ, IN, INTERSECTS -> cmp == 0;
      case NE -> cmp != 0;
      case LT -> cmp < 0;
      case LE -> cmp <= 0;
      case GT -> cmp > 0;
      case GE -> cmp >= 0;
      default -> false;
    };
  }

  private static BiPredicate<String, String> strings(Operator op) {
    return switch (op.canonical()) {
      case EQ, EQ_EQ, IN, INTERSECTS -> String::equals;
      case NE -> (a, b) -> !a.equals(b);
      case LT -> (a, b) -> a.compareTo(b) < 0;
      case LE -> (a, b) -> a.compareTo(b) <= 0;
      case GT -> (a, b) -> a.compareTo(b) > 0;
      case GE -> (a, b) -> a.compareTo(b) >= 0;
      case CONTAINS -> String::contains;
      case ICONTAINS -> (a, b) -> Strings.containsIgnoreCase(a, Strings.asciiLower(b));
      case STARTSWITH -> String::startsWith;
      case ENDSWITH -> String::endsWith;
      case GLOB -> (a, b) -> Glob.match(b, 0, a, 0);
      case IGLOB -> (a, b) -> Glob.match(Strings.asciiLower(b), 0, Strings.asciiLower(a), 0);
      case REGEX -> (a, b) -> com.google.re2j.Pattern.matches(b, a);
      case PMATCH -> (a, b) -> new PathMatch(List.of(b)).matches(a);
      case BCONTAINS, BSTARTSWITH, EXISTS -> (a, b) -> false;
    };
  }
}
