package dev.vigil.posture.pss;

import java.util.Optional;

/**
 * A Pod Security policy version: {@code v1.N}, or {@code latest}. Vigil knows the policies up to
 * {@value #NEWEST_KNOWN}; {@code latest} means the newest released Kubernetes, {@value
 * #LATEST_RELEASE}. As in PSA, a version newer than the newest known one is evaluated as that one.
 */
public record PsaVersion(int minor, boolean latest) {
  public static final int LATEST_RELEASE = 36;
  public static final int NEWEST_KNOWN = 37;
  public static final PsaVersion LATEST = new PsaVersion(LATEST_RELEASE, true);

  public static PsaVersion of(int minor) {
    return new PsaVersion(minor, false);
  }

  /** Parses {@code latest}, {@code v1.N} or {@code 1.N}. */
  public static Optional<PsaVersion> parse(String s) {
    String t = s.strip();
    if (t.equals("latest")) {
      return Optional.of(LATEST);
    }
    if (t.startsWith("v")) {
      t = t.substring(1);
    }
    if (!t.startsWith("1.")) {
      return Optional.empty();
    }
    try {
      int minor = Integer.parseInt(t.substring(2));
      return minor < 0 ? Optional.empty() : Optional.of(of(minor));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** The minor version whose policies apply. */
  public int effectiveMinor() {
    return Math.min(minor, NEWEST_KNOWN);
  }

  /** As PSA prints it in messages: {@code latest} or {@code v1.N}. */
  @Override
  public String toString() {
    return latest ? "latest" : "v1." + minor;
  }
}
