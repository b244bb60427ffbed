package dev.vigil.rules.match;

import dev.vigil.event.Event;
import dev.vigil.event.Extractor;
import dev.vigil.event.ExtractorFactory;
import dev.vigil.event.FieldType;
import dev.vigil.event.SourceInfo;
import dev.vigil.rules.compile.Cond;
import dev.vigil.rules.compile.Operator;
import dev.vigil.rules.compile.Values;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.function.LongPredicate;
import java.util.function.Predicate;

/**
 * Binds a compiled condition to a source's extractors, giving a tree of matchers with Falco's
 * semantics: a field without a value makes every comparison false ({@code !=} included); list
 * fields compare as lists ({@code in}: every value in the set; {@code intersects}: one); fields
 * with several candidate values (any ancestor) match when one does, and {@code !=} when none is
 * equal; list modifiers count matching items.
 */
public final class Binder {
  private Binder() {}

  public static <E extends Event> Matcher<E> bind(
      Cond cond, SourceInfo source, ExtractorFactory<E> factory) {
    return switch (cond) {
      case Cond.And a -> and(bindAll(a.children(), source, factory));
      case Cond.Or o -> or(bindAll(o.children(), source, factory));
      case Cond.Not n -> {
        Matcher<E> child = bind(n.child(), source, factory);
        yield e -> !child.matches(e);
      }
      case Cond.Check c -> check(c, source, factory);
    };
  }

