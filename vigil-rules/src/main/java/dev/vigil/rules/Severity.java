package dev.vigil.rules;

/** The one severity scale of Vigil's diagnostics and findings. */
public enum Severity {
  INFO,
  WARNING,
  ERROR;

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
