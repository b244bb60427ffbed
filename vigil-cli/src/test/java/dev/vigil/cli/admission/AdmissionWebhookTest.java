package dev.vigil.cli.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.posture.Scanner;
import dev.vigil.posture.admission.Admission;
import dev.vigil.posture.cluster.Pem;
import dev.vigil.posture.cluster.Tls;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The validating admission webhook over real HTTPS on loopback, with AdmissionReviews shaped as
 * kube-apiserver sends them.
 */
class AdmissionWebhookTest {
  static final Path DIR = Path.of("src/test/resources/admission");
  static final Path PKI = DIR.resolve("pki");
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;
  AdmissionServer server;
  HttpClient client;

  @BeforeEach
  void start() throws Exception {
    Files.copy(PKI.resolve("server.crt"), tmp.resolve("tls.crt"));
    Files.copy(PKI.resolve("server.key"), tmp.resolve("tls.key"));
    server =
        new AdmissionServer(
            new Admission(Scanner.Options.defaults()),
            tmp.resolve("tls.crt"),
            tmp.resolve("tls.key"),
            "127.0.0.1",
            0,
            Duration.ofMillis(50));
    server.start();
    client = client("ca.crt");
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  static HttpClient client(String trusted) throws Exception {
    SSLContext ssl =
        Tls.context(
            new Tls.Trust.Certificates(Pem.certificates(Files.readAllBytes(PKI.resolve(trusted)))),
            Optional.empty());
    return HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(5)).build();
  }

