package dev.vigil.kernel.compat;

import dev.vigil.event.MapEvent;
import dev.vigil.event.SourceInfo;
import dev.vigil.rules.ast.Expr;
import dev.vigil.rules.compile.Checker;
import dev.vigil.rules.compile.Cond;
import dev.vigil.rules.match.Binder;
import dev.vigil.rules.match.Matcher;
import dev.vigil.rules.parse.ParseResult;
import dev.vigil.rules.parse.Parser;
import dev.vigil.rules.text.Text;
import java.util.Map;

/** Compiles a condition against a source and evaluates it on a {@link MapEvent}. */
final class Eval {
  private Eval() {}

  /** Thrown when the condition does not parse or compile. */
  static final class Rejected extends Exception {
    private static final long serialVersionUID = 1L;

    Rejected(String message) {
      super(message);
    }
  }

  static Matcher<MapEvent> compile(SourceInfo source, String condition) throws Rejected {
    ParseResult r = Parser.parse(Text.plain(condition));
    if (!(r instanceof ParseResult.Ok(Expr e))) {
      throw new Rejected("parse: " + r);
    }
    try {
      Cond c = Checker.check(source, e).cond();
      return Binder.bind(c, source, new MapEvent.Factory());
    } catch (Checker.CompileError err) {
      throw new Rejected(err.reason());
    }
  }

  static boolean eval(SourceInfo source, String condition, Map<String, Object> fields)
      throws Rejected {
    return compile(source, condition).matches(event(source, fields));
  }

  static MapEvent event(SourceInfo source, Map<String, Object> fields) {
    Object type = fields.get("evt.type");
    int code =
        type == null
            ? 0
            : source.eventTypes().byName(String.valueOf(type)).map(t -> t.code()).orElse(0);
    return new MapEvent(code, 0, fields);
  }
}
