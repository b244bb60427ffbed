package dev.vigil.rules;

import dev.vigil.rules.text.Position;
import dev.vigil.rules.text.SourceFile;
import java.util.Optional;

/**
 * One step of a diagnostic's location trail: what the step is ({@code rule}, {@code rule
 * condition}, {@code condition expression}...), its name if it has one, and where it is.
 *
 * @param kind what the step is
 * @param name item name, or {@code ""}
 * @param file the file, for positioned steps
 * @param offset offset in the file, or {@code -1} when the step has no position
 */
public record Location(String kind, String name, SourceFile file, int offset) {

  public static Location at(String kind, String name, SourceFile file, int offset) {
    return new Location(kind, name, file, offset);
  }

  public static Location at(String kind, String name, Position p) {
    return new Location(kind, name, p.file(), p.file().offset(p.line(), p.column()));
  }

  public Optional<Position> position() {
    return offset < 0 ? Optional.empty() : Optional.of(file.position(offset));
  }

  /** {@code rule 'X'}, or just the kind when there is no name. */
  public String describe() {
    return name.isEmpty() ? kind : kind + " '" + name + "'";
  }
}
