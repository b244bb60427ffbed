package dev.vigil.posture.pss;

import java.util.Locale;

/** The Pod Security Standards levels. */
public enum Level {
  PRIVILEGED,
  BASELINE,
  RESTRICTED;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
