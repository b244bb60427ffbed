package dev.vigil.rules.match;

import com.google.re2j.Pattern;
import dev.vigil.rules.compile.Operator;
import dev.vigil.rules.compile.Values;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongPredicate;
import java.util.function.Predicate;

/**
 * Builds value predicates from an operator and its constants, once, at bind time: strings,
 * integers, byte buffers and IP addresses. List operators get hash sets or sorted arrays.
 */
final class Predicates {
  private Predicates() {}

  /** A predicate on a string value. */
  static Predicate<String> string(Operator op, List<String> constants) {
    String c = constants.isEmpty() ? "" : constants.getFirst();
    return switch (op.canonical()) {
      case EQ, EQ_EQ -> c::equals;
      case NE -> v -> !v.equals(c);
      case LT -> v -> v.compareTo(c) < 0;
      case LE -> v -> v.compareTo(c) <= 0;
      case GT -> v -> v.compareTo(c) > 0;
      case GE -> v -> v.compareTo(c) >= 0;
      case CONTAINS -> v -> v.contains(c);
      case ICONTAINS -> {
        String lower = Strings.asciiLower(c);
        yield v -> Strings.containsIgnoreCase(v, lower);
      }
      case STARTSWITH -> v -> v.startsWith(c);
      case ENDSWITH -> v -> v.endsWith(c);
      case GLOB -> new Glob(c, false)::matches;
      case IGLOB -> new Glob(c, true)::matches;
      case REGEX -> {
        Pattern p = Pattern.compile(c);
        yield v -> p.matches(v);
      }
      case IN, INTERSECTS -> {
        if (constants.size() == 1) {
          yield c::equals;
        }
        Set<String> set = new HashSet<>(constants);
        yield set::contains;
      }
      case PMATCH -> new PathMatch(constants)::matches;
      case BCONTAINS -> {
        byte[] needle = Values.hexBytes(c).orElse(new byte[0]);
        yield v -> Bytes.indexOf(v.getBytes(StandardCharsets.UTF_8), needle) >= 0;
      }
      case BSTARTSWITH -> {
        byte[] needle = Values.hexBytes(c).orElse(new byte[0]);
        yield v -> Bytes.startsWith(v.getBytes(StandardCharsets.UTF_8), needle);
      }
      case EXISTS -> v -> true;
    };
  }

  /**
   * A predicate on a value whose type depends on the event ({@code evt.rawarg}): numbers compare
   * numerically when both sides are numbers, everything else as strings.
   */
  static Predicate<String> dynamic(Operator op, List<String> constants) {
    Predicate<String> asString = string(op, constants);
    boolean numeric = constants.stream().allMatch(c -> Values.parseLong(c).isPresent());
    if (!numeric || op.canonical() == Operator.EXISTS) {
      return asString;
    }
    LongPredicate asNumber = number(op, constants, false);
    return v -> {
      var n = Values.parseLong(v);
      return n.isPresent() ? asNumber.test(n.get()) : asString.test(v);
    };
  }

  /** A predicate on an integer value; {@code unsigned} compares as unsigned 64-bit. */
  static LongPredicate number(Operator op, List<String> constants, boolean unsigned) {
    long[] vals = new long[constants.size()];
    for (int i = 0; i < vals.length; i++) {
      vals[i] = parse(constants.get(i));
    }
    long c = vals.length == 0 ? 0 : vals[0];
    return switch (op.canonical()) {
      case EQ, EQ_EQ -> v -> v == c;
      case NE -> v -> v != c;
      case LT -> unsigned ? v -> Long.compareUnsigned(v, c) < 0 : v -> v < c;
      case LE -> unsigned ? v -> Long.compareUnsigned(v, c) <= 0 : v -> v <= c;
      case GT -> unsigned ? v -> Long.compareUnsigned(v, c) > 0 : v -> v > c;
      case GE -> unsigned ? v -> Long.compareUnsigned(v, c) >= 0 : v -> v >= c;
      case IN, INTERSECTS -> {
        long[] sorted = vals.clone();
        Arrays.sort(sorted);
        yield v -> Arrays.binarySearch(sorted, v) >= 0;
      }
      case EXISTS -> v -> true;
      case CONTAINS,
          ICONTAINS,
          BCONTAINS,
          STARTSWITH,
          BSTARTSWITH,
          ENDSWITH,
          GLOB,
          IGLOB,
          REGEX,
          PMATCH ->
          throw new IllegalArgumentException("operator " + op.text() + " on a number");
    };
  }

