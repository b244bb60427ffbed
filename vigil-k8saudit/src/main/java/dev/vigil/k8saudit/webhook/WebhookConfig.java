package dev.vigil.k8saudit.webhook;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How the receiver listens and what it accepts.
 *
 * @param listen address and port ({@code 0.0.0.0:9765} by default, as Falco's)
 * @param transport plain HTTP or HTTPS
 * @param bearerToken the token clients must send as {@code Authorization: Bearer}; empty for none
 * @param maxBodyBytes larger request bodies get 413 (12 MiB by default, as Falco's k8saudit)
 * @param queueEvents events that may wait for the consumer; beyond it, 429
 * @param queueBytes body bytes that may wait for the consumer; beyond it, 429
 * @param dedupEntries how many recent event keys are remembered to drop retried batches
 * @param maxExchanges requests handled at once; further connections are closed
 * @param stopGrace how long a stop waits for requests in flight
 */
public record WebhookConfig(
    InetSocketAddress listen,
    Transport transport,
    String bearerToken,
    long maxBodyBytes,
    int queueEvents,
    long queueBytes,
    int dedupEntries,
    int maxExchanges,
    Duration stopGrace) {

  /** The path kube-apiserver is pointed at, as Falco's. */
  public static final String PATH = "/k8s-audit";

  public static final int DEFAULT_PORT = 9765;

  public static final long DEFAULT_MAX_BODY = 12L << 20;

  /** The largest body limit that may be configured: a body is held in memory whole. */
  public static final long MAX_BODY_LIMIT = 512L << 20;

  /** Plain HTTP or HTTPS. */
  public sealed interface Transport {
    /** Plain HTTP (for a local test or behind a TLS-terminating proxy). */
    record Plain() implements Transport {}

    /**
     * HTTPS.
     *
     * @param certificate PEM file: the server certificate, then its chain; reloaded when it changes
     * @param key PEM file: the private key (PKCS#8, or PKCS#1 RSA); reloaded with the certificate
     * @param clientCas PEM files of the CAs client certificates must chain to; empty for no client
     *     certificate authentication
     */
    record Tls(Path certificate, Path key, List<Path> clientCas) implements Transport {
      public Tls {
        clientCas = List.copyOf(clientCas);
      }
    }
  }

  public WebhookConfig {
    if (maxBodyBytes <= 0 || queueEvents <= 0 || queueBytes <= 0 || maxExchanges <= 0) {
      throw new IllegalArgumentException("webhook limits must be positive");
    }
    if (maxBodyBytes > MAX_BODY_LIMIT) {
      throw new IllegalArgumentException(
          "the body limit can be at most " + MAX_BODY_LIMIT + " bytes (512 MiB)");
    }
    if (dedupEntries < 0) {
      throw new IllegalArgumentException("dedupEntries must not be negative");
    }
  }

  /** The defaults for {@code listen} and {@code transport}. */
  public static WebhookConfig of(InetSocketAddress listen, Transport transport) {
    return new WebhookConfig(
        listen,
        transport,
        "",
        DEFAULT_MAX_BODY,
        20_000,
        256L << 20,
        100_000,
        256,
        Duration.ofSeconds(5));
  }

  public WebhookConfig withBearerToken(String token) {
    return new WebhookConfig(
        listen,
        transport,
        token,
        maxBodyBytes,
        queueEvents,
        queueBytes,
        dedupEntries,
        maxExchanges,
        stopGrace);
  }

  public WebhookConfig withMaxBodyBytes(long max) {
    return new WebhookConfig(
        listen,
        transport,
        bearerToken,
        max,
        queueEvents,
        queueBytes,
        dedupEntries,
        maxExchanges,
        stopGrace);
  }

  public WebhookConfig withQueue(int events, long bytes) {
    return new WebhookConfig(
        listen,
        transport,
        bearerToken,
        maxBodyBytes,
        events,
        bytes,
        dedupEntries,
        maxExchanges,
        stopGrace);
  }

  public WebhookConfig withDedupEntries(int entries) {
    return new WebhookConfig(
        listen,
        transport,
        bearerToken,
        maxBodyBytes,
        queueEvents,
        queueBytes,
        entries,
        maxExchanges,
        stopGrace);
  }
}
