package dev.vigil.k8saudit.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Must-show 4, the HTTP half: hostile and broken requests are refused with a reason, and after each
 * the same server still accepts a good batch.
 */
class WebhookBadInputTest {
  static final String TOKEN = "s3cret-token";

  @TempDir static Path pkiDir;
  static TestPki pki;
  static Collector collector = new Collector();
  static Webhook server;
  static HttpClient client;

  @BeforeAll
  static void start() throws IOException {
    pki = new TestPki(pkiDir);
    WebhookConfig config =
        WebhookConfig.of(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                new WebhookConfig.Transport.Tls(pki.serverCert, pki.serverKey, List.of(pki.caCert)))
            .withBearerToken(TOKEN);
    server = Webhook.start(WebhookTimeouts.shorten(config), collector);
    client = TestPki.client(pki.clientContext(pki.clientCert, pki.clientKey));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static HttpResponse<String> post(HttpClient c, byte[] body, String token) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(server.url()))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (!token.isEmpty()) {
      b.header("Authorization", "Bearer " + token);
    }
    return c.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> post(byte[] body) throws Exception {
    return post(client, body, TOKEN);
  }

  static int batch = 0;

  /** A good batch still goes through. */
  static void stillServing() throws Exception {
    long before = server.stats().accepted();
    HttpResponse<String> r = post(Batches.eventList(7, batch++, 5));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(server.stats().accepted()).isEqualTo(before + 5);
  }

