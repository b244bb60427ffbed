package dev.vigil.rules.compile;

import dev.vigil.event.EventTypes;
import dev.vigil.rules.ast.Expr;
import dev.vigil.rules.compile.Checker.CompileError;
import dev.vigil.rules.compile.Checker.ErrorKind;
import java.util.BitSet;
import java.util.List;

/**
 * Infers the set of event types for which a condition can be true, exactly as libsinsp does: {@code
 * and} intersects, {@code or} unites, negation is pushed to the leaves (De Morgan), {@code
 * evt.type} leaves give their types or the complement, {@code evt.num} leaves that can never or
 * always hold give nothing or everything, and every other leaf is neutral (all types, unchanged by
 * negation).
 */
public final class EventTypeInference {
  private final EventTypes types;
  private final BitSet all;
  private boolean lastIsEventTypeField;
  private boolean lastIsFieldOrTransformer = true;
  private boolean insideNegation;
  private boolean lastHasCodes;
  private BitSet last = new BitSet();

  private EventTypeInference(EventTypes types) {
    this.types = types;
    this.all = new BitSet(types.size());
    this.all.set(0, types.size());
  }

  /** The event types (by code) a condition can match. */
  public static BitSet infer(EventTypes types, Expr e) throws CompileError {
    EventTypeInference v = new EventTypeInference(types);
    v.visit(e);
    return v.last;
  }

  /** Falco's count of a set: how many of its event codes it covers. */
  public static int weight(EventTypes types, BitSet set) {
    int w = 0;
    for (int i = set.nextSetBit(0); i >= 0; i = set.nextSetBit(i + 1)) {
      w += types.byCode(i).weight();
    }
    return w;
  }

  private BitSet allCodes() {
    return (BitSet) all.clone();
  }

  private void inversion(BitSet set) {
    if (lastHasCodes) {
      BitSet inv = allCodes();
      inv.andNot(set);
      set.clear();
      set.or(inv);
    }
  }

  private void tryInversion(BitSet set) {
    if (insideNegation) {
      inversion(set);
    }
  }

  private void conjunction(List<Expr> children) throws CompileError {
    BitSet acc = allCodes();
    for (Expr c : children) {
      visit(c);
      acc.and(last);
    }
    last = acc;
    lastIsEventTypeField = false;
  }

  private void disjunction(List<Expr> children) throws CompileError {
    BitSet acc = new BitSet();
    for (Expr c : children) {
      visit(c);
      acc.or(last);
    }
    last = acc;
    lastIsEventTypeField = false;
  }

  private void visit(Expr e) throws CompileError {
    switch (e) {
      case Expr.And a -> {
        if (insideNegation) {
          disjunction(a.children());
        } else {
          conjunction(a.children());
        }
      }
      case Expr.Or o -> {
        if (insideNegation) {
          conjunction(o.children());
        } else {
          disjunction(o.children());
        }
      }
      case Expr.Not n -> {
        last = new BitSet();
        boolean saved = insideNegation;
        insideNegation = !insideNegation;
        visit(n.child());
        insideNegation = saved;
        lastIsEventTypeField = false;
      }
      case Expr.BinaryCheck b -> binary(b);
      case Expr.UnaryCheck u -> {
        visit(u.left());
        lastHasCodes = lastIsEventTypeField && u.op().equals("exists");
        last = allCodes();
        lastIsEventTypeField = false;
        tryInversion(last);
      }
      case Expr.Identifier i -> neutral();
      case Expr.Value v -> {
        lastHasCodes = true;
        last = codes(List.of(v.value()));
        lastIsEventTypeField = false;
        tryInversion(last);
      }
      case Expr.ListValue l -> {
        lastHasCodes = true;
        last = codes(l.values());
        lastIsEventTypeField = false;
        tryInversion(last);
      }
      case Expr.TransformerList l -> {
        for (Expr c : l.items()) {
          visit(c);
        }
      }
      case Expr.Field f -> {
        lastHasCodes = false;
        lastIsFieldOrTransformer = true;
        lastIsEventTypeField =
            (f.name().equals("evt.type") || f.name().equals("syscall.type")) && f.arg().isEmpty();
        last = allCodes();
        tryInversion(last);
      }
      case Expr.Transformer t -> {
        for (Expr c : t.args()) {
          visit(c);
          if (lastIsEventTypeField) {
            throw new CompileError(
                ErrorKind.INVALID,
                "event code search does not support `evt.type` checks with transformers",
                t.span());
          }
        }
        lastIsFieldOrTransformer = true;
      }
    }
  }

