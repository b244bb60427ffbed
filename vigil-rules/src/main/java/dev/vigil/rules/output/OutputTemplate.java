package dev.vigil.rules.output;

import dev.vigil.rules.ast.Ast;
import dev.vigil.rules.ast.Expr;
import dev.vigil.rules.ast.Span;
import dev.vigil.rules.parse.Parser;
import dev.vigil.rules.text.Text;
import java.util.ArrayList;
import java.util.List;

/**
 * A parsed output format: literal text and {@code %field} tokens, as libsinsp's event formatter
 * reads them. A token is the longest field or transformer after {@code %} (so {@code %proc.name)}
 * is the field {@code proc.name} followed by {@code )}); {@code %N} before it sets a width; a
 * leading {@code *} (continue on missing values) is accepted and implied.
 */
public final class OutputTemplate {

  /** A piece of the template. */
  public sealed interface Part {
    record Literal(String text) implements Part {}

    /**
     * A field token.
     *
     * @param expr the field or transformer
     * @param key the token as output fields name it ({@code proc.aname[2]})
     * @param width pad or cut the value to this many characters ({@code 0}: as is)
     * @param span where it was written
     */
    record Token(Expr expr, String key, int width, Span span) implements Part {}
  }

  /** A token that is not a field or transformer. */
  public static final class FormatError extends Exception {
    private static final long serialVersionUID = 1L;
    private final String reason;
    private final int offset;

    FormatError(String reason, int offset) {
      super(reason, null, false, false);
      this.reason = reason;
      this.offset = offset;
    }

    public String reason() {
      return reason;
    }

    public int offset() {
      return offset;
    }
  }

  private final Text text;
  private final List<Part> parts;

  private OutputTemplate(Text text, List<Part> parts) {
    this.text = text;
    this.parts = List.copyOf(parts);
  }

  public Text text() {
    return text;
  }

  public List<Part> parts() {
    return parts;
  }

  /** The field tokens, in order. */
  public List<Part.Token> tokens() {
    List<Part.Token> out = new ArrayList<>();
    for (Part p : parts) {
      if (p instanceof Part.Token t) {
        out.add(t);
      }
    }
    return out;
  }

  /** The token as written: letters, digits and {@code _ . [ ] ( )} after the {@code %}. */
  private static String word(String s, int from) {
    int e = from;
    while (e < s.length()
        && (Character.isLetterOrDigit(s.charAt(e)) || "_.[]()".indexOf(s.charAt(e)) >= 0)) {
      e++;
    }
    return e == from ? s.substring(from, Math.min(s.length(), from + 1)) : s.substring(from, e);
  }

  public static OutputTemplate parse(Text text) throws FormatError {
    String s = text.value();
    List<Part> parts = new ArrayList<>();
    StringBuilder literal = new StringBuilder();
    int i = s.startsWith("*") ? 1 : 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c != '%') {
        literal.append(c);
        i++;
        continue;
      }
      int start = i;
      i++;
      int width = 0;
      while (i < s.length() && Character.isDigit(s.charAt(i))) {
        width = Math.min(width * 10 + (s.charAt(i) - '0'), 1 << 16);
        i++;
      }
      if (i >= s.length()) {
        throw new FormatError("invalid formatting token: '%' at the end of the output", start);
      }
      switch (Parser.parseOperand(text, i)) {
        case Parser.Token.Ok(Expr expr, int end) -> {
          if (!literal.isEmpty()) {
            parts.add(new Part.Literal(literal.toString()));
            literal.setLength(0);
          }
          parts.add(new Part.Token(expr, Ast.print(expr), width, new Span(text, start, end)));
          i = end;
        }
        case Parser.Token.SyntaxError(String message, int offset) ->
            throw new FormatError("invalid formatting token " + word(s, i), start);
      }
    }
    if (!literal.isEmpty()) {
      parts.add(new Part.Literal(literal.toString()));
    }
    return new OutputTemplate(text, parts);
  }
}
