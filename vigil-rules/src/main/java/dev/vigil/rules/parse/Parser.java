package dev.vigil.rules.parse;

import dev.vigil.rules.ast.Expr;
import dev.vigil.rules.ast.Span;
import dev.vigil.rules.text.Text;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses a condition into an {@link Expr}, exactly as libsinsp's filter parser does: the same
 * grammar (see the package documentation), the same lexing quirks (word operators need a following
 * blank, {@code and}/{@code or} need a blank or a parenthesis), the same node positions and the
 * same error messages. Parsing is never partial.
 *
 * <p>Unlike libsinsp, the depth limit counts real nesting, so deeply nested input fails cleanly
 * instead of exhausting the stack.
 */
public final class Parser {
  /** Falco parses rule conditions with a maximum recursion depth of 1000. */
  public static final int RULES_MAX_DEPTH = 1000;

  private static final List<String> UNARY_OPS = List.of("exists");
  private static final List<String> NUM_OPS = List.of("<=", "<", ">=", ">");

  /** A trailing space means the operator must be followed by a blank. */
  private static final List<String> STR_OPS =
      List.of(
          "==",
          "=",
          "!=",
          "glob ",
          "iglob ",
          "contains ",
          "icontains ",
          "bcontains ",
          "startswith ",
          "bstartswith ",
          "endswith ",
          "regex ");

  private static final List<String> LIST_OPS = List.of("intersects", "in", "pmatch");
  private static final List<String> MODIFIERS = List.of("oneof", "anyof", "allof");
  private static final List<String> TRANSFORMERS =
      List.of("tolower(", "toupper(", "b64(", "basename(", "len(", "join(", "concat(", "getopt(");
  private static final String VAL = "val(";

  private final Text text;
  private final String s;
  private final int maxDepth;
  private int pos;
  private int depth;
  private String lastToken = "";

  private Parser(Text text, int maxDepth) {
    this.text = text;
    this.s = text.value();
    this.maxDepth = maxDepth;
  }

  /** Parses a whole condition with Falco's rules depth limit. */
  public static ParseResult parse(Text text) {
    return parse(text, RULES_MAX_DEPTH);
  }

  /** Parses a whole condition; {@code maxDepth} bounds the recursion. */
  public static ParseResult parse(Text text, int maxDepth) {
    return new Parser(text, maxDepth).run();
  }

  /** A field or transformer parsed from the middle of a text (an output's {@code %token}). */
  public sealed interface Token {
    /**
     * A parsed token.
     *
     * @param expr the field or transformer
     * @param end offset after it
     */
    record Ok(Expr expr, int end) implements Token {}

    record SyntaxError(String message, int offset) implements Token {}
  }

  /**
   * Parses the longest field or transformer starting at {@code from}; the rest of the text is not
   * looked at, as output formats need.
   */
  public static Token parseOperand(Text text, int from) {
    Parser p = new Parser(text, RULES_MAX_DEPTH);
    p.pos = from;
    try {
      Expr e;
      if (p.lexFieldName()) {
        e = p.parseFieldRemainder(p.lastToken, from);
      } else if (p.lexTransformerName()) {
        p.lexBlank();
        e = p.parseTransformerRemainder(dropParen(p.lastToken), from);
      } else {
        return new Token.SyntaxError("expected a field or a transformer", from);
      }
      return new Token.Ok(e, p.pos);
    } catch (Failure f) {
      return new Token.SyntaxError(f.reason, p.pos);
    }
  }

  /** The operators the grammar knows, as libsinsp lists them in error messages. */
  public static List<String> operators() {
    List<String> ops = new ArrayList<>(UNARY_OPS);
    ops.addAll(NUM_OPS);
    STR_OPS.forEach(o -> ops.add(o.strip()));
    ops.addAll(LIST_OPS);
    return ops;
  }

  /** The list operators ({@code in}, {@code intersects}, {@code pmatch}). */
  public static List<String> listOperators() {
    return LIST_OPS;
  }

  /** The transformer names, with {@code val} first. */
  public static List<String> transformers() {
    List<String> names = new ArrayList<>();
    names.add("val");
    TRANSFORMERS.forEach(t -> names.add(t.substring(0, t.length() - 1)));
    return names;
  }

