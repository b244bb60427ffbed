package dev.vigil.kernel.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.rules.ast.Ast;
import dev.vigil.rules.ast.Expr;
import dev.vigil.rules.parse.ParseResult;
import dev.vigil.rules.parse.Parser;
import dev.vigil.rules.text.Text;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** libsinsp's filter_parser.ut.cpp cases (compat/libs/parser.yaml). */
class ParserCompatTest {
  /** libsinsp's parser default recursion limit, which its tests use. */
  private static final int LIBS_DEFAULT_DEPTH = 100;

  static Stream<Named<Map<String, Object>>> cases() {
    return Tables.entries("libs/parser.yaml").stream()
        .filter(e -> e.containsKey("input"))
        .map(e -> Named.of(Tables.str(e, "test") + ": " + Tables.str(e, "input"), e));
  }

  private static ParseResult parse(String input) {
    return Parser.parse(Text.plain(input), LIBS_DEFAULT_DEPTH);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void parsesAsLibsinsp(Map<String, Object> c) {
    String input = Tables.str(c, "input");
    ParseResult r = parse(input);
    if (!Tables.bool(c, "accept")) {
      assertThat(r).as("must be rejected").isInstanceOf(ParseResult.SyntaxError.class);
      return;
    }
    assertThat(r).as("must be accepted").isInstanceOf(ParseResult.Ok.class);
    Expr e = ((ParseResult.Ok) r).expr();
    if (c.containsKey("ast")) {
      assertThat(Ast.print(e)).isEqualTo(Tables.str(c, "ast"));
    }
    if (Tables.bool(c, "whitespace_variants")) {
      String v1 = " " + input + " ";
      String v2 = v1.replace(' ', '\n');
      String v3 = v2.replace('\n', '\t');
      for (String v : List.of(v1, v2, v3)) {
        assertThat(parse(v)).as("variant %s", v).isInstanceOf(ParseResult.Ok.class);
      }
    }
    if (c.containsKey("end_pos")) {
      Map<String, Object> end = Tables.map(c, "end_pos");
      assertThat(
              input.length() + ":" + line(input, input.length()) + ":" + col(input, input.length()))
          .isEqualTo(end.get("idx") + ":" + end.get("line") + ":" + end.get("col"));
    }
    if (c.containsKey("positions")) {
      List<String> actual = new ArrayList<>();
      dump(e, actual);
      List<String> expected = new ArrayList<>();
      for (Object o : Tables.list(c, "positions")) {
        @SuppressWarnings("unchecked")
        Map<String, Object> p = (Map<String, Object>) o;
        expected.add(p.get("node") + "@" + p.get("idx") + ":" + p.get("line") + ":" + p.get("col"));
      }
      assertThat(actual).isEqualTo(expected);
    }
  }

  private static long line(String s, int idx) {
    return 1 + s.substring(0, idx).chars().filter(c -> c == '\n' || c == '\r').count();
  }

  private static long col(String s, int idx) {
    int col = 1;
    for (int i = 0; i < idx; i++) {
      char c = s.charAt(i);
      col = c == '\n' || c == '\r' ? 1 : col + 1;
    }
    return col;
  }

  private static void dump(Expr e, List<String> out) {
    String kind =
        switch (e) {
          case Expr.And a -> "and";
          case Expr.Or o -> "or";
          case Expr.Not n -> "not";
          case Expr.UnaryCheck u -> "unary";
          case Expr.BinaryCheck b -> "binary";
          case Expr.Identifier i -> "identifier";
          case Expr.Value v -> "value";
          case Expr.ListValue l -> "list";
          case Expr.Field f -> "field";
          case Expr.Transformer t -> "transformer";
          case Expr.TransformerList l -> "transformer_list";
        };
    out.add(kind + "@" + e.span().start() + ":" + e.span().line() + ":" + e.span().column());
    switch (e) {
      case Expr.And a -> a.children().forEach(c -> dump(c, out));
      case Expr.Or o -> o.children().forEach(c -> dump(c, out));
      case Expr.Not n -> dump(n.child(), out);
      case Expr.UnaryCheck u -> dump(u.left(), out);
      case Expr.BinaryCheck b -> {
        dump(b.left(), out);
        dump(b.right(), out);
      }
      case Expr.Transformer t -> t.args().forEach(c -> dump(c, out));
      case Expr.Identifier i -> {}
      case Expr.Value v -> {}
      case Expr.ListValue l -> {}
      case Expr.Field f -> {}
      case Expr.TransformerList l -> {}
    }
  }

  @Test
  void supportedOperatorsAreLibsinspsPlusModifiers() {
    Map<String, Object> cat =
        Tables.entries("libs/parser.yaml").stream()
            .filter(e -> Tables.str(e, "test").equals("supported_operators"))
            .findFirst()
            .orElseThrow();
    assertThat(new HashSet<>(Parser.operators()))
        .isEqualTo(new HashSet<>(Tables.list(cat, "supported_operators")));
    assertThat(new HashSet<>(Parser.listOperators()))
        .isEqualTo(new HashSet<>(Tables.list(cat, "list_operators")));
  }

  @Test
  void transformersIncludeLibsinspsAndTheNewerConcatAndGetopt() {
    Map<String, Object> cat =
        Tables.entries("libs/parser.yaml").stream()
            .filter(e -> Tables.str(e, "test").equals("supported_field_transformers"))
            .findFirst()
            .orElseThrow();
    assertThat(Parser.transformers())
        .containsAll(
            Tables.list(cat, "supported_field_transformers_with_val").stream()
                .map(String::valueOf)
                .toList())
        .contains("concat", "getopt");
  }
}
