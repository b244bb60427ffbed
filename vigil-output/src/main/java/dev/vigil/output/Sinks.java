package dev.vigil.output;

import java.io.PrintWriter;

/** Opens the sink a configuration describes. */
final class Sinks {
  private Sinks() {}

  static Sink open(SinkConfig c, PrintWriter stdout) throws OutputException {
    return switch (c) {
      case SinkConfig.Stdout s -> new StdoutSink(stdout, s.buffered());
      case SinkConfig.File f -> new FileSink(f);
      case SinkConfig.Program p -> new ProgramSink(p);
      case SinkConfig.Http h ->
          new HttpSink(
              h.url(),
              h.userAgent(),
              h.tls(),
              h.compress(),
              h.timeout(),
              h.headers(),
              HttpSink.falcoBody());
      case SinkConfig.Syslog s -> new SyslogSink(s);
      case SinkConfig.Slack s ->
          new HttpSink(
              s.webhookUrl(),
              "vigil",
              SinkConfig.Tls.system(),
              false,
              s.timeout(),
              java.util.Map.of(),
              o -> new HttpSink.Body("application/json", SlackPayload.build(s, o)));
      case SinkConfig.Kafka k -> new KafkaSink(k);
      case SinkConfig.Store s -> new StoreSink(s);
    };
  }
}
