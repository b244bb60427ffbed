package dev.vigil.event;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Reads one field from events of type {@code E}. Sources create extractors when rules are bound to
 * them; compiled matchers call them on the hot path, once per evaluated check.
 *
 * <p>On the hot path "no value" (Falco's failed extraction, printed {@code <NA>}) is signalled with
 * {@code null} or {@link OfLong#has}, never with exceptions or {@code Optional}, so that evaluating
 * an event that matches nothing allocates nothing. Implementations must not keep per-event state
 * outside the event.
 */
public sealed interface Extractor<E>
    permits Extractor.OfString,
        Extractor.OfLong,
        Extractor.OfDouble,
        Extractor.OfList,
        Extractor.OfBytes,
        Extractor.OfBytesList {

  /** The type of the values this extractor yields. */
  FieldType type();

  /**
   * The value as alert outputs print it, or {@code null} when the field has no value for this
   * event. Not on the hot path.
   */
  @Nullable String format(E event);

  /** A string-valued field. */
  non-sealed interface OfString<E> extends Extractor<E> {
    @Nullable String text(E event);

    /**
     * Whether the field has a value ({@code exists}); sources override it when that is cheaper to
     * tell than the value itself.
     */
    default boolean present(E event) {
      return text(event) != null;
    }

    @Override
    default @Nullable String format(E event) {
      return text(event);
    }
  }

  /** An integer- or boolean-valued field (booleans are 0 and 1). */
  non-sealed interface OfLong<E> extends Extractor<E> {
    boolean has(E event);

    /** The value; only meaningful when {@link #has} is true. */
    long number(E event);

    @Override
    default @Nullable String format(E event) {
      if (!has(event)) {
        return null;
      }
      long v = number(event);
      return switch (type().kind()) {
        case BOOL -> v != 0 ? "true" : "false";
        case UNSIGNED -> Long.toUnsignedString(v);
        default -> Long.toString(v);
      };
    }
  }

  /** A floating-point field. */
  non-sealed interface OfDouble<E> extends Extractor<E> {
    boolean has(E event);

    double decimal(E event);

    @Override
    default @Nullable String format(E event) {
      return has(event) ? Double.toString(decimal(event)) : null;
    }
  }

  /**
   * A multi-valued field: a list field, or a field that yields several values such as {@code
   * proc.aname} without an index (any ancestor).
   */
  non-sealed interface OfList<E> extends Extractor<E> {
    /** The values, or {@code null} (or an empty list) when there are none. */
    @Nullable List<String> values(E event);

    @Override
    default @Nullable String format(E event) {
      List<String> v = values(event);
      return v == null || v.isEmpty() ? null : "(" + String.join(",", v) + ")";
    }
  }

  /** A byte-valued field: buffers, and IP addresses (4 or 16 bytes, network order). */
  non-sealed interface OfBytes<E> extends Extractor<E> {
    byte @Nullable [] bytes(E event);
  }

  /**
   * A multi-valued byte field, such as an "either end" address ({@code fd.ip}): candidate values as
   * bytes, so matching compares without rendering text.
   */
  non-sealed interface OfBytesList<E> extends Extractor<E> {
    /** The values, or {@code null} when there are none. */
    @Nullable List<byte[]> values(E event);

    /** A value as text (an IP address in its usual form). */
    String render(byte[] value);

    @Override
    default @Nullable String format(E event) {
      List<byte[]> v = values(event);
      if (v == null || v.isEmpty()) {
        return null;
      }
      List<String> out = new java.util.ArrayList<>(v.size());
      for (byte[] b : v) {
        out.add(render(b));
      }
      return "(" + String.join(",", out) + ")";
    }
  }
}
