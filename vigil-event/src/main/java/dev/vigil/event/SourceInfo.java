package dev.vigil.event;

import java.util.List;
import java.util.Objects;

/**
 * What the rule engine knows about an event source when it loads rules: its name, its fields and
 * its event types.
 *
 * @param name the source name rules use ({@code syscall}, {@code k8s_audit})
 * @param fields the field catalogue
 * @param eventTypes the event-type table
 * @param eventTypeField the field naming the event type ({@code evt.type}), or {@code ""} when the
 *     source has a single event type
 * @param dispatchFields string fields that are cheap to read on every event and that rules often
 *     test for exact values ({@code ka.verb}, {@code jevt.value[/stage]}), written as conditions
 *     write them; the engine indexes rules by the values their conditions require of these fields,
 *     as it does by event type
 */
public record SourceInfo(
    String name,
    FieldCatalogue fields,
    EventTypes eventTypes,
    String eventTypeField,
    List<String> dispatchFields) {
  public SourceInfo {
    Objects.requireNonNull(name);
    Objects.requireNonNull(fields);
    Objects.requireNonNull(eventTypes);
    Objects.requireNonNull(eventTypeField);
    dispatchFields = List.copyOf(dispatchFields);
  }

  /** A source without dispatch fields. */
  public SourceInfo(
      String name, FieldCatalogue fields, EventTypes eventTypes, String eventTypeField) {
    this(name, fields, eventTypes, eventTypeField, List.of());
  }
}