  /** The list modifiers ({@code oneof}, {@code anyof}, {@code allof}). */
  public static List<String> modifiers() {
    return MODIFIERS;
  }

  private static final class Failure extends Exception {
    private static final long serialVersionUID = 1L;
    private final String reason;

    Failure(String reason) {
      super(reason, null, false, false);
      this.reason = reason;
    }
  }

  private ParseResult run() {
    if (s.isEmpty()) {
      return new ParseResult.SyntaxError("filter input string is empty", 0);
    }
    try {
      Expr e = parseOr();
      if (pos != s.length()) {
        return new ParseResult.SyntaxError(
            "unexpected token after '" + lastToken + "', expecting 'or', 'and'", pos);
      }
      return new ParseResult.Ok(e);
    } catch (Failure f) {
      return new ParseResult.SyntaxError(f.reason, pos);
    }
  }

  private void enter() throws Failure {
    if (++depth >= maxDepth) {
      throw new Failure("exceeded max depth limit of " + maxDepth);
    }
  }

  private Span span(int start) {
    return new Span(text, start, pos);
  }

  private Expr parseOr() throws Failure {
    enter();
    int start = pos;
    List<Expr> children = new ArrayList<>();
    lexBlank();
    children.add(parseAnd());
    lexBlank();
    while (lexStr("or")) {
      if (!lexBlank()) {
        if (lexStr("(")) {
          children.add(parseEmbeddedRemainder());
        } else {
          throw new Failure("expected blank or '(' after 'or'");
        }
      } else {
        children.add(parseAnd());
      }
      lexBlank();
    }
    depth--;
    return children.size() > 1 ? new Expr.Or(children, span(start)) : children.getFirst();
  }

  private Expr parseAnd() throws Failure {
    enter();
    int start = pos;
    List<Expr> children = new ArrayList<>();
    lexBlank();
    children.add(parseNot());
    lexBlank();
    while (lexStr("and")) {
      if (!lexBlank()) {
        if (lexStr("(")) {
          children.add(parseEmbeddedRemainder());
        } else {
          throw new Failure("expected blank or '(' after 'and'");
        }
      } else {
        children.add(parseNot());
      }
      lexBlank();
    }
    depth--;
    return children.size() > 1 ? new Expr.And(children, span(start)) : children.getFirst();
  }

  private Expr parseNot() throws Failure {
    enter();
    int start = pos;
    boolean negate = false;
    lexBlank();
    while (lexNotBlank()) {
      negate = !negate;
    }
    Expr child;
    if (lexStr("not(")) {
      negate = !negate;
      child = parseEmbeddedRemainder();
    } else {
      child = parseCheck();
    }
    depth--;
    return negate ? new Expr.Not(child, span(start)) : child;
  }

  private Expr parseEmbeddedRemainder() throws Failure {
    enter();
    lexBlank();
    Expr child = parseOr();
    lexBlank();
    if (!lexStr(")")) {
      throw new Failure("expected a ')' token");
    }
    depth--;
    return child;
  }

  private Expr parseCheck() throws Failure {
    enter();
    int start = pos;
    lexBlank();
    Expr result;
    if (lexStr("(")) {
      result = parseEmbeddedRemainder();
    } else if (lexFieldName()) {
      Expr left = parseFieldRemainder(lastToken, start);
      result = parseCondition(left, start);
    } else if (lexTransformerName()) {
      lexBlank();
      Expr left = parseTransformerRemainder(dropParen(lastToken), start);
      result = parseCondition(left, start);
    } else if (lexIdentifier()) {
      result = new Expr.Identifier(lastToken, span(start));
    } else {
      throw new Failure("expected a '(' token, a field check, or an identifier");
    }
    depth--;
    return result;
  }

  private Expr.Field parseFieldRemainder(String name, int start) throws Failure {
    enter();
    String arg = "";
    if (lexStr("[")) {
      if (!lexQuotedStr() && !lexFieldArgBare()) {
        throw new Failure("expected a valid field argument: a quoted string or a bare string");
      }
      arg = lastToken;
      if (!lexStr("]")) {
        throw new Failure("expected a ']' token");
      }
    }
    depth--;
    return new Expr.Field(name, arg, span(start));
  }

