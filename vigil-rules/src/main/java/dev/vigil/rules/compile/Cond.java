package dev.vigil.rules.compile;

import dev.vigil.event.FieldDef;
import dev.vigil.event.FieldType;
import dev.vigil.rules.ast.Span;
import java.util.List;

/**
 * A compiled condition, type-checked against a source's catalogue but not yet bound to its
 * extractors. {@link Binder} turns it into a {@link Matcher}.
 */
public sealed interface Cond {

  record And(List<Cond> children) implements Cond {
    public And {
      children = List.copyOf(children);
    }
  }

  record Or(List<Cond> children) implements Cond {
    public Or {
      children = List.copyOf(children);
    }
  }

  record Not(Cond child) implements Cond {}

  /**
   * A comparison.
   *
   * @param left what is compared
   * @param op the operator
   * @param modifier a list modifier, or {@link Operator.Modifier#NONE}
   * @param right the constants or the right-hand operand
   * @param span where the check was written
   */
  record Check(Operand left, Operator op, Operator.Modifier modifier, Rhs right, Span span)
      implements Cond {}

  /** The left side of a check, or a transformer argument. */
  sealed interface Operand {
    FieldType type();

    /** How many values the operand yields. */
    Arity arity();
  }

  /** How an operand's values are compared. */
  enum Arity {
    /** One value. */
    SINGLE,
    /** A list field: {@code in} means every value is in the set. */
    LIST,
    /** Several candidate values (any ancestor, client or server address): any may match. */
    ANY
  }

  /** A field with its argument. */
  record FieldOperand(FieldDef field, String arg, Arity arity, Span span) implements Operand {
    @Override
    public FieldType type() {
      return field.type();
    }
  }

  /** A transformer applied to operands. */
  record TransformerOperand(
      String name, List<Operand> args, String arg, FieldType type, Arity arity, Span span)
      implements Operand {
    public TransformerOperand {
      args = List.copyOf(args);
    }
  }

  /** A constant transformer argument. */
  record ConstOperand(String value, FieldType type) implements Operand {
    @Override
    public Arity arity() {
      return Arity.SINGLE;
    }
  }

  /** A parenthesised list of transformer arguments. */
  record ListOperand(List<Operand> items) implements Operand {
    public ListOperand {
      items = List.copyOf(items);
    }

    @Override
    public FieldType type() {
      return FieldType.CHARBUF;
    }

    @Override
    public Arity arity() {
      return Arity.LIST;
    }
  }

  /** The right side of a check. */
  sealed interface Rhs {
    /** {@code exists}. */
    record None() implements Rhs {}

    /** Constants: one for a plain comparison, several for list operators and modifiers. */
    record Values(List<String> values) implements Rhs {
      public Values {
        values = List.copyOf(values);
      }
    }

    /** A field-to-field comparison ({@code val(f)} or a transformer). */
    record Field(Operand operand) implements Rhs {}
  }
}