  static void refused(byte[] body, int status, String reason) throws Exception {
    HttpResponse<String> r = post(body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.body()).contains(reason);
    stillServing();
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void garbageIsA400() throws Exception {
    refused(utf8("hello, this is not JSON"), 400, "not JSON: expected '{' or '['");
    refused(new byte[0], 400, "the body is empty");
    refused(utf8("{\"kind\":\"EventList\",\"items\":[]} trailing"), 400, "data after the end");
    refused(utf8("{\"hello\":\"world\"}"), 400, "no audit event in the body");
  }

  @Test
  void aTruncatedBatchIsA400AndNothingOfItIsAccepted() throws Exception {
    byte[] whole = Batches.eventList(8, 0, 50);
    long before = server.stats().accepted();
    refused(Arrays.copyOf(whole, whole.length / 2), 400, "malformed body: webhook:1:");
    assertThat(server.stats().accepted()).isEqualTo(before + 5); // only stillServing's batch
  }

  @Test
  void anUnreadableEventInABatchIsSkippedAndTheRestAccepted() throws Exception {
    String good = Batches.event(Batches.auditId(11, 0, 0), 0);
    String body = "{\"kind\":\"EventList\",\"items\":[" + good + ",{\"unrelated\":true},42]}";
    long skipped = server.stats().skipped();
    HttpResponse<String> r = post(utf8(body));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("accepted 1 events (0 already received, 2 skipped)\n");
    assertThat(server.stats().skipped()).isEqualTo(skipped + 2);
  }

  @Test
  void deepNestingIsA400() throws Exception {
    byte[] deep = utf8("[".repeat(100_000) + "]".repeat(100_000));
    refused(deep, 400, "nested more than 256 levels deep");
    String inEvent =
        "{\"kind\":\"Event\",\"auditID\":\"x\",\"requestObject\":"
            + "{\"a\":".repeat(1000)
            + "1"
            + "}".repeat(1000)
            + "}";
    refused(utf8(inEvent), 400, "nested more than 256 levels deep");
  }

  @Test
  void invalidUtf8IsA400() throws Exception {
    byte[] body = Batches.eventList(12, 0, 3);
    int at = new String(body, StandardCharsets.ISO_8859_1).indexOf("web-1");
    body[at] = (byte) 0xc3; // a lead byte followed by ASCII
    refused(body, 400, "invalid UTF-8 at byte " + at);
    byte[] overlong = utf8("{\"kind\":\"Event\",\"auditID\":\"__\"}");
    overlong[25] = (byte) 0xc0;
    overlong[26] = (byte) 0xaf;
    refused(overlong, 400, "invalid UTF-8 at byte 25");
  }

  @Test
  void aHundredMegabyteBodyIsA413BeforeItIsRead() throws Exception {
    try (SSLSocket s = socket(pki.clientContext(pki.clientCert, pki.clientKey))) {
      OutputStream out = s.getOutputStream();
      out.write(
          utf8(
              "POST /k8s-audit HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                  + "Authorization: Bearer "
                  + TOKEN
                  + "\r\nContent-Length: "
                  + (100L << 20)
                  + "\r\n\r\n"));
      // the first 16 KiB of the hundred megabytes: the answer comes without the rest
      out.write(new byte[16 << 10]);
      out.flush();
      String head = readHead(s.getInputStream());
      assertThat(head).startsWith("HTTP/1.1 413 ");
      assertThat(head).contains("104857600 bytes, the limit is 12582912 bytes");
    }
    stillServing();
  }

  @Test
  void aChunkedBodyOverTheLimitIsA413() throws Exception {
    try (SSLSocket s = socket(pki.clientContext(pki.clientCert, pki.clientKey))) {
      OutputStream out = s.getOutputStream();
      out.write(
          utf8(
              "POST /k8s-audit HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                  + "Authorization: Bearer "
                  + TOKEN
                  + "\r\nTransfer-Encoding: chunked\r\n\r\n"));
      byte[] chunk = new byte[1 << 16];
      Arrays.fill(chunk, (byte) ' ');
      int chunks = (int) ((12L << 20) / chunk.length) + 1; // just over 12 MiB
      for (int i = 0; i < chunks; i++) {
        out.write(utf8(Integer.toHexString(chunk.length) + "\r\n"));
        out.write(chunk);
        out.write(utf8("\r\n"));
      }
      out.write(utf8("0\r\n\r\n"));
      out.flush();
      String head = readHead(s.getInputStream());
      assertThat(head).startsWith("HTTP/1.1 413 ");
      assertThat(head).contains("more than 12582912 bytes");
    }
    stillServing();
  }

  @Test
  void slowClientsAreCutOffAndDoNotHoldUpOthers() throws Exception {
    List<SSLSocket> slow = new ArrayList<>();
    try {
      SSLContext ctx = pki.clientContext(pki.clientCert, pki.clientKey);
      for (int i = 0; i < 20; i++) {
        SSLSocket s = socket(ctx);
        s.getOutputStream()
            .write(
                utf8(
                    i % 2 == 0
                        ? "POST /k8s-audit HTTP/1.1\r\nHost: 127.0.0.1\r\n" // headers never end
                        : "POST /k8s-audit HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                            + TOKEN
                            + "\r\nContent-Length: 5000\r\n\r\n{\"kind\":")); // body never ends
        s.getOutputStream().flush();
        slow.add(s);
      }
      for (int i = 0; i < 5; i++) {
        stillServing();
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      for (SSLSocket s : slow) {
        s.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        assertThat(closedOrRefused(s.getInputStream())).isTrue();
      }
    } finally {
      for (SSLSocket s : slow) {
        s.close();
      }
    }
    stillServing();
  }

  /** Reads until the server ends the connection (true) or answers with a status (true too). */
  private static boolean closedOrRefused(InputStream in) {
    try {
      int c = in.read();
      return c == -1 || c == 'H';
    } catch (java.net.SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  @Test
  void aWrongOrMissingTokenIsA401() throws Exception {
    HttpResponse<String> wrong = post(client, Batches.eventList(13, 0, 2), "guess");
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(wrong.headers().firstValue("WWW-Authenticate")).contains("Bearer");
    assertThat(wrong.body()).contains("a valid bearer token is required");
    HttpResponse<String> none = post(client, Batches.eventList(13, 1, 2), "");
    assertThat(none.statusCode()).isEqualTo(401);
    stillServing();
  }

  @Test
  void aWrongOrMissingClientCertificateFailsTheHandshake() throws Exception {
    HttpClient stranger = TestPki.client(pki.clientContext(pki.strangerCert, pki.strangerKey));
    assertThatThrownBy(() -> post(stranger, Batches.eventList(14, 0, 2), TOKEN))
        .isInstanceOf(IOException.class);
    HttpClient anonymous = TestPki.client(pki.anonymousContext());
    assertThatThrownBy(() -> post(anonymous, Batches.eventList(14, 1, 2), TOKEN))
        .isInstanceOf(IOException.class);
    stillServing();
  }

  @Test
  void otherMethodsPathsAndMediaTypesAreRefused() throws Exception {
    HttpResponse<String> get =
        client.send(
            HttpRequest.newBuilder(URI.create(server.url()))
                .timeout(Duration.ofSeconds(5))
                .header("Authorization", "Bearer " + TOKEN)
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(get.statusCode()).isEqualTo(405);
    assertThat(get.headers().firstValue("Allow")).contains("POST");
    HttpResponse<String> other =
        client.send(
            HttpRequest.newBuilder(URI.create(server.url() + "/x"))
                .timeout(Duration.ofSeconds(5))
                .header("Authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(other.statusCode()).isEqualTo(404);
    HttpResponse<String> xml =
        client.send(
            HttpRequest.newBuilder(URI.create(server.url()))
                .header("Authorization", "Bearer " + TOKEN)
                .timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/xml")
                .POST(HttpRequest.BodyPublishers.ofString("<a/>"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(xml.statusCode()).isEqualTo(415);
    stillServing();
  }

  @Test
  void aRotatedCertificateIsServedWithoutARestart() throws Exception {
    pki.rotateServer("vigil webhook rotated");
    Thread.sleep(1_100); // the files are looked at once a second at most
    for (int i = 0; i < 50; i++) {
      HttpClient fresh = TestPki.client(pki.clientContext(pki.clientCert, pki.clientKey));
      HttpResponse<String> r = post(fresh, Batches.eventList(15, i, 1), TOKEN);
      X509Certificate served =
          (X509Certificate) r.sslSession().orElseThrow().getPeerCertificates()[0];
      if (served.getSubjectX500Principal().getName().contains("rotated")) {
        assertThat(collector.notices).anyMatch(n -> n.contains("reloaded the server certificate"));
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the rotated certificate was never served: " + collector.notices);
  }

  private static SSLSocket socket(SSLContext ctx) throws IOException {
    SSLSocket s =
        (SSLSocket)
            ctx.getSocketFactory()
                .createSocket(InetAddress.getLoopbackAddress(), server.address().getPort());
    s.setSoTimeout(10_000);
    s.startHandshake();
    return s;
  }

  private static String readHead(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    int c;
    while ((c = in.read()) >= 0) {
      sb.append((char) c);
      if (sb.length() > 4096) {
        break;
      }
    }
    return sb.toString();
  }
}
