package dev.vigil.posture;

import java.util.Locale;

/** One scale for findings and input problems: {@code info < warning < error}. */
public enum Severity {
  INFO,
  WARNING,
  ERROR;

  /** The lower-case name used in text, JSON and on the command line. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public boolean atLeast(Severity other) {
    return compareTo(other) >= 0;
  }
}
