package dev.vigil.bench;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Real receivers on loopback for {@link OutputThroughput}: an HTTP server (fast, or one that holds
 * every request), a syslog listener over UDP and TCP, an address nobody listens on, and a
 * single-node Kafka broker (KRaft) run out of process from the jars on this classpath.
 */
final class Endpoints {
  private Endpoints() {}

  /** A receiver that counts what it received (messages or requests). */
  interface Receiver extends AutoCloseable {
    long received();

    @Override
    void close();
  }

  /** No receiver of its own (stdout, a file, a program, a database). */
  static final Receiver NONE =
      new Receiver() {
        @Override
        public long received() {
          return 0;
        }

        @Override
        public void close() {}
      };

  /**
   * An HTTP server answering 200 to every POST; with {@code holdMillis > 0} it holds each request
   * that long first (a slow receiver).
   */
  static final class Http implements Receiver {
    final HttpServer server;
    final LongAdder received = new LongAdder();

    Http(long holdMillis) throws IOException {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
      server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
      server.createContext(
          "/",
          ex -> {
            try (InputStream in = ex.getRequestBody()) {
              in.readAllBytes();
              if (holdMillis > 0) {
                Thread.sleep(holdMillis);
              }
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            received.increment();
            ex.sendResponseHeaders(200, -1);
            ex.close();
          });
      server.start();
    }

    URI url() {
      return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    @Override
    public long received() {
      return received.sum();
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }

  /** A loopback URL on a port nobody listens on: every connection is refused. */
  static URI deadUrl() throws IOException {
    return URI.create("http://127.0.0.1:" + freePort() + "/");
  }

  /** A syslog listener over UDP that counts datagrams. */
  static final class SyslogUdp implements Receiver {
    final DatagramSocket socket;
    final LongAdder received = new LongAdder();

    SyslogUdp() throws IOException {
      socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
      socket.setReceiveBufferSize(8 << 20);
      Thread.ofPlatform()
          .daemon()
          .start(() -> {
            DatagramPacket p = new DatagramPacket(new byte[65_536], 65_536);
            try {
              while (true) {
                socket.receive(p);
                received.increment();
              }
            } catch (IOException e) {
              // closed
            }
          });
    }

    int port() {
      return socket.getLocalPort();
    }

    @Override
    public long received() {
      return received.sum();
    }

    @Override
    public void close() {
      socket.close();
    }
  }

  /** A syslog listener over TCP that counts RFC 6587 octet-counted frames. */
  static final class SyslogTcp implements Receiver {
    final ServerSocket server;
    final LongAdder received = new LongAdder();

    SyslogTcp() throws IOException {
      server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
      Thread.ofPlatform().daemon().start(this::accept);
    }

    private void accept() {
      try {
        while (true) {
          Socket s = server.accept();
          Thread.ofPlatform().daemon().start(() -> read(s));
        }
      } catch (IOException e) {
        // closed
      }
    }

    private void read(Socket s) {
      try (s;
          InputStream in = new java.io.BufferedInputStream(s.getInputStream(), 1 << 16)) {
        while (true) {
          int len = 0;
          int c;
          while ((c = in.read()) != ' ') {
            if (c < 0) {
              return;
            }
            len = len * 10 + (c - '0');
          }
          in.skipNBytes(len);
          received.increment();
        }
      } catch (IOException e) {
        // the sender closed
      }
    }

    int port() {
      return server.getLocalPort();
    }

    @Override
    public long received() {
      return received.sum();
    }

    @Override
    public void close() {
      try {
        server.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }

  /**
   * A single-node Kafka broker (KRaft, combined broker and controller) on loopback, started out of
   * process with the same entry points as {@code kafka-storage.sh format} and {@code
   * kafka-server-start.sh}, and stopped by its pid.
   */
  static final class Kafka implements AutoCloseable {
    final int port;
    private final Process process;

    private Kafka(int port, Process process) {
      this.port = port;
      this.process = process;
    }

    String bootstrap() {
      return "127.0.0.1:" + port;
    }

    static Kafka start(Path dir) throws IOException, InterruptedException {
      int port = freePort();
      int controller = freePort();
      Path props = dir.resolve("server.properties");
      Files.writeString(
          props,
          String.join(
              "\n",
              "process.roles=broker,controller",
              "node.id=1",
              "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controller,
              "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
              "controller.listener.names=CONTROLLER",
              "inter.broker.listener.name=PLAINTEXT",
              "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
              "controller.quorum.bootstrap.servers=127.0.0.1:" + controller,
              "log.dirs=" + dir.resolve("data"),
              "num.partitions=1",
              "offsets.topic.replication.factor=1",
              "transaction.state.log.replication.factor=1",
              "transaction.state.log.min.isr=1",
              "share.coordinator.state.topic.replication.factor=1",
              "share.coordinator.state.topic.min.isr=1",
              "group.initial.rebalance.delay.ms=0",
              "auto.create.topics.enable=true",
              ""));
      Path log = dir.resolve("broker.log");
      Process format =
          java(
                  "kafka.tools.StorageTool",
                  "format",
                  "--standalone",
                  "-t",
                  UUID.randomUUID().toString(),
                  "-c",
                  props.toString())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("format.log").toFile())
              .start();
      if (!format.waitFor(120, TimeUnit.SECONDS) || format.exitValue() != 0) {
        format.destroyForcibly();
        throw new IOException("kafka storage format failed: see " + dir.resolve("format.log"));
      }
      Process p =
          java("kafka.Kafka", props.toString())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      Kafka k = new Kafka(port, p);
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (System.nanoTime() < end && p.isAlive()) {
        try (Socket s = new Socket()) {
          s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
          return k;
        } catch (IOException e) {
          Thread.sleep(200);
        }
      }
      k.close();
      throw new IOException("kafka broker did not start: see " + log);
    }

    private static ProcessBuilder java(String main, String... args) {
      String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      List<String> cmd =
          new ArrayList<>(
              List.of(
                  javaBin,
                  "-Xms256m",
                  "-Xmx768m",
                  "-cp",
                  System.getProperty("java.class.path"),
                  main));
      cmd.addAll(List.of(args));
      return new ProcessBuilder(cmd);
    }

    @Override
    public void close() {
      process.destroy();
      try {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (SocketException e) {
      throw new IOException("no free port", e);
    }
  }
}
