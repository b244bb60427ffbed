package dev.vigil.k8saudit.webhook;

/**
 * The JDK server reads its request timer once per JVM: the webhook tests set it to 2 s before the
 * first server starts so that slow clients are cut off quickly.
 */
final class WebhookTimeouts {
  static final int SECONDS = 2;

  private WebhookTimeouts() {}

  static void shorten() {
    System.setProperty("sun.net.httpserver.maxReqTime", String.valueOf(SECONDS));
    System.setProperty("sun.net.httpserver.maxRspTime", "10");
  }
}
