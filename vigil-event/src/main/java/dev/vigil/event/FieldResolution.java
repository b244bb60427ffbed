package dev.vigil.event;

/** The outcome of resolving a field reference against a catalogue. */
public sealed interface FieldResolution {

  /** A known field, with its argument ({@code ""} when none). */
  record Resolved(FieldDef field, String argument) implements FieldResolution {}

  /** No field of that name. */
  record Unknown(String name) implements FieldResolution {}

  /** A known field used with a wrong argument. */
  record BadArgument(FieldDef field, String message) implements FieldResolution {}
}
