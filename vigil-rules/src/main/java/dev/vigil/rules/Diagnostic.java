package dev.vigil.rules;

import dev.vigil.rules.text.Position;
import java.util.List;
import java.util.Optional;

/**
 * An error or warning from loading rules, with Falco's code and a location trail from the file down
 * to the exact spot (for example file → rule 'X' → rule condition → condition expression).
 *
 * @param code Falco's code
 * @param message what is wrong
 * @param trail outermost location first
 * @param hintText a suggestion for the fix, such as "did you mean 'x'?" ({@code ""} if none)
 */
public record Diagnostic(Code code, String message, List<Location> trail, String hintText) {
  public Diagnostic {
    trail = List.copyOf(trail);
  }

  public Diagnostic(Code code, String message, List<Location> trail) {
    this(code, message, trail, "");
  }

  /** A suggestion for the fix, kept apart from Falco's message text. */
  public Optional<String> hint() {
    return hintText.isEmpty() ? Optional.empty() : Optional.of(hintText);
  }

  public Severity severity() {
    return code.severity();
  }

  /** The most precise known position: the last step of the trail that has one. */
  public Optional<Position> position() {
    for (int i = trail.size() - 1; i >= 0; i--) {
      Optional<Position> p = trail.get(i).position();
      if (p.isPresent()) {
        return p;
      }
    }
    return Optional.empty();
  }

  /** The file the diagnostic is about ({@code ""} if none). */
  public String fileName() {
    return trail.isEmpty() ? "" : trail.getFirst().file().name();
  }
}
