package dev.vigil.rules;

import java.util.Locale;
import java.util.Optional;

/** Falco's rule priorities, most severe first (their ordinals are Falco's numeric values). */
public enum Priority {
  EMERGENCY("Emergency"),
  ALERT("Alert"),
  CRITICAL("Critical"),
  ERROR("Error"),
  WARNING("Warning"),
  NOTICE("Notice"),
  INFORMATIONAL("Informational"),
  DEBUG("Debug");

  private final String title;

  Priority(String title) {
    this.title = title;
  }

  /** As alerts print it: {@code Warning}, {@code Informational}. */
  public String title() {
    return title;
  }

  /**
   * Parses a priority as Falco does: case-insensitively, with {@code info} accepted for {@code
   * informational}.
   */
  public static Optional<Priority> parse(String s) {
    String u = s.toUpperCase(Locale.ROOT);
    if (u.equals("INFO")) {
      return Optional.of(INFORMATIONAL);
    }
    for (Priority p : values()) {
      if (p.name().equals(u)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** True when this priority is at least as severe as {@code threshold}. */
  public boolean atLeast(Priority threshold) {
    return compareTo(threshold) <= 0;
  }
}
