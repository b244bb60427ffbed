package dev.vigil.output;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A real single-node Kafka broker (KRaft, broker and controller in one), run out of process from
 * the Maven Central jars on the test classpath, listening on loopback only: the same entry points
 * as {@code kafka-storage.sh format} and {@code kafka-server-start.sh}. Stopped by its pid.
 */
final class KafkaBroker implements AutoCloseable {
  final int port;
  private final Process process;
  private final Path log;

  private KafkaBroker(int port, Process process, Path log) {
    this.port = port;
    this.process = process;
    this.log = log;
  }

  String bootstrap() {
    return "127.0.0.1:" + port;
  }

  static KafkaBroker start(Path dir) throws IOException, InterruptedException {
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
            "auto.create.topics.enable=false",
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
    if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
      format.destroyForcibly();
      throw new IOException(
          "kafka storage format failed: " + Files.readString(dir.resolve("format.log")));
    }
    Process p =
        java("kafka.Kafka", props.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    KafkaBroker b = new KafkaBroker(port, p, log);
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < end) {
      if (!p.isAlive()) {
        throw new IOException("kafka broker exited: " + Files.readString(log));
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
        return b;
      } catch (IOException e) {
        Thread.sleep(200);
      }
    }
    b.close();
    throw new IOException("kafka broker did not open port " + port + " in 90 s");
  }

  private static ProcessBuilder java(String main, String... args) {
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd =
        new java.util.ArrayList<>(
            List.of(
                javaBin,
                "-Xms128m",
                "-Xmx512m",
                "-cp",
                System.getProperty("java.class.path"),
                main));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  String log() throws IOException {
    return Files.readString(log);
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