  /** Booleans are numbers 0 and 1; constants are {@code true} and {@code false}. */
  static LongPredicate bool(Operator op, List<String> constants) {
    List<String> numeric =
        constants.stream().map(s -> Values.parseBool(s).map(b -> b ? "1" : "0").orElse(s)).toList();
    return number(op, numeric, false);
  }

  private static long parse(String s) {
    return Values.parseLong(s)
        .orElseThrow(() -> new IllegalArgumentException("not a number: " + s));
  }

  /** A predicate on a double value. */
  static java.util.function.DoublePredicate decimal(Operator op, List<String> constants) {
    double[] vals = constants.stream().mapToDouble(s -> (double) parse(s)).toArray();
    double c = vals.length == 0 ? 0 : vals[0];
    return switch (op.canonical()) {
      case EQ, EQ_EQ -> v -> v == c;
      case NE -> v -> v != c;
      case LT -> v -> v < c;
      case LE -> v -> v <= c;
      case GT -> v -> v > c;
      case GE -> v -> v >= c;
      case IN, INTERSECTS ->
          v -> {
            for (double x : vals) {
              if (x == v) {
                return true;
              }
            }
            return false;
          };
      default -> v -> false;
    };
  }

  /** A predicate on a byte buffer. */
  static Predicate<byte[]> bytes(Operator op, List<String> constants) {
    List<byte[]> raw = constants.stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toList();
    byte[] c = raw.isEmpty() ? new byte[0] : raw.getFirst();
    return switch (op.canonical()) {
      case EQ, EQ_EQ -> v -> Arrays.equals(v, c);
      case NE -> v -> !Arrays.equals(v, c);
      case CONTAINS -> v -> Bytes.indexOf(v, c) >= 0;
      case STARTSWITH -> v -> Bytes.startsWith(v, c);
      case ENDSWITH -> v -> Bytes.endsWith(v, c);
      case BCONTAINS -> {
        byte[] hex = Values.hexBytes(constants.getFirst()).orElse(new byte[0]);
        yield v -> Bytes.indexOf(v, hex) >= 0;
      }
      case BSTARTSWITH -> {
        byte[] hex = Values.hexBytes(constants.getFirst()).orElse(new byte[0]);
        yield v -> Bytes.startsWith(v, hex);
      }
      case IN, INTERSECTS -> {
        byte[][] all = raw.toArray(new byte[0][]);
        yield v -> {
          for (byte[] r : all) {
            if (Arrays.equals(r, v)) {
              return true;
            }
          }
          return false;
        };
      }
      default -> v -> false;
    };
  }

  /**
   * A predicate on an IP address (4 or 16 bytes). Constants are addresses or networks; an address
   * is a network of one.
   */
  static Predicate<byte[]> ip(Operator op, List<String> constants) {
    Values.Net[] nets =
        constants.stream().map(s -> Values.parseNet(s).orElseThrow()).toArray(Values.Net[]::new);
    Predicate<byte[]> any =
        v -> {
          for (Values.Net n : nets) {
            if (n.contains(v)) {
              return true;
            }
          }
          return false;
        };
    return switch (op.canonical()) {
      case EQ, EQ_EQ, IN, INTERSECTS -> any;
      case NE -> any.negate();
      default -> v -> false;
    };
  }
}