  HttpResponse<String> post(String path, String type, byte[] body) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port() + path))
            .header("Content-Type", type)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  JsonNode review(String fixture) throws Exception {
    HttpResponse<String> r =
        post("/validate", "application/json", Files.readAllBytes(DIR.resolve(fixture)));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
    JsonNode rsp = JSON.readTree(r.body());
    JsonNode req = JSON.readTree(DIR.resolve(fixture).toFile());
    assertThat(rsp.get("kind").asText()).isEqualTo("AdmissionReview");
    assertThat(rsp.get("apiVersion").asText()).isEqualTo(req.get("apiVersion").asText());
    assertThat(rsp.get("response").get("uid").asText())
        .isEqualTo(req.get("request").get("uid").asText());
    return rsp.get("response");
  }

  @Test
  void privilegedPodIsDeniedWithPsasMessageAndImmutabilityWarnings() throws Exception {
    JsonNode r = review("pod-create-privileged.json");
    assertThat(r.get("allowed").asBoolean()).isFalse();
    assertThat(r.get("status").get("code").asInt()).isEqualTo(403);
    assertThat(r.get("status").get("reason").asText()).isEqualTo("Forbidden");
    assertThat(r.get("status").get("message").asText())
        .startsWith(
            "violates PodSecurity \"restricted:latest\": privileged (container \"app\" must not"
                + " set securityContext.privileged=true), allowPrivilegeEscalation != false");
    assertThat(r.get("warnings").toString())
        .contains("vigil imm/readOnlyRootFilesystem: ")
        .contains("vigil imm/mutableImageTag: ");
  }

  @Test
  void restrictedPodIsAllowedWithoutWarnings() throws Exception {
    JsonNode r = review("pod-create-restricted.json");
    assertThat(r.get("allowed").asBoolean()).isTrue();
    assertThat(r.has("status")).isFalse();
    assertThat(r.has("warnings")).isFalse();
  }

  @Test
  void v1beta1IsAnsweredInKind() throws Exception {
    JsonNode r = review("pod-create-privileged-v1beta1.json");
    assertThat(r.get("allowed").asBoolean()).isFalse();
  }

  @Test
  void controllersDryRunAndUpdatesAreChecked() throws Exception {
    JsonNode dep = review("deployment-create-dryrun.json");
    assertThat(dep.get("allowed").asBoolean()).isFalse();
    assertThat(dep.get("status").get("message").asText()).contains("runAsUser=0");
    assertThat(review("cronjob-update-restricted.json").get("allowed").asBoolean()).isTrue();
    JsonNode eph = review("pod-update-ephemeralcontainers.json");
    assertThat(eph.get("allowed").asBoolean()).isFalse();
    assertThat(eph.get("status").get("message").asText())
        .contains("container \"debugger-x7k2\" must not set securityContext.privileged=true");
  }

  @Test
  void whatCannotChangeTheVerdictIsAllowedUnchecked() throws Exception {
    assertThat(review("pod-update-labels-only.json").get("allowed").asBoolean()).isTrue();
    assertThat(review("pod-update-status.json").get("allowed").asBoolean()).isTrue();
    assertThat(review("pod-delete.json").get("allowed").asBoolean()).isTrue();
    assertThat(review("service-create.json").get("allowed").asBoolean()).isTrue();
  }

  @Test
  void theIgnoreAnnotationDoesNotExemptAtAdmission() throws Exception {
    assertThat(review("pod-create-self-exempted.json").get("allowed").asBoolean()).isFalse();
  }

  @Test
  void badBodiesGet400WithAReason() throws Exception {
    byte[] full = Files.readAllBytes(DIR.resolve("pod-create-privileged.json"));
    HttpResponse<String> truncated =
        post("/validate", "application/json", Arrays.copyOf(full, full.length / 2));
    assertThat(truncated.statusCode()).isEqualTo(400);
    assertThat(truncated.body()).startsWith("bad AdmissionReview: invalid JSON at byte");
    HttpResponse<String> notJson = post("/validate", "application/json", bytes("hello"));
    assertThat(notJson.statusCode()).isEqualTo(400);
    assertThat(notJson.body()).startsWith("bad AdmissionReview: invalid JSON");
    HttpResponse<String> pod =
        post(
            "/validate",
            "application/json",
            bytes("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"x\"}}"));
    assertThat(pod.statusCode()).isEqualTo(400);
    assertThat(pod.body())
        .contains(
            "expected an AdmissionReview of admission.k8s.io/v1 or admission.k8s.io/v1beta1, got kind 'Pod' apiVersion 'v1'");
    HttpResponse<String> noUid =
        post(
            "/validate",
            "application/json",
            bytes(
                "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\","
                    + "\"request\":{\"operation\":\"CREATE\"}}"));
    assertThat(noUid.body()).isEqualTo("bad AdmissionReview: request.uid is missing\n");
    HttpResponse<String> deep = post("/validate", "application/json", bytes("[".repeat(100_000)));
    assertThat(deep.statusCode()).isEqualTo(400);
  }

  @Test
  void oversizedWrongTypeWrongMethodAndPath() throws Exception {
    byte[] big = new byte[AdmissionServer.MAX_BODY + 1];
    Arrays.fill(big, (byte) ' ');
    assertThat(post("/validate", "application/json", big).statusCode()).isEqualTo(413);
    HttpResponse<String> text = post("/validate", "text/plain", bytes("{}"));
    assertThat(text.statusCode()).isEqualTo(415);
    assertThat(text.body()).contains("send application/json");
    HttpResponse<String> get =
        client.send(
            HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port() + "/validate"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(get.statusCode()).isEqualTo(405);
    assertThat(get.headers().firstValue("allow")).hasValue("POST");
    assertThat(post("/mutate", "application/json", bytes("{}")).statusCode()).isEqualTo(404);
    HttpResponse<String> health =
        client.send(
            HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port() + "/healthz"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(health.body()).isEqualTo("ok\n");
  }

  @Test
  void certificateIsReloadedWhenTheFilesChange() throws Exception {
    assertThat(review("pod-delete.json").get("allowed").asBoolean()).isTrue();
    try (HttpClient rogueTrusting = client("rogue.crt")) {
      Files.copy(
          PKI.resolve("rogue.crt"), tmp.resolve("tls.crt"), StandardCopyOption.REPLACE_EXISTING);
      Files.copy(
          PKI.resolve("rogue.key"), tmp.resolve("tls.key"), StandardCopyOption.REPLACE_EXISTING);
      FileTime later = FileTime.from(Instant.now().plusSeconds(5));
      Files.setLastModifiedTime(tmp.resolve("tls.crt"), later);
      Files.setLastModifiedTime(tmp.resolve("tls.key"), later);
      HttpRequest health =
          HttpRequest.newBuilder(URI.create("https://localhost:" + server.port() + "/healthz"))
              .build();
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (true) {
        try {
          // the self-signed replacement names no host: once it is served, the handshake with
          // a client that trusts it fails only on the host name
          rogueTrusting.send(health, HttpResponse.BodyHandlers.ofString());
          break;
        } catch (java.io.IOException e) {
          if (System.nanoTime() > deadline) {
            throw e;
          }
          String m = String.valueOf(e.getMessage());
          if (m.contains("No subject alternative") || m.contains("No name matching")) {
            break; // trusted now: only the host name differs
          }
          Thread.sleep(50);
        }
      }
    }
    try (HttpClient fresh = client("ca.crt")) { // a new connection: pooled ones keep the old TLS
      assertThatThrownBy(() ->
              fresh.send(
                  HttpRequest.newBuilder(
                          URI.create("https://127.0.0.1:" + server.port() + "/healthz"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString()))
          .isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
    }
  }

  @Test
  void badCertificateFilesAreRefusedClearly() throws Exception {
    Files.writeString(tmp.resolve("bad.crt"), "not a certificate");
    assertThatThrownBy(() ->
            new AdmissionServer(
                new Admission(Scanner.Options.defaults()),
                tmp.resolve("bad.crt"),
                tmp.resolve("tls.key"),
                "127.0.0.1",
                0,
                Duration.ofSeconds(10)))
        .hasMessageContaining("no PEM certificate");
    assertThatThrownBy(() ->
            new AdmissionServer(
                new Admission(Scanner.Options.defaults()),
                tmp.resolve("missing.crt"),
                tmp.resolve("tls.key"),
                "127.0.0.1",
                0,
                Duration.ofSeconds(10)))
        .hasMessageEndingWith("missing.crt: no such file");
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
