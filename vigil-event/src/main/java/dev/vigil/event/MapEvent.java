package dev.vigil.event;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An event whose field values are given directly, keyed by field name as conditions write it
 * ({@code proc.name}, {@code proc.aname[2]}, {@code evt.arg[fd]}): for rule tests, declarative
 * scenarios and tools. Values are {@link String}, {@link Long}, {@link Boolean}, {@link Double},
 * {@code byte[]} or {@code List<String>}; absent keys are fields without a value.
 *
 * @param eventType the event type code
 * @param timestamp nanoseconds since the epoch
 * @param values field values by name
 */
public record MapEvent(int eventType, long timestamp, Map<String, Object> values) implements Event {
  public MapEvent {
    values = Map.copyOf(values);
  }

  /** The value for a field and argument, trying {@code name[arg]} then {@code name.arg}. */
  public @Nullable Object get(String name, String arg) {
    if (arg.isEmpty()) {
      return values.get(name);
    }
    Object v = values.get(name + "[" + arg + "]");
    return v != null ? v : values.get(name + "." + arg);
  }

  /** Extractors over {@link MapEvent}s for any catalogue. */
  public static final class Factory implements ExtractorFactory<MapEvent> {
    @Override
    public Extractor<MapEvent> extractor(FieldDef field, String argument) {
      String name = field.name();
      FieldType type = field.type();
      boolean multi = field.isList() || (field.is(FieldDef.Attribute.ANY) && argument.isEmpty());
      if (multi) {
        return new Extractor.OfList<>() {
          @Override
          @SuppressWarnings("unchecked")
          public @Nullable List<String> values(MapEvent e) {
            Object v = e.get(name, argument);
            if (v instanceof List<?> l) {
              return (List<String>) l;
            }
            return v == null ? null : List.of(String.valueOf(v));
          }

          @Override
          public FieldType type() {
            return type;
          }
        };
      }
      return switch (type.kind()) {
        case STRING ->
            new Extractor.OfString<>() {
              @Override
              public @Nullable String text(MapEvent e) {
                Object v = e.get(name, argument);
                return v == null ? null : String.valueOf(v);
              }

              @Override
              public FieldType type() {
                return type;
              }
            };
        case SIGNED, UNSIGNED, BOOL ->
            new Extractor.OfLong<>() {
              @Override
              public boolean has(MapEvent e) {
                return e.get(name, argument) != null;
              }

              @Override
              public long number(MapEvent e) {
                Object v = e.get(name, argument);
                return switch (v) {
                  case Boolean b -> b ? 1 : 0;
                  case Number n -> n.longValue();
                  case String s -> Long.parseLong(s);
                  case null, default -> 0;
                };
              }

              @Override
              public FieldType type() {
                return type;
              }
            };
        case DOUBLE ->
            new Extractor.OfDouble<>() {
              @Override
              public boolean has(MapEvent e) {
                return e.get(name, argument) != null;
              }

              @Override
              public double decimal(MapEvent e) {
                return e.get(name, argument) instanceof Number n ? n.doubleValue() : 0;
              }

              @Override
              public FieldType type() {
                return type;
              }
            };
        case BYTES, IPADDR, IPNET, NET ->
            new Extractor.OfBytes<>() {
              @Override
              public byte @Nullable [] bytes(MapEvent e) {
                Object v = e.get(name, argument);
                if (v instanceof byte[] b) {
                  return b.clone();
                }
                if (v == null) {
                  return null;
                }
                String s = String.valueOf(v);
                if (type.kind() == FieldType.Kind.IPADDR || type.kind() == FieldType.Kind.IPNET) {
                  try {
                    return java.net.InetAddress.ofLiteral(s).getAddress();
                  } catch (IllegalArgumentException notAnAddress) {
                    return null;
                  }
                }
                return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
              }

              @Override
              public @Nullable String format(MapEvent e) {
                Object v = e.get(name, argument);
                return v == null
                    ? null
                    : v instanceof byte[] b
                        ? new String(b, java.nio.charset.StandardCharsets.UTF_8)
                        : String.valueOf(v);
              }

              @Override
              public FieldType type() {
                return type;
              }
            };
      };
    }
  }
}
