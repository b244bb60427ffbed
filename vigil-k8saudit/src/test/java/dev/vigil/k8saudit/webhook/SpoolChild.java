package dev.vigil.k8saudit.webhook;

import dev.vigil.k8saudit.event.AuditEvent;
import dev.vigil.k8saudit.event.InputProblem;
import dev.vigil.k8saudit.event.Key;
import java.io.FileOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * A receiver with the spool on, in its own JVM so that a test can kill it (SIGKILL). Its pipeline
 * appends each delivered auditID to a file (one write per event, so what it did survives the kill);
 * from event number {@code stallAt} on, the pipeline stalls before recording, so the kill finds the
 * consumer waiting and the spool holding acknowledged events.
 *
 * <p>Arguments: spool directory, segment bytes, spool bytes, stallAt, delivered file. Prints {@code
 * port N} when it listens.
 */
public final class SpoolChild {
  private SpoolChild() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    long segment = Long.parseLong(args[1]);
    long max = Long.parseLong(args[2]);
    long stallAt = Long.parseLong(args[3]);
    FileOutputStream delivered = new FileOutputStream(args[4], true);
    CountDownLatch never = new CountDownLatch(1);
    long[] count = {0};
    Webhook.Listener l =
        new Webhook.Listener() {
          @Override
          public void event(AuditEvent event) {
            if (count[0]++ >= stallAt) {
              try {
                never.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
            String id = event.text(event.top(Key.AUDIT_ID));
            try {
              delivered.write((id + "\n").getBytes(StandardCharsets.UTF_8));
            } catch (java.io.IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          }

          @Override
          public void problem(InputProblem problem) {}

          @Override
          public void notice(String message) {
            System.err.println(message);
          }
        };
    WebhookConfig c =
        WebhookConfig.of(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                new WebhookConfig.Transport.Plain())
            .withMaxBodyBytes(Math.min(WebhookConfig.DEFAULT_MAX_BODY, max / 4))
            .withSpool(new WebhookConfig.Spool.On(dir, max, segment));
    Webhook w = Webhook.start(c, l);
    System.out.println("port " + w.address().getPort());
    System.out.flush();
    never.await();
  }
}