  private Expr parseTransformerRemainder(String name, int start) throws Failure {
    enter();
    lexBlank();
    List<Expr> args = new ArrayList<>();
    do {
      args.add(parseTransformerArg(pos));
      lexBlank();
    } while (lexStr(","));
    lexBlank();
    if (!lexStr(")")) {
      throw new Failure("expected a ')' token closing the transformer");
    }
    String arg = "";
    if (lexStr("[")) {
      if (!lexQuotedStr() && !lexFieldArgBare()) {
        throw new Failure("expected a valid field argument: a quoted string or a bare string");
      }
      arg = lastToken;
      if (!lexStr("]")) {
        throw new Failure("expected a ']' token");
      }
    }
    depth--;
    return new Expr.Transformer(name, args, arg, span(start));
  }

  private Expr parseTransformerArg(int start) throws Failure {
    enter();
    lexBlank();
    Expr result;
    if (lexHexNum() || lexNum() || lexQuotedStr()) {
      result = new Expr.Value(lastToken, span(start));
    } else if (lexStr("(")) {
      result = parseTransformerList(start);
    } else if (lexTransformerName()) {
      result = parseTransformerRemainder(dropParen(lastToken), start);
    } else if (lexFieldName()) {
      result = parseFieldRemainder(lastToken, start);
    } else {
      throw new Failure(
          "expected field transformer argument: "
              + "field, transformer, quoted string, number, or transformer list");
    }
    depth--;
    return result;
  }

  private Expr parseTransformerList(int start) throws Failure {
    enter();
    List<Expr> items = new ArrayList<>();
    lexBlank();
    if (!lexStr(")")) {
      items.add(parseTransformerListArg(start));
      lexBlank();
      while (lexStr(",")) {
        lexBlank();
        items.add(parseTransformerListArg(start));
        lexBlank();
      }
      if (!lexStr(")")) {
        throw new Failure("expected ')'");
      }
    }
    depth--;
    return new Expr.TransformerList(items, span(start));
  }

  private Expr parseTransformerListArg(int start) throws Failure {
    if (lexFieldName()) {
      return parseFieldRemainder(lastToken, start);
    }
    if (lexTransformerName()) {
      lexBlank();
      return parseTransformerRemainder(dropParen(lastToken), start);
    }
    if (lexQuotedStr() || lexHexNum() || lexNum()) {
      return new Expr.Value(lastToken, span(start));
    }
    throw new Failure(
        "expected transformer list argument: field, transformer, quoted string, or number");
  }

  private Expr parseCondition(Expr left, int start) throws Failure {
    enter();
    lexBlank();
    if (lexOperator(UNARY_OPS)) {
      depth--;
      return new Expr.UnaryCheck(left, lastToken.strip(), span(start));
    }
    lexBlank();
    String op;
    Expr right;
    if (lexOperator(NUM_OPS)) {
      op = lastToken;
      right = parseNumValueOrTransformer();
    } else if (lexOperator(STR_OPS)) {
      op = lastToken.strip();
      String modifier = lexModifier();
      if (!modifier.isEmpty()) {
        op = op + " " + modifier;
        right = parseListValueOrTransformer();
      } else {
        right = parseStrValueOrTransformer(false);
      }
    } else if (lexOperator(LIST_OPS)) {
      op = lastToken;
      right = parseListValueOrTransformer();
    } else {
      throw new Failure(
          "expected a valid check operator: one of "
              + String.join(", ", operators().stream().map(o -> "'" + o + "'").toList()));
    }
    depth--;
    return new Expr.BinaryCheck(left, op, right, span(start));
  }

  private Expr parseNumValueOrTransformer() throws Failure {
    enter();
    lexBlank();
    int start = pos;
    Expr t = tryParseTransformerOrVal();
    if (t == null) {
      if (lexHexNum() || lexNum()) {
        t = new Expr.Value(lastToken, span(start));
      } else {
        throw new Failure(
            "expected a number value or a field with a valid transformer: " + transformerList());
      }
    }
    depth--;
    return t;
  }

