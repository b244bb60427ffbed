package dev.vigil.k8saudit.webhook;

import java.time.Duration;

/** The webhook tests cut slow clients off after 2 s of silence, so that they run quickly. */
final class WebhookTimeouts {
  static final int SECONDS = 2;

  private WebhookTimeouts() {}

  static WebhookConfig shorten(WebhookConfig c) {
    return c.withSlowClientLimits(Duration.ofSeconds(SECONDS), WebhookConfig.DEFAULT_MIN_DATA_RATE);
  }
}
