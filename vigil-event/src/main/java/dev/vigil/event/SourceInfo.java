package dev.vigil.event;

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
 */
public record SourceInfo(
    String name, FieldCatalogue fields, EventTypes eventTypes, String eventTypeField) {
  public SourceInfo {
    Objects.requireNonNull(name);
    Objects.requireNonNull(fields);
    Objects.requireNonNull(eventTypes);
    Objects.requireNonNull(eventTypeField);
  }
}
