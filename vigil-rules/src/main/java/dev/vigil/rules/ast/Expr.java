package dev.vigil.rules.ast;

import java.util.List;

/**
 * A node of a condition. The node kinds are libsinsp's: boolean operators, checks, and the operands
 * of checks (fields, transformers, values, lists). An {@link Identifier} is a macro reference until
 * macros are resolved.
 */
public sealed interface Expr {
  Span span();

  /** {@code a and b and ...} (two or more children). */
  record And(List<Expr> children, Span span) implements Expr {
    public And {
      children = List.copyOf(children);
    }
  }

  /** {@code a or b or ...} (two or more children). */
  record Or(List<Expr> children, Span span) implements Expr {
    public Or {
      children = List.copyOf(children);
    }
  }

  record Not(Expr child, Span span) implements Expr {}

  /** A bare identifier in check position: a macro reference. */
  record Identifier(String name, Span span) implements Expr {}

  /** A check with one operand: {@code field exists}. */
  record UnaryCheck(Expr left, String op, Span span) implements Expr {}

  /**
   * A check with two operands: {@code field op value}. {@code op} is the operator as written
   * (trimmed), including a list modifier ({@code "startswith oneof"}).
   */
  record BinaryCheck(Expr left, String op, Expr right, Span span) implements Expr {}

  /**
   * A field, with its bracket argument ({@code ""} when none; dotted arguments such as {@code
   * evt.arg.fd} stay part of the name, as in Falco's AST).
   */
  record Field(String name, String arg, Span span) implements Expr {}

  /**
   * A transformer ({@code tolower(...)}, {@code val(...)}, {@code join(...)}), with its arguments
   * and an optional trailing bracket argument ({@code getopt(...)[o]}).
   */
  record Transformer(String name, List<Expr> args, String arg, Span span) implements Expr {
    public Transformer {
      args = List.copyOf(args);
    }
  }

  /** A parenthesised list inside transformer arguments. */
  record TransformerList(List<Expr> items, Span span) implements Expr {
    public TransformerList {
      items = List.copyOf(items);
    }
  }

  /** A constant: a bare or (already unescaped) quoted string, or a number token. */
  record Value(String value, Span span) implements Expr {}

  /** A list of constants: {@code (a, b, "c d")}. */
  record ListValue(List<String> values, Span span) implements Expr {
    public ListValue {
      values = List.copyOf(values);
    }
  }
}
