package dev.vigil.k8saudit.policy;

import java.util.Optional;

/** How much of a request an audit event records; ordered from nothing to everything. */
public enum Level {
  NONE("None"),
  METADATA("Metadata"),
  REQUEST("Request"),
  REQUEST_RESPONSE("RequestResponse");

  private final String text;

  Level(String text) {
    this.text = text;
  }

  /** The spelling in policies and events ({@code RequestResponse}). */
  public String text() {
    return text;
  }

  /** The level spelled exactly (case-sensitive, as kube-apiserver compares it). */
  public static Optional<Level> parse(String s) {
    return switch (s) {
      case "None" -> Optional.of(NONE);
      case "Metadata" -> Optional.of(METADATA);
      case "Request" -> Optional.of(REQUEST);
      case "RequestResponse" -> Optional.of(REQUEST_RESPONSE);
      default -> Optional.empty();
    };
  }

  /** Whether this level records at least as much as {@code other}. */
  public boolean atLeast(Level other) {
    return compareTo(other) >= 0;
  }

  @Override
  public String toString() {
    return text;
  }
}
