package dev.vigil.cli;

import dev.vigil.cli.daemon.DaemonConfig;
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
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

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

  /**
   * The receiver's configuration from the {@code k8saudit.webhook.*} settings ({@code vigil.yaml}
   * or {@code -o}). As in Falco's plugin, {@code ssl_certificate} alone is one PEM file holding the
   * certificate and the key; {@code ssl_key} names a separate key file.
   */
  static WebhookConfig config(DaemonConfig.K8sAudit a) {
    InetSocketAddress address = address(a.webhookListen().strip());
    if (!a.webhookPath().equals(WebhookConfig.PATH)) {
      throw new UserError(
          ExitCode.USAGE,
          "k8saudit.webhook.path: only "
              + WebhookConfig.PATH
              + " is served, got "
              + a.webhookPath());
    }
    String cert = a.sslCertificate().strip();
    String key = a.sslKey().strip();
    List<Path> cas = a.clientCa().stream().map(Path::of).toList();
    if (cert.isEmpty() && !key.isEmpty()) {
      throw new UserError(
          ExitCode.USAGE, "k8saudit.webhook.ssl_key needs k8saudit.webhook.ssl_certificate");
    }
    if (cert.isEmpty() && !cas.isEmpty()) {
      throw new UserError(
          ExitCode.USAGE,
          "k8saudit.webhook.client_ca needs HTTPS: set k8saudit.webhook.ssl_certificate");
    }
    WebhookConfig.Transport transport =
        cert.isEmpty()
            ? new WebhookConfig.Transport.Plain()
            : new WebhookConfig.Transport.Tls(
                Path.of(cert), Path.of(key.isEmpty() ? cert : key), cas);
    WebhookConfig c = WebhookConfig.of(address, transport);
    String tokenFile = a.tokenFile().strip();
    if (!tokenFile.isEmpty()) {
      String token;
      try {
        token = Files.readString(Path.of(tokenFile), StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        throw new UserError(
            ExitCode.USAGE, "k8saudit.webhook.token_file: cannot read " + tokenFile + ": " + e);
      }
      if (token.isEmpty()) {
        throw new UserError(
            ExitCode.USAGE, "k8saudit.webhook.token_file: " + tokenFile + " is empty");
      }
      c = c.withBearerToken(token);
    }
    c = c.withMaxBodyBytes(a.maxBatchSize()).withQueue((int) a.queueEvents(), c.queueBytes());
    String spool = a.spoolDir().strip();
    if (!spool.isEmpty()) {
      if (a.spoolMaxSize() < 2 * c.maxBodyBytes()) {
        throw new UserError(
            ExitCode.USAGE,
            "k8saudit.webhook.spool_max_size: "
                + a.spoolMaxSize()
                + " bytes cannot hold two of the largest batches (max_batch_size "
                + c.maxBodyBytes()
                + "): give at least "
                + 2 * c.maxBodyBytes());
      }
      c = c.withSpool(WebhookConfig.Spool.On.of(Path.of(spool), a.spoolMaxSize()));
    }
    return c;
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
  static AuditWebhook start(WebhookConfig config, Consumer<AuditEvent> onAudit, PrintWriter err) {
    AtomicLong problems = new AtomicLong();
    Webhook.Listener listener =
        new Webhook.Listener() {
          @Override
          public void event(AuditEvent event) {
            onAudit.accept(event);
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
