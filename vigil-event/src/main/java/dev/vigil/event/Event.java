package dev.vigil.event;

/**
 * An event from any source. Sources implement it as a view over their own representation (a
 * ring-buffer record, a JSON document) and expose field values through {@link Extractor}s.
 */
public interface Event {
  /** The event's type code in its source's {@link EventTypes} table. */
  int eventType();

  /** When the event happened, in nanoseconds since the epoch. */
  long timestamp();
}
