package dev.vigil.k8saudit.fields;

import dev.vigil.event.Extractor;
import dev.vigil.event.ExtractorFactory;
import dev.vigil.event.FieldDef;
import dev.vigil.event.FieldType;
import dev.vigil.k8saudit.event.AuditEvent;
import dev.vigil.k8saudit.event.Key;
import dev.vigil.k8saudit.event.Prefilter;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Extractors of the {@code k8s_audit} fields over {@link AuditEvent}s, with the semantics of
 * Falco's k8saudit and json plugins: every {@code ka.*} field has no value on an event without an
 * {@code auditID}; strings come back as they are and other JSON values as compact JSON text; a
 * missing member is no value ({@code <NA>}). Each extractor memoizes its value for the event, so a
 * field that many rules test is read once per event.
 */
public final class K8sAuditFields implements ExtractorFactory<AuditEvent> {
  private int nextSlot;
  private final java.util.Map<String, Extractor<AuditEvent>> bound = new java.util.HashMap<>();

  /** A field computed from an event: a string, or null for no value. */
  @FunctionalInterface
  interface StrFn {
    @Nullable String apply(AuditEvent e);
  }

  /** A list field computed from an event: the values, or null for no value. */
  @FunctionalInterface
  interface ListFn {
    @Nullable List<String> apply(AuditEvent e);
  }

  /**
   * The extractor of a field; every rule that reads the same field and argument shares one
   * extractor, so its per-event memo serves them all.
   */
  @Override
  public Extractor<AuditEvent> extractor(FieldDef field, String argument) {
    String key = field.name() + "[" + argument + "]";
    Extractor<AuditEvent> x = bound.get(key);
    if (x == null) {
      x = create(field, argument);
      bound.put(key, x);
    }
    return x;
  }

  private Extractor<AuditEvent> create(FieldDef field, String argument) {
    String name = field.name();
    if (name.startsWith("json.") || name.startsWith("jevt.")) {
      return json(name.substring(5), argument, field.type());
    }
    if (field.isList()) {
      ListFn f = KaFields.list(name, argument);
      if (f == null) {
        throw new UnsupportedFieldException(name);
      }
      return list(gatedList(f), field.type());
    }
    StrFn f = KaFields.string(name, argument);
    if (f == null) {
      throw new UnsupportedFieldException(name);
    }
    return string(gated(f), field.type());
  }

  /**
   * Where the field {@code name[argument]} reads its one value, when that is a fixed place in the
   * event (a top-level member or a member of one; see {@link Prefilter}); empty for other fields.
   */
  public static Optional<Prefilter.Field> place(String name, String argument) {
    return Optional.ofNullable(KaFields.place(name, argument));
  }

  /** Falco's k8saudit plugin ignores JSON without an auditID. */
  private static StrFn gated(StrFn f) {
    return e -> e.top(Key.AUDIT_ID) >= 0 ? f.apply(e) : null;
  }

  private static ListFn gatedList(ListFn f) {
    return e -> e.top(Key.AUDIT_ID) >= 0 ? f.apply(e) : null;
  }

  private Extractor<AuditEvent> json(String which, String argument, FieldType type) {
    return switch (which) {
      case "value" -> {
        JsonPointer p = JsonPointer.parse(argument);
        yield string(p::text, type);
      }
      case "obj" -> string(e -> Pretty.json(e), type);
      // the event time always has a value; memoized, as Falco's rules compare it on every event
      case "rawtime" -> string(e -> Long.toString(e.timestamp()), type);
      default -> throw new UnsupportedFieldException("json." + which);
    };
  }

  private Extractor.OfString<AuditEvent> string(StrFn f, FieldType type) {
    int slot = nextSlot++;
    return new Extractor.OfString<>() {
      @Override
      public @Nullable String text(AuditEvent e) {
        if (e.memoized(slot)) {
          return (String) e.memo(slot);
        }
        String v = f.apply(e);
        e.memo(slot, v);
        return v;
      }

      @Override
      public FieldType type() {
        return type;
      }
    };
  }

  private Extractor.OfList<AuditEvent> list(ListFn f, FieldType type) {
    int slot = nextSlot++;
    return new Extractor.OfList<>() {
      @Override
      @SuppressWarnings("unchecked")
      public @Nullable List<String> values(AuditEvent e) {
        if (e.memoized(slot)) {
          return (List<String>) e.memo(slot);
        }
        List<String> v = f.apply(e);
        e.memo(slot, v);
        return v;
      }

      @Override
      public FieldType type() {
        return type;
      }
    };
  }
}
