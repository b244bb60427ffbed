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
    for (Stage st : values()) {
      if (st.text.equals(s)) {
        return Optional.of(st);
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return text;
  }
}
