package dev.vigil.kernel.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.event.EventTypes;
import dev.vigil.kernel.SyscallSource;
import dev.vigil.rules.ast.Expr;
import dev.vigil.rules.compile.Checker;
import dev.vigil.rules.compile.EventTypeInference;
import dev.vigil.rules.parse.ParseResult;
import dev.vigil.rules.parse.Parser;
import dev.vigil.rules.text.Text;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** libsinsp's filter_ppm_codes.ut.cpp cases (compat/libs/evttypes.yaml). */
class EventTypesCompatTest {
  private static final EventTypes TYPES = SyscallSource.info().eventTypes();

  static Stream<Named<Map<String, Object>>> cases() {
    return Tables.entries("libs/evttypes.yaml").stream()
        .map(e -> Named.of(Tables.str(e, "test") + ": " + Tables.str(e, "condition"), e));
  }

  private static Expr parse(String condition) {
    return ((ParseResult.Ok) Parser.parse(Text.plain(condition))).expr();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void infersAsLibsinsp(Map<String, Object> c) throws Exception {
    Expr e = parse(Tables.str(c, "condition"));
    Object error = c.get("error");
    if (error instanceof String message && !message.isEmpty()) {
      assertThatThrownBy(() -> EventTypeInference.infer(TYPES, e))
          .isInstanceOf(Checker.CompileError.class)
          .hasMessageContaining(message.length() > 30 ? message.substring(0, 30) : message);
      return;
    }
    BitSet actual = EventTypeInference.infer(TYPES, e);
    if (c.containsKey("same_as")) {
      assertThat(actual)
          .isEqualTo(EventTypeInference.infer(TYPES, parse(Tables.str(c, "same_as"))));
    }
    if (c.containsKey("events")) {
      assertThat(actual).isEqualTo(expected(c.get("events")));
    }
  }

  private static BitSet expected(Object events) {
    BitSet all = new BitSet();
    all.set(0, TYPES.size());
    if ("all".equals(events)) {
      return all;
    }
    if (events instanceof Map<?, ?> m) {
      BitSet out = (BitSet) all.clone();
      out.andNot(codes((List<?>) m.get("all_except")));
      return out;
    }
    return codes((List<?>) events);
  }

  private static BitSet codes(List<?> names) {
    BitSet out = new BitSet();
    for (Object n : names) {
      out.set(
          TYPES
              .byName(String.valueOf(n))
              .orElseThrow(() -> new IllegalArgumentException("unknown event " + n))
              .code());
    }
    return out;
  }
}