  private static <E extends Event> List<Matcher<E>> bindAll(
      List<Cond> cs, SourceInfo source, ExtractorFactory<E> factory) {
    List<Matcher<E>> out = new ArrayList<>(cs.size());
    for (Cond c : cs) {
      out.add(bind(c, source, factory));
    }
    return out;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static <E> Matcher<E>[] array(List<Matcher<E>> list) {
    return list.toArray(new Matcher[0]);
  }

  private static <E> Matcher<E> and(List<Matcher<E>> children) {
    Matcher<E>[] m = array(children);
    if (m.length == 2) {
      Matcher<E> a = m[0];
      Matcher<E> b = m[1];
      return e -> a.matches(e) && b.matches(e);
    }
    return e -> {
      for (Matcher<E> x : m) {
        if (!x.matches(e)) {
          return false;
        }
      }
      return true;
    };
  }

  private static <E> Matcher<E> or(List<Matcher<E>> children) {
    Matcher<E>[] m = array(children);
    return e -> {
      for (Matcher<E> x : m) {
        if (x.matches(e)) {
          return true;
        }
      }
      return false;
    };
  }

  private static <E extends Event> Matcher<E> check(
      Cond.Check c, SourceInfo source, ExtractorFactory<E> factory) {
    Matcher<E> fast = eventType(c, source);
    if (fast != null) {
      return fast;
    }
    Extractor<E> left = Extractors.bind(c.left(), factory);
    if (c.op() == Operator.EXISTS) {
      return exists(left);
    }
    return switch (c.right()) {
      case Cond.Rhs.None n -> exists(left);
      case Cond.Rhs.Values v ->
          c.modifier() == Operator.Modifier.NONE
              ? values(left, c.left().arity(), c.op(), v.values())
              : modifier(left, c.op(), c.modifier(), v.values());
      case Cond.Rhs.Field f ->
          FieldCompare.bind(left, c.op(), Extractors.bind(f.operand(), factory));
    };
  }

  /** {@code evt.type = x}, {@code in (...)}, {@code != x}: a bit test on the event's type code. */
  private static <E extends Event> @org.jspecify.annotations.Nullable Matcher<E> eventType(
      Cond.Check c, SourceInfo source) {
    if (!(c.left() instanceof Cond.FieldOperand f)
        || source.eventTypeField().isEmpty()
        || !f.field().name().equals(source.eventTypeField())
        || !f.arg().isEmpty()
        || c.modifier() != Operator.Modifier.NONE
        || !(c.right() instanceof Cond.Rhs.Values v)) {
      return null;
    }
    Operator op = c.op().canonical();
    if (op != Operator.EQ && op != Operator.NE && op != Operator.IN && op != Operator.INTERSECTS) {
      return null;
    }
    BitSet codes = new BitSet();
    for (String name : v.values()) {
      source.eventTypes().byName(name).ifPresent(t -> codes.set(t.code()));
    }
    if (op == Operator.NE) {
      return e -> !codes.get(e.eventType());
    }
    return e -> codes.get(e.eventType());
  }

  static <E> Matcher<E> exists(Extractor<E> x) {
    return switch (x) {
      case Extractor.OfString<E> s -> s::present;
      case Extractor.OfLong<E> n -> n::has;
      case Extractor.OfDouble<E> d -> d::has;
      case Extractor.OfBytes<E> b -> e -> b.bytes(e) != null;
      case Extractor.OfList<E> l ->
          e -> {
            List<String> v = l.values(e);
            return v != null && !v.isEmpty();
          };
      case Extractor.OfBytesList<E> l ->
          e -> {
            List<byte[]> v = l.values(e);
            return v != null && !v.isEmpty();
          };
    };
  }

  private static <E> Matcher<E> values(
      Extractor<E> left, Cond.Arity arity, Operator op, List<String> constants) {
    return switch (left) {
      case Extractor.OfString<E> s -> {
        Predicate<String> p =
            s.type() == FieldType.DYNAMIC
                ? Predicates.dynamic(op, constants)
                : Predicates.string(op, constants);
        yield e -> {
          String v = s.text(e);
          return v != null && p.test(v);
        };
      }
      case Extractor.OfLong<E> n -> {
        LongPredicate p = numberPredicate(n.type(), op, constants);
        yield e -> n.has(e) && p.test(n.number(e));
      }
      case Extractor.OfDouble<E> d -> {
        var p = Predicates.decimal(op, constants);
        yield e -> d.has(e) && p.test(d.decimal(e));
      }
      case Extractor.OfBytes<E> b -> {
        Predicate<byte[]> p = bytesPredicate(b.type(), op, constants);
        yield e -> {
          byte[] v = b.bytes(e);
          return v != null && p.test(v);
        };
      }
      case Extractor.OfList<E> l -> multi(l, arity, op, constants);
      case Extractor.OfBytesList<E> l -> multiBytes(l, arity, op, constants);
    };
  }

  /** Multi-valued byte fields (either-end addresses): as {@link #multi}, without text. */
  private static <E> Matcher<E> multiBytes(
      Extractor.OfBytesList<E> l, Cond.Arity arity, Operator op, List<String> constants) {
    Predicate<byte[]> p = bytesPredicate(l.type(), op, constants);
    Predicate<byte[]> eq = bytesPredicate(l.type(), Operator.EQ, constants);
    boolean every = arity == Cond.Arity.LIST && op == Operator.IN;
    boolean none = op == Operator.NE;
    return e -> {
      List<byte[]> vs = l.values(e);
      if (vs == null || vs.isEmpty()) {
        return false;
      }
      if (none) {
        for (byte[] v : vs) {
          if (eq.test(v)) {
            return false;
          }
        }
        return true;
      }
      if (every) {
        for (byte[] v : vs) {
          if (!p.test(v)) {
            return false;
          }
        }
        return true;
      }
      for (byte[] v : vs) {
        if (p.test(v)) {
          return true;
        }
      }
      return false;
    };
  }

  private static LongPredicate numberPredicate(FieldType type, Operator op, List<String> c) {
    return type.kind() == FieldType.Kind.BOOL
        ? Predicates.bool(op, c)
        : Predicates.number(op, c, type.kind() == FieldType.Kind.UNSIGNED);
  }

  private static Predicate<byte[]> bytesPredicate(FieldType type, Operator op, List<String> c) {
    return switch (type.kind()) {
      case IPADDR, IPNET -> Predicates.ip(op, c);
      default -> Predicates.bytes(op, c);
    };
  }

  /** Multi-valued fields: list fields compare as lists; "any of" fields match on any value. */
  private static <E> Matcher<E> multi(
      Extractor.OfList<E> l, Cond.Arity arity, Operator op, List<String> constants) {
    Predicate<String> p = valuePredicate(l.type(), op, constants);
    if (arity == Cond.Arity.LIST && op == Operator.IN) {
      return e -> {
        List<String> vs = l.values(e);
        if (vs == null || vs.isEmpty()) {
          return false;
        }
        for (String v : vs) {
          if (!p.test(v)) {
            return false;
          }
        }
        return true;
      };
    }
    if (op == Operator.NE) {
      Predicate<String> eq = valuePredicate(l.type(), Operator.EQ, constants);
      return e -> {
        List<String> vs = l.values(e);
        if (vs == null || vs.isEmpty()) {
          return false;
        }
        for (String v : vs) {
          if (eq.test(v)) {
            return false;
          }
        }
        return true;
      };
    }
    return e -> {
      List<String> vs = l.values(e);
      if (vs == null) {
        return false;
      }
      for (String v : vs) {
        if (p.test(v)) {
          return true;
        }
      }
      return false;
    };
  }

  /** A predicate on the string form of a value of {@code type}. */
  private static Predicate<String> valuePredicate(
      FieldType type, Operator op, List<String> constants) {
    return switch (type.kind()) {
      case SIGNED, UNSIGNED, BOOL -> {
        LongPredicate p = numberPredicate(type, op, constants);
        yield v -> {
          var n =
              type.kind() == FieldType.Kind.BOOL
                  ? Values.parseBool(v).map(b -> b ? 1L : 0L)
                  : Values.parseLong(v);
          return n.isPresent() && p.test(n.get());
        };
      }
      case IPADDR, IPNET -> {
        Predicate<byte[]> p = bytesPredicate(type, op, constants);
        yield v -> {
          var ip = Values.parseIp(v);
          return ip.isPresent() && p.test(ip.get());
        };
      }
      case DOUBLE, STRING, BYTES, NET -> Predicates.string(op, constants);
    };
  }

  /** {@code op oneof|anyof|allof (items)}: counts the items the value matches. */
  private static <E> Matcher<E> modifier(
      Extractor<E> left, Operator op, Operator.Modifier mod, List<String> items) {
    if (items.isEmpty()) {
      return e -> false;
    }
    List<Matcher<E>> each = new ArrayList<>();
    for (String item : items) {
      each.add(values(left, Cond.Arity.SINGLE, op, List.of(item)));
    }
    Matcher<E> present = exists(left);
    Matcher<E>[] m = array(each);
    return switch (mod) {
      case ANYOF -> {
        if ((op.canonical() == Operator.EQ) && left instanceof Extractor.OfString<E> s) {
          java.util.Set<String> set = new java.util.HashSet<>(items);
          yield e -> {
            String v = s.text(e);
            return v != null && set.contains(v);
          };
        }
        yield e -> {
          for (Matcher<E> x : m) {
            if (x.matches(e)) {
              return true;
            }
          }
          return false;
        };
      }
      case ALLOF ->
          e -> {
            if (!present.matches(e)) {
              return false;
            }
            for (Matcher<E> x : m) {
              if (!x.matches(e)) {
                return false;
              }
            }
            return true;
          };
      case ONEOF ->
          e -> {
            int n = 0;
            for (Matcher<E> x : m) {
              if (x.matches(e) && ++n > 1) {
                return false;
              }
            }
            return n == 1;
          };
      case NONE -> values(left, Cond.Arity.SINGLE, op, items);
    };
  }
}
