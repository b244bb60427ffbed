package dev.vigil.kernel.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.rules.ast.Ast;
import dev.vigil.rules.parse.Escaping;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** libsinsp's filter_escaping.ut.cpp cases (compat/libs/escaping.yaml). */
class EscapingCompatTest {
  static Stream<Named<Map<String, Object>>> cases() {
    return Tables.entries("libs/escaping.yaml").stream()
        .map(e -> Named.of(Tables.str(e, "test") + " " + Tables.str(e, "direction"), e));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void escapesAsLibsinsp(Map<String, Object> c) throws Exception {
    String escaped = Tables.str(c, "escaped");
    String unescaped = Tables.str(c, "unescaped");
    switch (Tables.str(c, "direction")) {
      case "escape" -> assertThat(Ast.escape(unescaped)).isEqualTo(escaped);
      case "unescape" -> {
        if (Tables.bool(c, "error")) {
          assertThatThrownBy(() -> Escaping.unquote(escaped))
              .isInstanceOf(Escaping.BadEscape.class);
        } else {
          assertThat(Escaping.unquote(escaped)).isEqualTo(unescaped);
        }
      }
      case "roundtrip" -> assertThat(Escaping.unquote(Ast.escape(unescaped))).isEqualTo(unescaped);
      default -> throw new IllegalArgumentException("unknown direction in table: " + c);
    }
  }
}
