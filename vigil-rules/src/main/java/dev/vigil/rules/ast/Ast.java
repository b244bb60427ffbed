package dev.vigil.rules.ast;

import java.util.List;

/** Printing and small utilities over {@link Expr} trees. */
public final class Ast {
  private Ast() {}

  /**
   * The canonical text of a condition, exactly as libsinsp prints it (Falco's {@code
   * condition_compiled}): boolean operators parenthesised, values escaped and quoted when needed.
   */
  public static String print(Expr e) {
    StringBuilder sb = new StringBuilder();
    print(e, sb);
    return sb.toString();
  }

  private static void print(Expr e, StringBuilder sb) {
    switch (e) {
      case Expr.And(var children, var span) -> printJoined("and", children, sb);
      case Expr.Or(var children, var span) -> printJoined("or", children, sb);
      case Expr.Not(var child, var span) -> {
        sb.append("not ");
        print(child, sb);
      }
      case Expr.Identifier(var name, var span) -> sb.append(name);
      case Expr.UnaryCheck(var left, var op, var span) -> {
        print(left, sb);
        sb.append(' ').append(op);
      }
      case Expr.BinaryCheck(var left, var op, var right, var span) -> {
        print(left, sb);
        sb.append(' ').append(op).append(' ');
        print(right, sb);
      }
      case Expr.Field(var name, var arg, var span) -> {
        sb.append(name);
        if (!arg.isEmpty()) {
          sb.append('[').append(escape(arg)).append(']');
        }
      }
      case Expr.Transformer(var name, var args, var arg, var span) -> {
        sb.append(name).append('(');
        for (int i = 0; i < args.size(); i++) {
          if (i > 0) {
            sb.append(", ");
          }
          print(args.get(i), sb);
        }
        sb.append(')');
        if (!arg.isEmpty()) {
          sb.append('[').append(escape(arg)).append(']');
        }
      }
      case Expr.TransformerList(var items, var span) -> {
        sb.append('(');
        for (int i = 0; i < items.size(); i++) {
          if (i > 0) {
            sb.append(", ");
          }
          print(items.get(i), sb);
        }
        sb.append(')');
      }
      case Expr.Value(var value, var span) -> sb.append(escape(value));
      case Expr.ListValue(var values, var span) -> {
        sb.append('(');
        for (int i = 0; i < values.size(); i++) {
          if (i > 0) {
            sb.append(", ");
          }
          sb.append(escape(values.get(i)));
        }
        sb.append(')');
      }
    }
  }

  private static void printJoined(String op, List<Expr> children, StringBuilder sb) {
    sb.append('(');
    for (int i = 0; i < children.size(); i++) {
      if (i > 0) {
        sb.append(' ').append(op).append(' ');
      }
      print(children.get(i), sb);
    }
    sb.append(')');
  }

  /**
   * Escapes a value as libsinsp does when printing: control characters, backslash and double quote
   * get backslash escapes, and the value is double-quoted if it needed any escape or contains a
   * space or a single quote.
   */
  public static String escape(String s) {
    StringBuilder res = new StringBuilder(s.length() + 2);
    boolean quote = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\b' -> {
          quote = true;
          res.append("\\b");
        }
        case '\f' -> {
          quote = true;
          res.append("\\f");
        }
        case '\n' -> {
          quote = true;
          res.append("\\n");
        }
        case '\r' -> {
          quote = true;
          res.append("\\r");
        }
        case '\t' -> {
          quote = true;
          res.append("\\t");
        }
        case '\\' -> {
          quote = true;
          res.append("\\\\");
        }
        case '"' -> {
          quote = true;
          res.append("\\\"");
        }
        case ' ', '\'', '\0' -> {
          quote = true;
          res.append(c);
        }
        default -> res.append(c);
      }
    }
    return quote ? "\"" + res + "\"" : res.toString();
  }

  /** Number of nodes in a tree (used to bound expansion). */
  public static int size(Expr e) {
    return switch (e) {
      case Expr.And a -> 1 + a.children().stream().mapToInt(Ast::size).sum();
      case Expr.Or o -> 1 + o.children().stream().mapToInt(Ast::size).sum();
      case Expr.Not n -> 1 + size(n.child());
      case Expr.UnaryCheck u -> 1 + size(u.left());
      case Expr.BinaryCheck b -> 1 + size(b.left()) + size(b.right());
      case Expr.Transformer t -> 1 + t.args().stream().mapToInt(Ast::size).sum();
      case Expr.TransformerList l -> 1 + l.items().stream().mapToInt(Ast::size).sum();
      case Expr.Identifier i -> 1;
      case Expr.Field f -> 1;
      case Expr.Value v -> 1;
      case Expr.ListValue l -> 1;
    };
  }
}
