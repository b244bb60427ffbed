package dev.vigil.rules.parse;

import dev.vigil.rules.ast.Expr;

/** What parsing a condition gives. */
public sealed interface ParseResult {
  record Ok(Expr expr) implements ParseResult {}

  /**
   * A syntax error.
   *
   * @param message libsinsp's message for it
   * @param offset where the parser stood when it failed
   */
  record SyntaxError(String message, int offset) implements ParseResult {}
}
