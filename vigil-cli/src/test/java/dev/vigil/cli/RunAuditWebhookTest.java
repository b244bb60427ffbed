package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * {@code vigil run} with the audit webhook: batches posted while it runs raise the k8s_audit
 * alerts, a retried batch raises none again, and the statistics say what came in.
 */
class RunAuditWebhookTest {
  private static final Path SYNTHETIC =
      Path.of(
          System.getProperty("vigil.shared", "../shared"),
          "corpus/k8s-audit/events/synthetic/vigil-synthetic-events.jsonl");

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void batchesPostedToTheWebhookRaiseAlertsOnce() throws Exception {
    List<String> events = Files.readAllLines(SYNTHETIC);
    int port = freePort();
    CompletableFuture<Cli.Result> running =
        CompletableFuture.supplyAsync(() ->
            Cli.run(
                "run",
                "--disable-source",
                "syscall",
                "-o",
                "k8saudit.webhook.listen=127.0.0.1:" + port,
                "-o",
                "json_output=true",
                "--duration",
                "4s"));
    String body =
        "{\"kind\":\"EventList\",\"apiVersion\":\"audit.k8s.io/v1\",\"items\":["
            + events.get(9) // exec session start
            + ","
            + events.get(7) // a watch: nothing
            + ","
            + events.get(4) // 401
            + "]}";
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpRequest post =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/k8s-audit"))
            .timeout(Duration.ofSeconds(5))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    assertThat(sendWhenListening(client, post).statusCode()).isEqualTo(200);
    HttpResponse<String> retry = client.send(post, HttpResponse.BodyHandlers.ofString());
    assertThat(retry.body()).startsWith("accepted 0 events (3 already received");
    HttpResponse<String> garbage =
        client.send(
            HttpRequest.newBuilder(post.uri())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("not json"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(garbage.statusCode()).isEqualTo(400);

    Cli.Result r = running.get();
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("\"rule\":\"Exec or attach into a pod\"")
        .contains("\"rule\":\"Unauthenticated request\"");
    assertThat(r.out().lines()).hasSize(2);
    assertThat(r.err())
        .contains("receiving the audit webhook on http://127.0.0.1:" + port + "/k8s-audit")
        .contains("k8s audit webhook: 3 requests, 3 events, 3 duplicates dropped")
        .contains("webhook: 400 malformed body: webhook:1:1: not JSON");
  }

  private static HttpResponse<String> sendWhenListening(HttpClient client, HttpRequest post)
      throws Exception {
    for (int i = 0; ; i++) {
      try {
        return client.send(post, HttpResponse.BodyHandlers.ofString());
      } catch (java.net.ConnectException e) {
        if (i > 100) {
          throw e;
        }
        Thread.sleep(50); // not listening yet
      }
    }
  }

  @Test
  void aKeyWithoutACertificateIsAUsageError() {
    Cli.Result r =
        Cli.run(
            "run",
            "--disable-source",
            "syscall",
            "-o",
            "k8saudit.webhook.listen=127.0.0.1:0",
            "-o",
            "k8saudit.webhook.ssl_key=/nonexistent.key",
            "--duration",
            "1s");
    assertThat(r.code()).isEqualTo(ExitCode.USAGE);
    assertThat(r.err()).contains("k8saudit.webhook.ssl_key needs k8saudit.webhook.ssl_certificate");
  }

  @Test
  void anUnreadableCertificateIsARuntimeError() {
    Cli.Result r =
        Cli.run(
            "run",
            "--disable-source",
            "syscall",
            "-o",
            "k8saudit.webhook.listen=127.0.0.1:0",
            "-o",
            "k8saudit.webhook.ssl_certificate=/nonexistent.crt",
            "-o",
            "k8saudit.webhook.ssl_key=/nonexistent.key",
            "--duration",
            "1s");
    assertThat(r.code()).isEqualTo(ExitCode.RUNTIME);
    assertThat(r.err()).contains("cannot start the audit webhook").contains("/nonexistent.crt");
  }

  @Test
  void withTheSpoolARetryAfterARestartIsRecognised(@org.junit.jupiter.api.io.TempDir Path tmp)
      throws Exception {
    List<String> events = Files.readAllLines(SYNTHETIC);
    String body =
        "{\"kind\":\"EventList\",\"apiVersion\":\"audit.k8s.io/v1\",\"items\":["
            + events.get(9)
            + ","
            + events.get(4)
            + "]}";
    Path spool = tmp.resolve("spool");
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    String[] answers = new String[2];
    for (int run = 0; run < 2; run++) {
      int port = freePort();
      CompletableFuture<Cli.Result> running =
          CompletableFuture.supplyAsync(() ->
              Cli.run(
                  "run",
                  "--disable-source",
                  "syscall",
                  "-o",
                  "k8saudit.webhook.listen=127.0.0.1:" + port,
                  "-o",
                  "k8saudit.webhook.spool_dir=" + spool,
                  "-o",
                  "json_output=true",
                  "--duration",
                  "3s"));
      HttpRequest post =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/k8s-audit"))
              .timeout(Duration.ofSeconds(5))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(body))
              .build();
      HttpResponse<String> r = sendWhenListening(client, post);
      assertThat(r.statusCode()).isEqualTo(200);
      answers[run] = r.body();
      Cli.Result done = running.get();
      assertThat(done.code()).as(done.err()).isZero();
      assertThat(done.err()).contains("(spooled to " + spool + ")");
      assertThat(done.out().lines()).hasSize(run == 0 ? 2 : 0);
    }
    assertThat(answers[0]).startsWith("accepted 2 events");
    assertThat(answers[1]).startsWith("accepted 0 events (2 already received");
    try (var files = Files.list(spool)) {
      assertThat(files.map(p -> p.getFileName().toString())).contains("checkpoint");
    }
  }

  @Test
  void aSpoolSmallerThanTwoBatchesIsAUsageError() {
    Cli.Result r =
        Cli.run(
            "run",
            "--disable-source",
            "syscall",
            "-o",
            "k8saudit.webhook.listen=127.0.0.1:0",
            "-o",
            "k8saudit.webhook.spool_dir=/tmp/vigil-never-created",
            "-o",
            "k8saudit.webhook.spool_max_size=2000000",
            "--duration",
            "1s");
    assertThat(r.code()).isEqualTo(ExitCode.USAGE);
    assertThat(r.err())
        .contains("k8saudit.webhook.spool_max_size: 2000000 bytes cannot hold two of the largest");
  }
}
