package dev.vigil.output;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The configuration of one output, as read from {@code vigil.yaml}. Records, so that a reload can
 * tell which outputs changed and keep the others running untouched.
 */
public sealed interface SinkConfig {
  /** The output's name in metrics and logs: {@code stdout}, {@code file}, {@code http}, ... */
  String name();

  Delivery delivery();

  /** Falco's {@code stdout_output}; {@code buffered} is Falco's {@code buffered_outputs}. */
  record Stdout(boolean buffered, Delivery delivery) implements SinkConfig {
    @Override
    public String name() {
      return "stdout";
    }
  }

  /**
   * Falco's {@code file_output}, plus size-based rotation.
   *
   * @param path the file alerts are appended to
   * @param keepAlive keep the file open between batches (Falco reopens it per alert otherwise)
   * @param rotateBytes rotate when the file would grow past this (0: never, as Falco)
   * @param keepFiles rotated files kept: {@code path.1} (newest) to {@code path.N}
   */
  record File(Path path, boolean keepAlive, long rotateBytes, int keepFiles, Delivery delivery)
      implements SinkConfig {
    @Override
    public String name() {
      return "file";
    }
  }

  /**
   * Falco's {@code program_output}: each alert line on the standard input of {@code sh -c command}.
   *
   * @param keepAlive one long-running process for all alerts (else one per alert)
   * @param timeout how long one alert may take when the program runs per alert
   */
  record Program(String command, boolean keepAlive, Duration timeout, Delivery delivery)
      implements SinkConfig {
    @Override
    public String name() {
      return "program";
    }
  }

  /** TLS settings of an HTTPS client, as Falco's {@code http_output} names them. */
  record Tls(
      boolean insecure,
      String caCert,
      String caBundle,
      String caPath,
      boolean mtls,
      String clientCert,
      String clientKey) {
    public static Tls system() {
      return new Tls(false, "", "", "", false, "", "");
    }
  }

  /**
   * Falco's {@code http_output}: one POST of the alert per request, as falcosidekick expects.
   *
   * @param compress gzip the body ({@code compress_uploads})
   * @param timeout connect and request timeout
   */
  record Http(
      URI url,
      String userAgent,
      Tls tls,
      boolean compress,
      Duration timeout,
      Map<String, String> headers,
      Delivery delivery)
      implements SinkConfig {
    public Http {
      headers = Map.copyOf(headers);
    }

    @Override
    public String name() {
      return "http";
    }
  }

  /** Where syslog messages go. */
  enum Transport {
    UDP,
    TCP,
    UNIX
  }

  /**
   * RFC 5424 syslog over UDP, TCP (RFC 6587 octet counting) or a unix stream socket.
   *
   * @param facility the syslog facility number (1 = user, as Falco's syslog(3) call; 16 = local0)
   */
  record Syslog(
      Transport transport, String host, int port, Path socket, int facility, Delivery delivery)
      implements SinkConfig {
    @Override
    public String name() {
      return "syslog";
    }
  }

  /** What a Slack message carries (falcosidekick's {@code outputformat}). */
  enum SlackFormat {
    ALL,
    TEXT,
    FIELDS
  }

  /** A Slack-compatible incoming webhook (falcosidekick's {@code slack} keys). */
  record Slack(
      URI webhookUrl,
      String channel,
      String username,
      String icon,
      String footer,
      SlackFormat format,
      String messageFormat,
      Duration timeout,
      Delivery delivery)
      implements SinkConfig {
    @Override
    public String name() {
      return "slack";
    }
  }

  /**
   * Kafka: each alert as Falco JSON, keyed by host name.
   *
   * @param brokers bootstrap servers, {@code host:port}
   * @param properties more producer properties, passed to the Kafka client as they are
   */
  record Kafka(
      List<String> brokers,
      String topic,
      String acks,
      String compression,
      String clientId,
      Map<String, String> properties,
      Delivery delivery)
      implements SinkConfig {
    public Kafka {
      brokers = List.copyOf(brokers);
      properties = Map.copyOf(properties);
    }

    @Override
    public String name() {
      return "kafka";
    }
  }

  /**
   * The embedded alert store (SQLite), queryable with {@code vigil alerts query}.
   *
   * @param retention alerts older than this are deleted (zero: kept forever)
   */
  record Store(Path path, Duration retention, Delivery delivery) implements SinkConfig {
    @Override
    public String name() {
      return "store";
    }
  }
}
