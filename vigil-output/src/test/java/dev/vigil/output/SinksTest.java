package dev.vigil.output;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.vigil.rules.Alert;
import dev.vigil.rules.Priority;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each output against a real endpoint on loopback (or a real file and program). */
class SinksTest {
  static final Duration WAIT = Duration.ofSeconds(20);
  static final ObjectMapper JSON = new ObjectMapper();
  static final Rendering JSON_RENDERING =
      new Rendering(
          new FalcoFormat.Options(false, true, true, false, true, ZoneOffset.UTC), true, "node-1");
  static final Rendering TEXT_RENDERING =
      new Rendering(
          new FalcoFormat.Options(false, true, true, false, true, ZoneOffset.UTC), false, "node-1");

  @TempDir Path tmp;

  static Delivery delivery() {
    return new Delivery(1000, 0, 100, 3, Priority.DEBUG);
  }

  static Outputs start(Rendering r, SinkConfig... configs) throws OutputException {
    return Outputs.start(
        List.of(configs), r, new PrintWriter(new StringWriter()), Duration.ofSeconds(10));
  }

  /** A loopback HTTP server that records each POST body, content type and user agent. */
  static final class Receiver implements AutoCloseable {
    final HttpServer server;
    final List<String> bodies = new CopyOnWriteArrayList<>();
    final List<String> types = new CopyOnWriteArrayList<>();
    final List<String> agents = new CopyOnWriteArrayList<>();
    volatile int status = 200;

    Receiver() throws IOException {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
      server.createContext(
          "/",
          ex -> {
            try (InputStream in = ex.getRequestBody()) {
              String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
              if (status == 200) {
                bodies.add(body);
                types.add(String.valueOf(ex.getRequestHeaders().getFirst("Content-Type")));
                agents.add(String.valueOf(ex.getRequestHeaders().getFirst("User-Agent")));
              }
            }
            ex.sendResponseHeaders(status, -1);
            ex.close();
          });
      server.start();
    }

    URI url() {
      return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }

  static SinkConfig.Http http(URI url) {
    return new SinkConfig.Http(
        url,
        "falcosecurity/falco",
        SinkConfig.Tls.system(),
        false,
        Duration.ofSeconds(2),
        Map.of(),
        delivery());
  }

  @Test
  void httpPostsFalcoJsonThatFalcosidekickAccepts() throws Exception {
    try (Receiver rx = new Receiver();
        Outputs out = start(JSON_RENDERING, http(rx.url()))) {
      Alert a = FalcoFormatTest.alert();
      out.submit(a);
      assertThat(Await.until(WAIT, () -> rx.bodies.size() == 1)).isTrue();
      assertThat(rx.types).containsExactly("application/json");
      assertThat(rx.agents).containsExactly("falcosecurity/falco");
      JsonNode n = JSON.readTree(rx.bodies.getFirst());
      // falcosidekick's FalcoPayload: every field it reads, with the type it decodes into
      assertThat(n.fieldNames())
          .toIterable()
          .containsExactly(
              "hostname", "output", "output_fields", "priority", "rule", "source", "tags", "time");
      assertThat(n.get("rule").asText()).isEqualTo("Read sensitive file untrusted");
      assertThat(n.get("priority").asText()).isEqualTo("Warning");
      assertThat(n.get("source").asText()).isEqualTo("syscall");
      assertThat(n.get("hostname").asText()).isEqualTo("node-1");
      assertThat(Instant.parse(n.get("time").asText()))
          .isEqualTo(Instant.ofEpochSecond(0, FalcoFormatTest.TIME));
      assertThat(n.get("time").asText())
          .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z");
      assertThat(n.get("output").asText()).startsWith("14:05:32.012345678: Warning Sensitive file");
      JsonNode f = n.get("output_fields");
      assertThat(f.get("evt.time").isIntegralNumber()).isTrue();
      assertThat(f.get("evt.time").asLong()).isEqualTo(FalcoFormatTest.TIME);
      assertThat(f.get("user.uid").isIntegralNumber()).isTrue();
      assertThat(f.get("container.privileged").isBoolean()).isTrue();
      assertThat(f.get("k8s.pod.name").isNull()).isTrue();
      assertThat(f.get("ka.user.groups").isArray()).isTrue();
      assertThat(n.get("tags").isArray()).isTrue();
      assertThat(n.get("tags").toString())
          .isEqualTo("[\"T1555\",\"container\",\"filesystem\",\"host\",\"maturity_stable\"]");
      assertThat(Await.until(WAIT, () -> out.stats().getFirst().delivered() == 1)).isTrue();
    }
  }

