package dev.vigil.kernel;

import dev.vigil.event.EventTypes;
import dev.vigil.event.FieldCatalogue;
import dev.vigil.event.SourceInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The {@code syscall} source's description: fields ({@code evt.* proc.* fd.*...}) and events. */
public final class SyscallSource {
  public static final String NAME = "syscall";

  private static final SourceInfo INFO =
      new SourceInfo(
          NAME,
          FieldCatalogue.parse(NAME, resource("syscall-fields.tsv")),
          EventTypes.parse(resource("syscall-events.tsv")),
          "evt.type");

  private SyscallSource() {}

  public static SourceInfo info() {
    return INFO;
  }

  private static String resource(String name) {
    try (InputStream in = SyscallSource.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing bundled resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
