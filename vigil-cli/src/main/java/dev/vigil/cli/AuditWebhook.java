package dev.vigil.cli;

import dev.vigil.k8saudit.event.AuditEvent;
import dev.vigil.k8saudit.event.InputProblem;
import dev.vigil.k8saudit.webhook.Webhook;
import dev.vigil.k8saudit.webhook.WebhookConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The audit webhook of {@code vigil run} ({@code -o k8saudit.webhook.listen=HOST:PORT}): accepted
 * events go through the k8s_audit rules on the receiver's consumer thread; refused requests and
 * skipped records are printed (the first {@link AuditFiles#SHOWN}, then only counted).
 */
final class AuditWebhook {
  private final Webhook webhook;

  private AuditWebhook(Webhook webhook) {
    this.webhook = webhook;
  }

  /** The receiver's configuration from the {@code -o k8saudit.webhook.*} keys. */
  static WebhookConfig config(Map<String, String> o) {
    String listen = o.getOrDefault("k8saudit.webhook.listen", "").strip();
    InetSocketAddress address = address(listen);
    String cert = o.getOrDefault("k8saudit.webhook.ssl_certificate", "").strip();
    String key = o.getOrDefault("k8saudit.webhook.ssl_key", "").strip();
    List<Path> cas = new ArrayList<>();
    for (String ca : o.getOrDefault("k8saudit.webhook.client_ca", "").split(",", -1)) {
      if (!ca.isBlank()) {
        cas.add(Path.of(ca.strip()));
      }
    }
    if (cert.isEmpty() != key.isEmpty()) {
      throw new UserError(
          ExitCode.USAGE,
          "-o k8saudit.webhook.ssl_certificate and -o k8saudit.webhook.ssl_key go together");
    }
    if (cert.isEmpty() && !cas.isEmpty()) {
      throw new UserError(
          ExitCode.USAGE,
          "-o k8saudit.webhook.client_ca needs HTTPS: set -o k8saudit.webhook.ssl_certificate"
              + " and -o k8saudit.webhook.ssl_key");
    }
    WebhookConfig.Transport transport =
        cert.isEmpty()
            ? new WebhookConfig.Transport.Plain()
            : new WebhookConfig.Transport.Tls(Path.of(cert), Path.of(key), cas);
    WebhookConfig c = WebhookConfig.of(address, transport);
    String tokenFile = o.getOrDefault("k8saudit.webhook.token_file", "").strip();
    if (!tokenFile.isEmpty()) {
      try {
        String token = Files.readString(Path.of(tokenFile), StandardCharsets.UTF_8).strip();
        if (token.isEmpty()) {
          throw new UserError(
              ExitCode.USAGE, "-o k8saudit.webhook.token_file: " + tokenFile + " is empty");
        }
        c = c.withBearerToken(token);
      } catch (IOException e) {
        throw new UserError(
            ExitCode.USAGE, "-o k8saudit.webhook.token_file: cannot read " + tokenFile + ": " + e);
      }
    }
    long maxBody = number(o, "k8saudit.webhook.max_body_bytes", WebhookConfig.DEFAULT_MAX_BODY);
    long queue = number(o, "k8saudit.webhook.queue_events", c.queueEvents());
    if (maxBody > WebhookConfig.MAX_BODY_LIMIT) {
      throw new UserError(
          ExitCode.USAGE,
          "-o k8saudit.webhook.max_body_bytes: at most " + WebhookConfig.MAX_BODY_LIMIT);
    }
    return c.withMaxBodyBytes(maxBody).withQueue((int) Math.min(queue, 10_000_000), c.queueBytes());
  }

  private static long number(Map<String, String> o, String k, long dflt) {
    String v = o.get(k);
    if (v == null) {
      return dflt;
    }
    try {
      long n = Long.parseLong(v.strip());
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UserError(
        ExitCode.USAGE, "-o " + k + ": expected a positive number, got '" + v + "'");
  }

  /** {@code HOST:PORT}, {@code :PORT}, {@code [::1]:PORT} or {@code HOST} (port 9765). */
  static InetSocketAddress address(String listen) {
    String host = listen;
    int port = WebhookConfig.DEFAULT_PORT;
    int colon = listen.lastIndexOf(':');
    if (colon >= 0 && listen.indexOf(']') < colon) {
      host = listen.substring(0, colon);
      try {
        port = Integer.parseInt(listen.substring(colon + 1));
      } catch (NumberFormatException e) {
        port = -1;
      }
    }
    if (port < 0 || port > 65535) {
      throw new UserError(
          ExitCode.USAGE,
          "-o k8saudit.webhook.listen: expected HOST:PORT (e.g. 0.0.0.0:9765), got '"
              + listen
              + "'");
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
  }

  /** Starts the receiver; a port in use or an unreadable certificate is a runtime error. */
  static AuditWebhook start(
      WebhookConfig config, K8sAuditRules rules, AlertSink sink, PrintWriter err) {
    AtomicLong problems = new AtomicLong();
    Webhook.Listener listener =
        new Webhook.Listener() {
          @Override
          public void event(AuditEvent event) {
            rules.evaluate(event, sink);
          }

          @Override
          public void problem(InputProblem problem) {
            if (problems.incrementAndGet() <= AuditFiles.SHOWN) {
              say(err, problem.render());
            }
          }

          @Override
          public void notice(String message) {
            say(err, message);
          }
        };
    try {
      return new AuditWebhook(Webhook.start(config, listener));
    } catch (IOException e) {
      throw new UserError(
          ExitCode.RUNTIME,
          "cannot start the audit webhook on " + config.listen() + ": " + e.getMessage());
    }
  }

  private static void say(PrintWriter err, String message) {
    synchronized (err) {
      err.println("vigil: " + message);
      err.flush();
    }
  }

  String url() {
    return webhook.url();
  }

  /** Stops listening and delivers every event already acknowledged. */
  void stop() {
    webhook.close();
  }

  void printStats(PrintWriter err) {
    Webhook.Stats s = webhook.stats();
    err.printf(
        "vigil: k8s audit webhook: %d requests, %d events, %d duplicates dropped, %d records"
            + " skipped, %d requests refused (%d for overload)%n",
        s.requests(), s.delivered(), s.duplicates(), s.skipped(), s.refused(), s.overloaded());
  }
}
