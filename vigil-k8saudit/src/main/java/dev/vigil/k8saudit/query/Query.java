package dev.vigil.k8saudit.query;

import dev.vigil.event.FieldResolution;
import dev.vigil.k8saudit.K8sAuditSource;
import dev.vigil.k8saudit.event.AuditEvent;
import dev.vigil.k8saudit.event.Prefilter;
import dev.vigil.k8saudit.fields.K8sAuditFields;
import dev.vigil.rules.compile.Checker;
import dev.vigil.rules.compile.Cond;
import dev.vigil.rules.compile.DispatchConstraints;
import dev.vigil.rules.match.Binder;
import dev.vigil.rules.match.Matcher;
import dev.vigil.rules.parse.ParseResult;
import dev.vigil.rules.parse.Parser;
import dev.vigil.rules.text.Text;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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
  private final Prefilter prefilter;

  private Query(Matcher<AuditEvent> matcher, List<Column> columns, Prefilter prefilter) {
    this.matcher = matcher;
    this.columns = List.copyOf(columns);
    this.prefilter = prefilter;
  }

  /**
   * Compiles {@code condition} (empty: every event) and the output {@code fields} (names as
   * conditions write them; {@code evt.time} is the event time in RFC 3339).
   */
  public static Compiled compile(String condition, List<String> fields) {
    K8sAuditFields factory = new K8sAuditFields();
    Matcher<AuditEvent> m;
    Prefilter prefilter = Prefilter.none();
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
            prefilter = prefilter(checked.cond());
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
    return new Compiled.Ok(new Query(m, cols, prefilter));
  }

  public boolean matches(AuditEvent e) {
    return matcher.matches(e);
  }

  /**
   * The test on a line's bytes that rejects events this query cannot match (see {@link Prefilter});
   * one that rejects nothing when the condition reads a field at no fixed place or narrows no field
   * to a few values.
   */
  public Prefilter prefilter() {
    return prefilter;
  }

  /** The prefilter of a condition: every field it reads, and the values it requires of some. */
  static Prefilter prefilter(Cond cond) {
    Map<DispatchConstraints.Key, Prefilter.Field> places = new LinkedHashMap<>();
    if (!placed(cond, places)) {
      return Prefilter.none();
    }
    Map<Prefilter.Field, Set<String>> needs = new LinkedHashMap<>();
    DispatchConstraints.of(cond, List.copyOf(places.keySet()))
        .forEach((k, values) ->
            needs.merge(
                places.get(k),
                values,
                (a, b) -> {
                  Set<String> both = new java.util.LinkedHashSet<>(a);
                  both.retainAll(b);
                  return both;
                }));
    // the test evaluated first on every event: its failure alone ends the evaluation
    Cond lead = cond;
    while (lead instanceof Cond.And a) {
      lead = a.children().getFirst();
    }
    Optional<Map.Entry<Prefilter.Field, Set<String>>> first = Optional.empty();
    if (lead instanceof Cond.Check) {
      for (var e : DispatchConstraints.of(lead, List.copyOf(places.keySet())).entrySet()) {
        first = Optional.of(Map.entry(places.get(e.getKey()), e.getValue()));
      }
    }
    return Prefilter.of(List.copyOf(places.values()), needs, first);
  }

  /** Collects the fields {@code cond} reads; false when one of them is read at no fixed place. */
  private static boolean placed(Cond cond, Map<DispatchConstraints.Key, Prefilter.Field> out) {
    return switch (cond) {
      case Cond.And a -> a.children().stream().allMatch(c -> placed(c, out));
      case Cond.Or o -> o.children().stream().allMatch(c -> placed(c, out));
      case Cond.Not n -> placed(n.child(), out);
      case Cond.Check c ->
          placed(c.left(), out)
              && switch (c.right()) {
                case Cond.Rhs.None none -> true;
                case Cond.Rhs.Values values -> true;
                case Cond.Rhs.Field f -> placed(f.operand(), out);
              };
    };
  }

  private static boolean placed(
      Cond.Operand op, Map<DispatchConstraints.Key, Prefilter.Field> out) {
    return switch (op) {
      case Cond.FieldOperand f -> {
        var place = K8sAuditFields.place(f.field().name(), f.arg());
        place.ifPresent(p -> out.put(new DispatchConstraints.Key(f.field().name(), f.arg()), p));
        yield place.isPresent();
      }
      case Cond.TransformerOperand t -> t.args().stream().allMatch(a -> placed(a, out));
      case Cond.ListOperand l -> l.items().stream().allMatch(a -> placed(a, out));
      case Cond.ConstOperand c -> true;
    };
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
