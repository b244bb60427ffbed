package dev.vigil.k8saudit.policy;

import java.util.Optional;

/** The stages of a request at which kube-apiserver can emit an audit event. */
public enum Stage {
  REQUEST_RECEIVED("RequestReceived"),
  RESPONSE_STARTED("ResponseStarted"),
  RESPONSE_COMPLETE("ResponseComplete"),
  PANIC("Panic");

  private final String text;

  Stage(String text) {
    this.text = text;
  }

  public String text() {
    return text;
  }

  /** The stage spelled exactly (case-sensitive). */
  public static Optional<Stage> parse(String s) {
    return switch (s) {
      case "RequestReceived" -> Optional.of(REQUEST_RECEIVED);
      case "ResponseStarted" -> Optional.of(RESPONSE_STARTED);
      case "ResponseComplete" -> Optional.of(RESPONSE_COMPLETE);
      case "Panic" -> Optional.of(PANIC);
      default -> Optional.empty();
    };
  }

  @Override
  public String toString() {
    return text;
  }
}
