package dev.vigil.k8saudit.query;

import dev.vigil.event.FieldResolution;
import dev.vigil.k8saudit.K8sAuditSource;
import dev.vigil.k8saudit.event.AuditEvent;
import dev.vigil.k8saudit.fields.K8sAuditFields;
import dev.vigil.rules.compile.Checker;
import dev.vigil.rules.match.Binder;
import dev.vigil.rules.match.Matcher;
import dev.vigil.rules.parse.ParseResult;
import dev.vigil.rules.parse.Parser;
import dev.vigil.rules.text.Text;
import java.util.ArrayList;
import java.util.List;

/**
 * A compiled audit query: a rule condition over {@code k8s_audit} fields and, optionally, the
 * fields to print for each matching event. Compiled once; {@link #matches} reads each event only as
 * far as the condition needs. One instance per thread (the extractors memoize per event view).
 */
public final class Query {
  /** The fields printed by the table and CSV formats when none are given. */
  public static final List<String> DEFAULT_FIELDS =
      List.of(
          "evt.time",
          "ka.user.name",
          "ka.verb",
          "ka.target.resource",
          "ka.target.namespace",
          "ka.target.name",
          "ka.response.code");

  /** What compiling gives: a query, or the first error. */
  public sealed interface Compiled {
    record Ok(Query query) implements Compiled {}

    record Failed(QueryError error) implements Compiled {}
  }

  private final Matcher<AuditEvent> matcher;
  private final List<Column> columns;

  private Query(Matcher<AuditEvent> matcher, List<Column> columns) {
    this.matcher = matcher;
    this.columns = List.copyOf(columns);
  }

  /**
   * Compiles {@code condition} (empty: every event) and the output {@code fields} (names as
   * conditions write them; {@code evt.time} is the event time in RFC 3339).
   */
  public static Compiled compile(String condition, List<String> fields) {
    K8sAuditFields factory = new K8sAuditFields();
    Matcher<AuditEvent> m;
    if (condition.isBlank()) {
      m = e -> true;
    } else {
      ParseResult parsed = Parser.parse(Text.plain(condition));
      switch (parsed) {
        case ParseResult.SyntaxError err -> {
          return new Compiled.Failed(new QueryError(err.message(), err.offset() + 1, ""));
        }
        case ParseResult.Ok ok -> {
          try {
            Checker.Checked checked = Checker.check(K8sAuditSource.info(), ok.expr());
            m = Binder.bind(checked.cond(), K8sAuditSource.info(), factory);
          } catch (Checker.CompileError e) {
            return new Compiled.Failed(new QueryError(e.reason(), e.span().start() + 1, e.hint()));
          }
        }
      }
    }
    List<Column> cols = new ArrayList<>();
    for (String f : fields) {
      Column c = Column.of(f, factory);
      if (c instanceof Column.Bad bad) {
        return new Compiled.Failed(new QueryError(bad.message(), 0, ""));
      }
      cols.add(c);
    }
    return new Compiled.Ok(new Query(m, cols));
  }

  public boolean matches(AuditEvent e) {
    return matcher.matches(e);
  }

  public List<Column> columns() {
    return columns;
  }

  /** Whether {@code name} (with an optional {@code [arg]}) is a field of the source. */
  static FieldResolution resolve(String name) {
    int b = name.indexOf('[');
    if (b > 0 && name.endsWith("]")) {
      return K8sAuditSource.info()
          .fields()
          .resolve(name.substring(0, b), name.substring(b + 1, name.length() - 1));
    }
    return K8sAuditSource.info().fields().resolve(name, "");
  }
}
