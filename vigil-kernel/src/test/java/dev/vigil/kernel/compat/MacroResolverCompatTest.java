package dev.vigil.kernel.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.rules.ast.Ast;
import dev.vigil.rules.ast.Expr;
import dev.vigil.rules.compile.MacroResolver;
import dev.vigil.rules.parse.ParseResult;
import dev.vigil.rules.parse.Parser;
import dev.vigil.rules.text.Text;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Falco's filter_macro_resolver tests (compat/falco/macro_resolver.yaml). Upstream builds ASTs by
 * hand with synthetic positions; here conditions are parsed, so macros are compared by name.
 */
class MacroResolverCompatTest {
  static Stream<Named<Map<String, Object>>> cases() {
    return Tables.entries("falco/macro_resolver.yaml").stream()
        .map(e -> Named.of(Tables.str(e, "test"), e));
  }

  private static Expr parse(String s) {
    return ((ParseResult.Ok) Parser.parse(Text.plain(s))).expr();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  @SuppressWarnings("unchecked")
  void resolvesAsFalco(Map<String, Object> c) {
    Map<String, Expr> macros = new HashMap<>();
    Tables.map(c, "macros").forEach((k, v) -> macros.put(k, parse(String.valueOf(v))));
    Expr filter = c.containsKey("filter") ? parse(Tables.str(c, "filter")) : null;
    for (Object o : Tables.list(c, "runs")) {
      Map<String, Object> run = (Map<String, Object>) o;
      Tables.list(run, "unset_macros").forEach(m -> macros.remove(String.valueOf(m)));
      if (run.containsKey("filter")) {
        filter = parse(Tables.str(run, "filter"));
      }
      assertThat(filter).isNotNull();
      MacroResolver.Result r = MacroResolver.resolve(filter, macros);
      filter = r.expr();
      assertThat(!r.resolved().isEmpty()).isEqualTo(Tables.bool(run, "returns"));
      if (run.containsKey("expanded")) {
        assertThat(Ast.print(filter)).isEqualTo(Tables.str(run, "expanded"));
      }
      assertThat(r.resolved()).containsExactlyInAnyOrderElementsOf(names(run, "resolved"));
      assertThat(r.unknown().stream().map(MacroResolver.Problem::message).toList())
          .containsExactlyInAnyOrderElementsOf(names(run, "unknown"));
    }
  }

  @SuppressWarnings("unchecked")
  private static List<String> names(Map<String, Object> run, String key) {
    return Tables.list(run, key).stream()
        .map(o -> String.valueOf(((Map<String, Object>) o).get("name")))
        .toList();
  }
}
