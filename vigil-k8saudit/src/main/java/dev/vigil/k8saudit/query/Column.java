package dev.vigil.k8saudit.query;

import dev.vigil.event.Extractor;
import dev.vigil.event.FieldResolution;
import dev.vigil.k8saudit.event.AuditEvent;
import dev.vigil.k8saudit.fields.K8sAuditFields;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** One output column of a query: a field, or the event time. */
public sealed interface Column {
  /** The column header (the field as written). */
  String name();

  /** The value for an event, or null when the field has none. */
  @Nullable Object value(AuditEvent e);

  /** A field of the catalogue: its text, or its list of values. */
  record Field(String name, Extractor<AuditEvent> extractor) implements Column {
    @Override
    public @Nullable Object value(AuditEvent e) {
      // a type test rather than a pattern switch, which is linked on first use: per query, at
      // start-up
      if (extractor instanceof Extractor.OfList<AuditEvent> l) {
        List<String> v = l.values(e);
        return v == null || v.isEmpty() ? null : v;
      }
      return extractor.format(e);
    }
  }

  /** {@code evt.time}: the event time in RFC 3339 (UTC, nanoseconds). */
  record Time(String name) implements Column {
    @Override
    public String value(AuditEvent e) {
      long t = e.timestamp();
      return Instant.ofEpochSecond(
              Math.floorDiv(t, 1_000_000_000L), Math.floorMod(t, 1_000_000_000L))
          .toString();
    }
  }

  /** A name that is not a field (compile error; never evaluated). */
  record Bad(String name, String message) implements Column {
    @Override
    public @Nullable Object value(AuditEvent e) {
      return null;
    }
  }

  static Column of(String written, K8sAuditFields factory) {
    String name = written.strip();
    if (name.equals("evt.time") || name.equals("time")) {
      return new Time(name);
    }
    return switch (Query.resolve(name)) {
      case FieldResolution.Resolved r ->
          new Field(name, factory.extractor(r.field(), r.argument()));
      case FieldResolution.Unknown u ->
          new Bad(
              name,
              "--fields: no k8s_audit field named '"
                  + name
                  + "' (see 'vigil fields --source k8s_audit')");
      case FieldResolution.BadArgument b -> new Bad(name, "--fields: " + b.message());
    };
  }
}