  private Expr parseStrValueOrTransformer(boolean noTransformer) throws Failure {
    enter();
    lexBlank();
    int start = pos;
    Expr t = noTransformer ? null : tryParseTransformerOrVal();
    if (t == null) {
      if (lexQuotedStr() || lexBareStr()) {
        t = new Expr.Value(lastToken, span(start));
      } else if (noTransformer) {
        throw new Failure("expected a string value");
      } else {
        throw new Failure(
            "expected a string value or a field with a valid transformer: " + transformerList());
      }
    }
    depth--;
    return t;
  }

  private Expr parseListValueOrTransformer() throws Failure {
    enter();
    lexBlank();
    int start = pos;
    Expr result;
    if (lexStr("(")) {
      List<String> values = new ArrayList<>();
      lexBlank();
      boolean empty = false;
      int saved = depth;
      try {
        values.add(((Expr.Value) parseStrValueOrTransformer(true)).value());
      } catch (Failure f) {
        depth = saved;
        empty = true;
      }
      if (!empty) {
        lexBlank();
        while (lexStr(",")) {
          values.add(((Expr.Value) parseStrValueOrTransformer(true)).value());
          lexBlank();
        }
      }
      if (!lexStr(")")) {
        throw new Failure("expected a ')' token");
      }
      result = new Expr.ListValue(values, span(start));
    } else {
      Expr t = tryParseTransformerOrVal();
      if (t != null) {
        result = t;
      } else if (lexIdentifier()) {
        result = new Expr.Value(lastToken, span(start));
      } else {
        throw new Failure(
            "expected a list, an identifier, or a field with a valid transformer: "
                + transformerList());
      }
    }
    depth--;
    return result;
  }

  /** A transformer or {@code val(field)}, or {@code null} when neither starts here. */
  private Expr.@org.jspecify.annotations.Nullable Transformer tryParseTransformerOrVal()
      throws Failure {
    enter();
    lexBlank();
    int start = pos;
    Expr.Transformer result = null;
    if (lexStr(VAL)) {
      lexBlank();
      int fieldStart = pos;
      if (!lexFieldName()) {
        throw new Failure("expected a field within 'val' transformer");
      }
      Expr.Field field = parseFieldRemainder(lastToken, fieldStart);
      lexBlank();
      if (!lexStr(")")) {
        throw new Failure("expected a ')' token closing the transformer");
      }
      result = new Expr.Transformer("val", List.of(field), "", span(start));
    } else if (lexTransformerName()) {
      lexBlank();
      result = (Expr.Transformer) parseTransformerRemainder(dropParen(lastToken), start);
    }
    depth--;
    return result;
  }

  private static String transformerList() {
    return String.join(", ", transformers().stream().map(t -> "'" + t + "'").toList());
  }

  private static String dropParen(String token) {
    return token.substring(0, token.length() - 1);
  }

  // ---- lexing -------------------------------------------------------------------------------

  private char at(int i) {
    return i < s.length() ? s.charAt(i) : '\0';
  }

  private static boolean isBlank(char c) {
    return c == ' ' || c == '\t' || c == '\b' || c == '\r' || c == '\n';
  }