  private void neutral() {
    lastHasCodes = false;
    last = allCodes();
    lastIsEventTypeField = false;
    tryInversion(last);
  }

  private void binary(Expr.BinaryCheck b) throws CompileError {
    lastHasCodes = false;
    switch (invariant(b)) {
      case EMPTY -> {
        last = new BitSet();
        lastHasCodes = true;
        lastIsEventTypeField = false;
        tryInversion(last);
        return;
      }
      case ALL -> {
        last = allCodes();
        lastHasCodes = true;
        lastIsEventTypeField = false;
        tryInversion(last);
        return;
      }
      case UNKNOWN -> {}
    }
    String op = b.op();
    if (op.equals("==") || op.equals("=") || op.equals("!=") || op.equals("in")) {
      visit(b.left());
      if (lastIsEventTypeField) {
        lastIsFieldOrTransformer = false;
        visit(b.right());
        if (lastIsFieldOrTransformer) {
          throw new CompileError(
              ErrorKind.INVALID,
              "right-hand field comparisons on `evt.type`/`syscall.type` checks are not"
                  + " supported by event code search",
              b.span());
        }
        if (op.equals("!=")) {
          inversion(last);
        }
        lastIsEventTypeField = false;
        return;
      }
    }
    last = allCodes();
    lastIsEventTypeField = false;
    tryInversion(last);
  }

  private enum Invariant {
    EMPTY,
    ALL,
    UNKNOWN
  }

  /** {@code evt.num} is never 0: some checks on it are decided statically. */
  private static Invariant invariant(Expr.BinaryCheck b) {
    if (!(b.left() instanceof Expr.Field f) || !f.name().equals("evt.num") || !f.arg().isEmpty()) {
      return Invariant.UNKNOWN;
    }
    String op = b.op();
    if (op.equals("in")) {
      if (!(b.right() instanceof Expr.ListValue l)) {
        return Invariant.UNKNOWN;
      }
      for (String v : l.values()) {
        if (unsigned(v) != 0) {
          return Invariant.UNKNOWN;
        }
      }
      return Invariant.EMPTY;
    }
    if (!(b.right() instanceof Expr.Value v)) {
      return Invariant.UNKNOWN;
    }
    long n = unsigned(v.value());
    if (n == -1) {
      return Invariant.UNKNOWN;
    }
    return switch (op) {
      case "=", "==" -> n == 0 ? Invariant.EMPTY : Invariant.UNKNOWN;
      case "!=", ">" -> n == 0 ? Invariant.ALL : Invariant.UNKNOWN;
      case "<" -> n <= 1 ? Invariant.EMPTY : Invariant.UNKNOWN;
      case "<=" -> n == 0 ? Invariant.EMPTY : Invariant.UNKNOWN;
      case ">=" -> n <= 1 ? Invariant.ALL : Invariant.UNKNOWN;
      default -> Invariant.UNKNOWN;
    };
  }

  /**
   * Parses an unsigned 64-bit decimal literal; {@code -1} (all ones) stands for "not parsable",
   * which the callers treat like any other large value: undecided.
   */
  private static long unsigned(String s) {
    String v = s.strip();
    boolean neg = v.startsWith("-");
    String body = neg ? v.substring(1) : v;
    if (body.isEmpty() || !body.chars().allMatch(Character::isDigit)) {
      return -1;
    }
    try {
      long n = Long.parseUnsignedLong(body);
      return neg ? -n : n;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private BitSet codes(List<String> names) {
    BitSet set = new BitSet();
    for (String n : names) {
      types.byName(n).ifPresent(t -> set.set(t.code()));
    }
    return set;
  }
}
