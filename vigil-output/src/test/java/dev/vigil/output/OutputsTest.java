package dev.vigil.output;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.vigil.rules.Priority;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dispatcher: bounded queues, isolation between outputs, drops counted, reloads lossless. */
class OutputsTest {
  @TempDir Path tmp;

  private static URI deadPort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return URI.create("http://127.0.0.1:" + s.getLocalPort() + "/");
    }
  }

  @Test
  void aDeadHttpEndpointNeitherBlocksSubmissionNorTheOtherOutputs() throws Exception {
    StringWriter sw = new StringWriter();
    SinkConfig.Http dead =
        new SinkConfig.Http(
            deadPort(),
            "vigil",
            SinkConfig.Tls.system(),
            false,
            Duration.ofSeconds(1),
            Map.of(),
            new Delivery(100, 0, 100, 2, Priority.DEBUG));
    SinkConfig.Stdout stdout =
        new SinkConfig.Stdout(false, new Delivery(10_000, 0, 100, 0, Priority.DEBUG));
    int n = 5000;
    try (Outputs out =
        Outputs.start(
            List.of(stdout, dead),
            SinksTest.TEXT_RENDERING,
            new PrintWriter(sw),
            Duration.ofMillis(200))) {
      for (int i = 0; i < n; i++) {
        out.submit(FalcoFormatTest.alert());
      }
      assertThat(Await.until(SinksTest.WAIT, () -> stat(out, "stdout").delivered() == n)).isTrue();
      OutputStats h = stat(out, "http");
      // the queue holds 100 and one batch is being retried: everything else was dropped, counted
      assertThat(h.droppedQueueFull()).isGreaterThanOrEqualTo(n - 100 - Output.MAX_BATCH);
      assertThat(Await.until(SinksTest.WAIT, () -> stat(out, "http").failures() >= 1)).isTrue();
      PromText t = new PromText();
      out.writeMetrics(t);
      assertThat(t.toString())
          .contains(
              "falcosecurity_vigil_output_dropped_total{output=\"http\",reason=\"queue_full\"} "
                  + h.droppedQueueFull())
          .contains(
              "falcosecurity_falco_rules_matches_total{priority=\"Warning\",rule_name=\"Read sensitive file untrusted\",source=\"syscall\"} "
                  + n);
    }
    assertThat(sw.toString().lines().count()).isEqualTo(n);
  }

  private static OutputStats stat(Outputs out, String name) {
    return out.stats().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void aRateLimitedOutputNeverExceedsItsRateAndDropsOnlyWhatItsQueueCannotHold() throws Exception {
    StringWriter sw = new StringWriter();
    // 20 alerts/s with a burst of 5, and room for 10 in the queue
    Delivery limited = new Delivery(10, 20, 5, 0, Priority.DEBUG);
    long t0 = System.nanoTime();
    try (Outputs out =
        Outputs.start(
            List.of(new SinkConfig.Stdout(false, limited)),
            SinksTest.TEXT_RENDERING,
            new PrintWriter(sw),
            Duration.ofSeconds(10))) {
      int n = 40;
      for (int i = 0; i < n; i++) {
        out.submit(FalcoFormatTest.alert());
      }
      for (int i = 0; i < 5; i++) {
        Thread.sleep(100);
        long delivered = stat(out, "stdout").delivered();
        double seconds = (System.nanoTime() - t0) / 1e9;
        // the bucket starts full (5) and refills at 20/s: it can only be slower than this
        assertThat((double) delivered).isLessThanOrEqualTo(5 + 20 * seconds);
      }
      assertThat(
              Await.until(
                  SinksTest.WAIT,
                  () -> stat(out, "stdout").delivered() + stat(out, "stdout").dropped() == n))
          .isTrue();
      OutputStats s = stat(out, "stdout");
      // 40 at once into a queue of 10: the rest was dropped, counted, and nothing else was lost
      assertThat(s.droppedQueueFull()).isPositive();
      assertThat(s.droppedFailed()).isZero();
      assertThat(sw.toString().lines().count()).isEqualTo(s.delivered());
    }
  }

  @Test
  void shutdownDeliversWhatIsQueued() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    int[] received = new int[1];
    server.createContext(
        "/",
        ex -> {
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          ex.getRequestBody().readAllBytes();
          synchronized (received) {
            received[0]++;
          }
          ex.sendResponseHeaders(200, -1);
          ex.close();
        });
    server.start();
    try {
      SinkConfig.Http http =
          SinksTest.http(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"));
      Outputs out =
          Outputs.start(
              List.of(http),
              SinksTest.JSON_RENDERING,
              new PrintWriter(new StringWriter()),
              Duration.ofSeconds(10));
      for (int i = 0; i < 20; i++) {
        out.submit(FalcoFormatTest.alert());
      }
      release.countDown();
      assertThat(out.close(Duration.ofSeconds(20))).isTrue();
      assertThat(received[0]).isEqualTo(20);
      assertThat(out.stats().getFirst().dropped()).isZero();
    } finally {
      server.stop(0);
    }
  }

  @Test
  void reconfiguringLosesNothingAndKeepsUnchangedOutputs() throws Exception {
    Path a = tmp.resolve("a.txt");
    Path b = tmp.resolve("b.txt");
    Delivery d = new Delivery(100_000, 0, 100, 0, Priority.DEBUG);
    SinkConfig.File fa = new SinkConfig.File(a, true, 0, 1, d);
    SinkConfig.File fb = new SinkConfig.File(b, true, 0, 1, d);
    StringWriter sw = new StringWriter();
    SinkConfig.Stdout so = new SinkConfig.Stdout(false, d);
    Outputs out =
        Outputs.start(
            List.of(so, fa), SinksTest.TEXT_RENDERING, new PrintWriter(sw), Duration.ofSeconds(10));
    int n = 20_000;
    Thread producer =
        Thread.ofPlatform()
            .start(() -> {
              for (int i = 0; i < n; i++) {
                out.submit(FalcoFormatTest.alert());
              }
            });
    out.reconfigure(List.of(so, fb), SinksTest.TEXT_RENDERING);
    out.reconfigure(List.of(so, fa), SinksTest.JSON_RENDERING);
    producer.join();
    assertThat(out.close(Duration.ofSeconds(20))).isTrue();
    long files =
        (long) Files.readAllLines(a).size() + (Files.exists(b) ? Files.readAllLines(b).size() : 0);
    assertThat(files).isEqualTo(n);
    assertThat(sw.toString().lines().count()).isEqualTo(n);
  }
}