  @Test
  void httpTextBodyWithoutJsonOutput() throws Exception {
    try (Receiver rx = new Receiver();
        Outputs out = start(TEXT_RENDERING, http(rx.url()))) {
      out.submit(FalcoFormatTest.alert());
      assertThat(Await.until(WAIT, () -> rx.bodies.size() == 1)).isTrue();
      assertThat(rx.types).containsExactly("text/plain");
      assertThat(rx.bodies.getFirst()).startsWith("14:05:32.012345678: Warning Sensitive");
    }
  }

  @Test
  void refusedAlertsAreDroppedWithoutRetryAndServerErrorsAreRetried() throws Exception {
    try (Receiver rx = new Receiver();
        Outputs out = start(JSON_RENDERING, http(rx.url()))) {
      rx.status = 400;
      out.submit(FalcoFormatTest.alert());
      assertThat(Await.until(WAIT, () -> out.stats().getFirst().droppedFailed() == 1)).isTrue();
      assertThat(out.stats().getFirst().retries()).isZero();
      rx.status = 503;
      out.submit(FalcoFormatTest.alert());
      assertThat(Await.until(WAIT, () -> out.stats().getFirst().retries() >= 1)).isTrue();
      rx.status = 200;
      assertThat(Await.until(WAIT, () -> out.stats().getFirst().delivered() == 1)).isTrue();
      assertThat(rx.bodies).hasSize(1);
    }
  }

  @Test
  void slackWebhookGetsAnAttachmentPerAlert() throws Exception {
    try (Receiver rx = new Receiver()) {
      SinkConfig.Slack slack =
          new SinkConfig.Slack(
              rx.url(),
              "#alerts",
              "Vigil",
              "",
              "",
              SinkConfig.SlackFormat.ALL,
              "{{ .Priority }} on {{ .Hostname }}: {{ .Rule }} ({{ index .OutputFields \"fd.name\" }})",
              Duration.ofSeconds(2),
              delivery());
      try (Outputs out = start(JSON_RENDERING, slack)) {
        out.submit(FalcoFormatTest.alert());
        assertThat(Await.until(WAIT, () -> rx.bodies.size() == 1)).isTrue();
      }
      JsonNode n = JSON.readTree(rx.bodies.getFirst());
      assertThat(n.get("text").asText())
          .isEqualTo("Warning on node-1: Read sensitive file untrusted (/etc/shadow)");
      assertThat(n.get("channel").asText()).isEqualTo("#alerts");
      assertThat(n.get("username").asText()).isEqualTo("Vigil");
      JsonNode att = n.get("attachments").get(0);
      assertThat(att.get("color").asText()).isEqualTo("#ffff00");
      assertThat(att.get("text").asText()).startsWith("14:05:32.012345678: Warning Sensitive");
      List<String> titles = new ArrayList<>();
      att.get("fields").forEach(f -> titles.add(f.get("title").asText()));
      assertThat(titles).contains("rule", "priority", "source", "hostname", "fd.name", "time");
      assertThat(rx.types).containsExactly("application/json");
    }
  }

  @Test
  void syslogOverUdpIsRfc5424() throws Exception {
    try (DatagramSocket rx = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      rx.setSoTimeout(20_000);
      SinkConfig.Syslog cfg =
          new SinkConfig.Syslog(
              SinkConfig.Transport.UDP, "127.0.0.1", rx.getLocalPort(), Path.of(""), 1, delivery());
      try (Outputs out = start(JSON_RENDERING, cfg)) {
        out.submit(FalcoFormatTest.alert());
        DatagramPacket p = new DatagramPacket(new byte[65536], 65536);
        rx.receive(p);
        String msg = new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
        checkRfc5424(msg, 12);
      }
    }
  }

  /** user facility (1) and Warning (4): PRI 12; then the version, time, host, app, pid. */
  static void checkRfc5424(String msg, int pri) throws IOException {
    assertThat(msg)
        .matches(
            "<"
                + pri
                + ">1 2026-11-22T14:05:32\\.012345Z node-1 vigil \\d+ - "
                + "\\[vigil@32473 rule=\"Read sensitive file untrusted\" priority=\"Warning\""
                + " source=\"syscall\"] \\{.*}");
    String json = msg.substring(msg.indexOf("] ") + 2);
    assertThat(JSON.readTree(json).get("rule").asText()).isEqualTo("Read sensitive file untrusted");
  }

