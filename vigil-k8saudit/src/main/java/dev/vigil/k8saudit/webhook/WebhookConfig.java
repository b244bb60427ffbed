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
 * @param queueEvents events that may wait for the consumer in memory; beyond it, 429
 * @param queueBytes body bytes that may wait for the consumer in memory; beyond it, 429
 * @param dedupEntries how many recent event keys are remembered to drop retried batches
 * @param maxExchanges requests handled at once; beyond, 503 and the connection is closed
 * @param stopGrace how long a stop waits for requests in flight (and, with the spool, for the
 *     consumer, before leaving the rest on disk for the next start)
 * @param idleTimeout a connection that sends nothing for this long (in its headers, its body or
 *     between requests) is closed
 * @param minDataRate bytes per second a request body must arrive at, at least, averaged since the
 *     request began; a slower client is cut off with 408
 * @param spool where accepted batches wait: in memory, or in the on-disk spool
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
    Duration stopGrace,
    Duration idleTimeout,
    long minDataRate,
    Spool spool) {

  /** The path kube-apiserver is pointed at, as Falco's. */
  public static final String PATH = "/k8s-audit";

  public static final int DEFAULT_PORT = 9765;

  public static final long DEFAULT_MAX_BODY = 12L << 20;

  /** The largest body limit that may be configured: a body is held in memory whole. */
  public static final long MAX_BODY_LIMIT = 512L << 20;

  /** How long a connection may stay silent by default. */
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(20);

  /** The slowest body accepted by default: 8 KiB/s. */
  public static final long DEFAULT_MIN_DATA_RATE = 8 << 10;

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

  /** Where acknowledged batches wait for the pipeline. */
  public sealed interface Spool {
    /** In memory ({@code queueEvents}, {@code queueBytes}): lost if the process dies. */
    record Off() implements Spool {}

    /**
     * On disk: a 200 means the batch is in {@code dir} and synced; what the pipeline has not
     * consumed is replayed after a restart.
     *
     * @param dir the spool directory (created if missing; one receiver at a time)
     * @param maxBytes the spool's size on disk at most; beyond it, 429
     * @param segmentBytes the size at which a new segment file is started
     */
    record On(Path dir, long maxBytes, long segmentBytes) implements Spool {
      public static final long DEFAULT_MAX_BYTES = 1L << 30;

      public On {
        if (segmentBytes <= 0 || maxBytes < 2 * segmentBytes) {
          throw new IllegalArgumentException(
              "the spool must hold at least two segments of " + segmentBytes + " bytes");
        }
      }

      /** A spool of {@code maxBytes} in segments of an eighth of it (at most 64 MiB). */
      public static On of(Path dir, long maxBytes) {
        return new On(dir, maxBytes, Math.min(64L << 20, Math.max(1, maxBytes / 8)));
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
    if (dedupEntries < 0 || minDataRate < 0) {
      throw new IllegalArgumentException("dedupEntries and minDataRate must not be negative");
    }
    if (idleTimeout.isNegative() || idleTimeout.isZero()) {
      throw new IllegalArgumentException("the idle timeout must be positive");
    }
    if (spool instanceof Spool.On on && on.maxBytes() < 2 * maxBodyBytes) {
      throw new IllegalArgumentException(
          "the spool ("
              + on.maxBytes()
              + " bytes) must hold at least two of the largest bodies ("
              + maxBodyBytes
              + " bytes)");
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
        Duration.ofSeconds(5),
        DEFAULT_IDLE_TIMEOUT,
        DEFAULT_MIN_DATA_RATE,
        new Spool.Off());
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
        stopGrace,
        idleTimeout,
        minDataRate,
        spool);
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
        stopGrace,
        idleTimeout,
        minDataRate,
        spool);
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
        stopGrace,
        idleTimeout,
        minDataRate,
        spool);
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
        stopGrace,
        idleTimeout,
        minDataRate,
        spool);
  }

  /** Slow clients: the idle timeout and the slowest accepted body (bytes/s, 0 for no limit). */
  public WebhookConfig withSlowClientLimits(Duration idle, long bytesPerSecond) {
    return new WebhookConfig(
        listen,
        transport,
        bearerToken,
        maxBodyBytes,
        queueEvents,
        queueBytes,
        dedupEntries,
        maxExchanges,
        stopGrace,
        idle,
        bytesPerSecond,
        spool);
  }

  public WebhookConfig withSpool(Spool s) {
    return new WebhookConfig(
        listen,
        transport,
        bearerToken,
        maxBodyBytes,
        queueEvents,
        queueBytes,
        dedupEntries,
        maxExchanges,
        stopGrace,
        idleTimeout,
        minDataRate,
        s);
  }
}
