package dev.vigil.kernel.fields;

import dev.vigil.event.EventTypes;
import dev.vigil.event.Extractor;
import dev.vigil.event.ExtractorFactory;
import dev.vigil.event.FieldDef;
import dev.vigil.kernel.event.SyscallEvent;

/**
 * Extractors for the {@code syscall} source: every field reads the event's record (parameters,
 * decoded on demand) or the state resolved for it.
 */
public final class SyscallFields implements ExtractorFactory<SyscallEvent> {
  private final EventTypes types;
  private final String hostname;

  public SyscallFields(EventTypes types, String hostname) {
    this.types = types;
    this.hostname = hostname;
  }

  @Override
  public Extractor<SyscallEvent> extractor(FieldDef field, String argument) {
    String name = field.name();
    Extractor<SyscallEvent> x = EventFields.of(name, argument, types, hostname);
    if (x == null) {
      x = ProcessFields.of(name, argument);
    }
    if (x == null) {
      x = FdFields.of(name);
    }
    if (x == null) {
      x = PathFields.of(name, types);
    }
    if (x == null) {
      x = IdentityFields.of(name, argument);
    }
    if (x == null) {
      throw new UnsupportedFieldException(name);
    }
    return x;
  }
}
