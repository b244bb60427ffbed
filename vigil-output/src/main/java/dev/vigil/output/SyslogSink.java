package dev.vigil.output;

import dev.vigil.rules.Alert;
import dev.vigil.rules.Priority;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Syslog messages in RFC 5424 format: {@code <PRI>1 TIMESTAMP HOST vigil PID - [vigil@32473
 * rule="..." priority="..." source="..."] MSG}, where the severity is the alert's priority (Falco's
 * priorities are syslog's severities) and MSG the alert line. Over UDP one datagram per alert; over
 * TCP with RFC 6587 octet counting; over a unix stream socket one line per alert. (The JDK has no
 * unix datagram sockets, so {@code /dev/log} as syslog(3) uses it is not reachable; point this at a
 * UDP or TCP listener or a unix stream socket instead.)
 */
final class SyslogSink implements Sink {
  static final int MAX_DATAGRAM = 65_000;
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSX").withZone(ZoneOffset.UTC);

  private final SinkConfig.Syslog config;
  private final long pid = ProcessHandle.current().pid();
  private @Nullable DatagramChannel udp;
  private @Nullable Socket tcp;
  private @Nullable SocketChannel unix;
  private @Nullable OutputStream stream;

  SyslogSink(SinkConfig.Syslog config) {
    this.config = config;
  }

  /** The RFC 5424 message for an alert. */
  static String format(Outgoing o, int facility, long pid) {
    Alert a = o.alert();
    int pri = facility * 8 + severity(a.priority());
    String host = o.hostname().isEmpty() ? "-" : printable(o.hostname(), 255);
    return "<"
        + pri
        + ">1 "
        + TIME.format(Instant.ofEpochSecond(0, a.time()))
        + " "
        + host
        + " vigil "
        + pid
        + " - [vigil@32473 rule=\""
        + sdEscape(a.rule())
        + "\" priority=\""
        + a.priority().title()
        + "\" source=\""
        + sdEscape(a.source())
        + "\"] "
        + o.line();
  }

  /** Falco's priorities are syslog's severities, Emergency (0) to Debug (7). */
  static int severity(Priority p) {
    return switch (p) {
      case EMERGENCY -> 0;
      case ALERT -> 1;
      case CRITICAL -> 2;
      case ERROR -> 3;
      case WARNING -> 4;
      case NOTICE -> 5;
      case INFORMATIONAL -> 6;
      case DEBUG -> 7;
    };
  }

  private static String printable(String s, int max) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length() && b.length() < max; i++) {
      char c = s.charAt(i);
      b.append(c > 32 && c < 127 ? c : '_');
    }
    return b.toString();
  }

  private static String sdEscape(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("]", "\\]");
  }

  @Override
  public void deliver(List<Outgoing> batch) throws DeliveryException {
    int i = 0;
    try {
      switch (config.transport()) {
        case UDP -> {
          DatagramChannel ch = udp();
          for (; i < batch.size(); i++) {
            byte[] b =
                format(batch.get(i), config.facility(), pid).getBytes(StandardCharsets.UTF_8);
            ch.write(ByteBuffer.wrap(b, 0, Math.min(b.length, MAX_DATAGRAM)));
          }
        }
        case TCP, UNIX -> {
          OutputStream out = stream();
          for (Outgoing o : batch) {
            byte[] b = format(o, config.facility(), pid).getBytes(StandardCharsets.UTF_8);
            if (config.transport() == SinkConfig.Transport.TCP) {
              out.write((b.length + " ").getBytes(StandardCharsets.US_ASCII));
              out.write(b);
            } else {
              out.write(b);
              out.write('\n');
            }
          }
          out.flush();
          i = batch.size();
        }
      }
    } catch (IOException e) {
      disconnect();
      int done = config.transport() == SinkConfig.Transport.UDP ? i : 0;
      throw new DeliveryException("syslog " + where() + ": cannot send", done, true, e);
    }
  }

  private String where() {
    return switch (config.transport()) {
      case UDP -> "udp://" + config.host() + ":" + config.port();
      case TCP -> "tcp://" + config.host() + ":" + config.port();
      case UNIX -> "unix://" + config.socket();
    };
  }

  private DatagramChannel udp() throws IOException {
    DatagramChannel ch = udp;
    if (ch == null) {
      ch = DatagramChannel.open();
      ch.connect(new InetSocketAddress(config.host(), config.port()));
      udp = ch;
    }
    return ch;
  }

  private OutputStream stream() throws IOException {
    OutputStream out = stream;
    if (out != null) {
      return out;
    }
    if (config.transport() == SinkConfig.Transport.TCP) {
      Socket s = new Socket();
      s.connect(new InetSocketAddress(config.host(), config.port()), 5000);
      tcp = s;
      out = new BufferedOutputStream(s.getOutputStream(), 1 << 16);
    } else {
      SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(config.socket()));
      unix = ch;
      out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
    }
    stream = out;
    return out;
  }

  private void disconnect() {
    try {
      if (udp != null) {
        udp.close();
      }
      if (tcp != null) {
        tcp.close();
      }
      if (unix != null) {
        unix.close();
      }
    } catch (IOException e) {
      // reconnected on the next attempt
    }
    udp = null;
    tcp = null;
    unix = null;
    stream = null;
  }

  @Override
  public void reopen() {
    disconnect();
  }

  @Override
  public void close() {
    OutputStream out = stream;
    if (out != null) {
      try {
        out.flush();
      } catch (IOException e) {
        // closing anyway
      }
    }
    disconnect();
  }
}
