package dev.vigil.cli.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.output.PromText;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daemon's endpoints on Jetty, over HTTPS from one PEM file (openssl makes it). */
class WebServerTest {
  @TempDir Path tmp;

  @Test
  void healthzVersionsAndMetricsOverHttpsAndWhatElseIsRefused() throws Exception {
    Path crt = tmp.resolve("web.crt");
    Path key = tmp.resolve("web.key");
    Process p =
        new ProcessBuilder(
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-nodes",
                "-keyout",
                key.toString(),
                "-out",
                crt.toString(),
                "-days",
                "1",
                "-subj",
                "/CN=localhost",
                "-addext",
                "subjectAltName=IP:127.0.0.1")
            .redirectErrorStream(true)
            .start();
    p.getInputStream().readAllBytes();
    assertThat(p.waitFor()).isZero();
    Path pem = tmp.resolve("vigil.pem");
    Files.writeString(pem, Files.readString(crt) + Files.readString(key));
    DaemonConfig.Webserver config =
        new DaemonConfig.Webserver(true, "127.0.0.1", 0, "/healthz", true, true, pem);
    PromText metrics = new PromText();
    try (WebServer web =
            new WebServer(config, () -> "{\"engine_version\": \"63\"}", () -> metrics);
        HttpClient client = HttpClient.newBuilder().sslContext(trusting(crt)).build()) {
      String base = "https://127.0.0.1:" + web.port();
      HttpResponse<String> health = get(client, base + "/healthz", "GET");
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(health.body()).isEqualTo("{\"status\": \"ok\"}");
      assertThat(health.headers().firstValue("Content-Type")).contains("application/json");
      assertThat(get(client, base + "/versions", "GET").body()).contains("\"63\"");
      assertThat(get(client, base + "/metrics", "GET").headers().firstValue("Content-Type"))
          .contains(PromText.CONTENT_TYPE);
      HttpResponse<String> head = get(client, base + "/versions", "HEAD");
      assertThat(head.statusCode()).isEqualTo(200);
      assertThat(head.body()).isEmpty();
      HttpResponse<String> post = get(client, base + "/healthz", "POST");
      assertThat(post.statusCode()).isEqualTo(405);
      assertThat(post.headers().firstValue("Allow")).contains("GET, HEAD");
      assertThat(get(client, base + "/healthz/x", "GET").statusCode()).isEqualTo(404);
      assertThat(health.headers().firstValue("Server")).isEmpty();
    }
  }

  private static HttpResponse<String> get(HttpClient c, String url, String method)
      throws Exception {
    return c.send(
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(10))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private static SSLContext trusting(Path crt) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    try (var in = Files.newInputStream(crt)) {
      ks.setCertificateEntry(
          "web", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }
}