  @Test
  void syslogOverTcpUsesOctetCounting() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
      server.setSoTimeout(20_000);
      SinkConfig.Syslog cfg =
          new SinkConfig.Syslog(
              SinkConfig.Transport.TCP,
              "127.0.0.1",
              server.getLocalPort(),
              Path.of(""),
              16,
              delivery());
      try (Outputs out = start(JSON_RENDERING, cfg)) {
        out.submit(FalcoFormatTest.alert());
        out.submit(FalcoFormatTest.alert());
        try (Socket s = server.accept()) {
          s.setSoTimeout(20_000);
          InputStream in = s.getInputStream();
          for (int i = 0; i < 2; i++) {
            checkRfc5424(frame(in), 16 * 8 + 4);
          }
        }
      }
    }
  }

  /** Reads one RFC 6587 octet-counted frame: {@code LEN SP MSG}. */
  static String frame(InputStream in) throws IOException {
    StringBuilder len = new StringBuilder();
    int c;
    while ((c = in.read()) != ' ') {
      assertThat(c).isBetween((int) '0', (int) '9');
      len.append((char) c);
    }
    byte[] msg = in.readNBytes(Integer.parseInt(len.toString()));
    return new String(msg, StandardCharsets.UTF_8);
  }

  @Test
  void syslogOverAUnixStreamSocket() throws Exception {
    Path sock = tmp.resolve("syslog.sock");
    try (ServerSocketChannel server =
        ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(sock));
      SinkConfig.Syslog cfg =
          new SinkConfig.Syslog(SinkConfig.Transport.UNIX, "", 0, sock, 1, delivery());
      try (Outputs out = start(JSON_RENDERING, cfg)) {
        out.submit(FalcoFormatTest.alert());
        try (SocketChannel ch = server.accept()) {
          String line =
              new java.io.BufferedReader(
                      new java.io.InputStreamReader(
                          Channels.newInputStream(ch), StandardCharsets.UTF_8))
                  .readLine();
          checkRfc5424(line, 12);
        }
      }
    }
  }

  @Test
  void fileOutputRotatesBySize() throws Exception {
    Path file = tmp.resolve("events.json");
    long one =
        1L
            + new FalcoFormat(JSON_RENDERING.format())
                .json(FalcoFormatTest.alert(), "node-1")
                .length();
    SinkConfig.File cfg = new SinkConfig.File(file, true, one * 3, 2, delivery());
    try (Outputs out = start(JSON_RENDERING, cfg)) {
      for (int i = 0; i < 10; i++) {
        out.submit(FalcoFormatTest.alert());
      }
      assertThat(Await.until(WAIT, () -> out.stats().getFirst().delivered() == 10)).isTrue();
    }
    // 10 lines, 3 per file: events.json has 1, .1 and .2 have 3 each; the oldest 3 are gone
    assertThat(Files.readAllLines(file)).hasSize(1);
    assertThat(Files.readAllLines(FileSink.sibling(file, 1))).hasSize(3);
    assertThat(Files.readAllLines(FileSink.sibling(file, 2))).hasSize(3);
    assertThat(FileSink.sibling(file, 3)).doesNotExist();
    for (String line : Files.readAllLines(file)) {
      assertThat(JSON.readTree(line).get("priority").asText()).isEqualTo("Warning");
    }
  }

  @Test
  void programOutputPipesEachAlertLine() throws Exception {
    Path sink = tmp.resolve("from-program.txt");
    for (boolean keepAlive : List.of(true, false)) {
      Files.deleteIfExists(sink);
      SinkConfig.Program cfg =
          new SinkConfig.Program(
              "cat >> '" + sink + "'", keepAlive, Duration.ofSeconds(10), delivery());
      try (Outputs out = start(TEXT_RENDERING, cfg)) {
        for (int i = 0; i < 3; i++) {
          out.submit(FalcoFormatTest.alert());
        }
        assertThat(Await.until(WAIT, () -> out.stats().getFirst().delivered() == 3)).isTrue();
      }
      assertThat(Await.until(WAIT, () -> lines(sink) == 3)).as("keep_alive=" + keepAlive).isTrue();
      assertThat(Files.readAllLines(sink).getFirst()).startsWith("14:05:32.012345678: Warning");
    }
  }

  private static int lines(Path p) {
    try {
      return Files.exists(p) ? Files.readAllLines(p).size() : 0;
    } catch (IOException e) {
      return 0;
    }
  }

  @Test
  void lessSevereAlertsAreNotSentToAnOutputWithAMinimumPriority() throws Exception {
    StringWriter sw = new StringWriter();
    Delivery errorsOnly = new Delivery(10, 0, 10, 0, Priority.ERROR);
    try (Outputs out =
        Outputs.start(
            List.of(new SinkConfig.Stdout(false, errorsOnly)),
            TEXT_RENDERING,
            new PrintWriter(sw),
            Duration.ofSeconds(5))) {
      out.submit(FalcoFormatTest.alert());
      Alert critical = FalcoFormatTest.alert();
      out.submit(
          new Alert(
              critical.rule(),
              Priority.CRITICAL,
              critical.source(),
              critical.time(),
              critical.tags(),
              critical.output(),
              critical.fields()));
    }
    assertThat(sw.toString().lines().toList()).hasSize(1);
    assertThat(sw.toString()).contains(": Critical ");
    assertThat(Collections.frequency(List.of(sw.toString().split("\n")), "")).isZero();
  }
}