  /** POSIX {@code [:space:]}. */
  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0B || c == '\f';
  }

  private static boolean isLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isWordChar(char c) {
    return isLetter(c) || isDigit(c) || c == '_';
  }

  /** The only lexer that leaves {@link #lastToken} alone. */
  private boolean lexBlank() {
    boolean found = false;
    while (pos < s.length() && isBlank(s.charAt(pos))) {
      pos++;
      found = true;
    }
    return found;
  }

  private boolean take(int end) {
    lastToken = s.substring(pos, end);
    pos = end;
    return true;
  }

  private boolean lexStr(String str) {
    if (s.startsWith(str, pos)) {
      return take(pos + str.length());
    }
    return false;
  }

  private boolean lexNotBlank() {
    if (!s.startsWith("not", pos) || !isSpace(at(pos + 3))) {
      return false;
    }
    int e = pos + 3;
    while (e < s.length() && isSpace(s.charAt(e))) {
      e++;
    }
    return take(e);
  }

  private int identifierEnd(int from) {
    if (!isLetter(at(from))) {
      return -1;
    }
    int e = from;
    while (e < s.length() && isWordChar(s.charAt(e))) {
      e++;
    }
    return e;
  }

  private boolean lexIdentifier() {
    int e = identifierEnd(pos);
    return e > 0 && take(e);
  }

  private boolean lexFieldName() {
    int e = identifierEnd(pos);
    if (e < 0) {
      return false;
    }
    int segments = 0;
    while (at(e) == '.' && isLetter(at(e + 1))) {
      e = identifierEnd(e + 1);
      segments++;
    }
    return segments > 0 && take(e);
  }

  private boolean lexFieldArgBare() {
    int e = pos;
    while (e < s.length()) {
      char c = s.charAt(e);
      if (c == '[' || c == ']' || c == '"' || c == '\'' || isSpace(c)) {
        break;
      }
      e++;
    }
    return e > pos && take(e);
  }

  private boolean lexHexNum() {
    if (at(pos) == '0' && (at(pos + 1) == 'x' || at(pos + 1) == 'X')) {
      int e = pos + 2;
      while (e < s.length() && isHex(s.charAt(e))) {
        e++;
      }
      return e > pos + 2 && take(e);
    }
    return false;
  }

  private static boolean isHex(char c) {
    return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  private boolean lexNum() {
    int e = pos;
    if (at(e) == '+' || at(e) == '-') {
      e++;
    }
    if (!isDigit(at(e))) {
      return false;
    }
    while (isDigit(at(e))) {
      e++;
    }
    if (at(e) == '.') {
      e++;
    }
    while (isDigit(at(e))) {
      e++;
    }
    if ((at(e) == 'e' || at(e) == 'E') && (at(e + 1) == '+' || at(e + 1) == '-')) {
      int x = e + 2;
      if (isDigit(at(x))) {
        while (isDigit(at(x))) {
          x++;
        }
        e = x;
      }
    }
    return take(e);
  }

  private boolean lexBareStr() {
    int e = pos;
    while (e < s.length()) {
      char c = s.charAt(e);
      if (c == '(' || c == ')' || c == '"' || c == '\'' || c == '=' || c == ',' || isSpace(c)) {
        break;
      }
      e++;
    }
    return e > pos && take(e);
  }

  /**
   * A quoted string, unescaped. As in libsinsp, the closing quote is the first quote character not
   * preceded by a backslash.
   */
  private boolean lexQuotedStr() throws Failure {
    char delimiter = at(pos);
    if (delimiter != '\'' && delimiter != '"') {
      return false;
    }
    char prev = '\\';
    for (int e = pos; e < s.length(); e++) {
      char c = s.charAt(e);
      if (c == delimiter && prev != '\\') {
        String raw = s.substring(pos, e + 1);
        pos = e + 1;
        try {
          lastToken = Escaping.unquote(raw);
        } catch (Escaping.BadEscape ex) {
          throw new Failure(ex.reason);
        }
        return true;
      }
      prev = c;
    }
    return false;
  }

  /**
   * An operator from a list. Operators written with a trailing space need a blank after them; as in
   * libsinsp, when such an operator matches without one the lexer fails without giving the
   * characters back.
   */
  private boolean lexOperator(List<String> ops) {
    for (String op : ops) {
      if (!op.endsWith(" ")) {
        if (lexStr(op)) {
          return true;
        }
        continue;
      }
      if (lexStr(op.strip())) {
        return lexBlank();
      }
    }
    return false;
  }

  /** A list modifier followed by a list; the empty string (and no input consumed) otherwise. */
  private String lexModifier() {
    int saved = pos;
    String savedToken = lastToken;
    lexBlank();
    for (String m : MODIFIERS) {
      if (s.startsWith(m, pos) && !isWordChar(at(pos + m.length()))) {
        int e = pos + m.length();
        while (isBlank(at(e))) {
          e++;
        }
        if (at(e) == '(') {
          pos += m.length();
          lastToken = m;
          return m;
        }
      }
    }
    pos = saved;
    lastToken = savedToken;
    return "";
  }

  private boolean lexTransformerName() {
    for (String t : TRANSFORMERS) {
      if (lexStr(t)) {
        return true;
      }
    }
    return false;
  }
}
