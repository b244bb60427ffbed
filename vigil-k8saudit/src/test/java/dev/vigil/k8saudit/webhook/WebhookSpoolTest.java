package dev.vigil.k8saudit.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.k8saudit.event.AuditEvent;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The on-disk spool: acknowledged batches survive a kill (SIGKILL of a receiver in another JVM) and
 * are delivered once after the restart; retries of batches acknowledged before a restart are
 * recognised; a torn tail and a corrupt record are reported and cut off at start-up; a full spool
 * answers 429 and loses nothing.
 */
class WebhookSpoolTest {
  static final int BATCH = 400;

  @TempDir Path tmp;

  final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  static WebhookConfig plain(int port, WebhookConfig.Spool.On spool) {
    return WebhookConfig.of(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
            new WebhookConfig.Transport.Plain())
        .withMaxBodyBytes(Math.min(WebhookConfig.DEFAULT_MAX_BODY, spool.maxBytes() / 4))
        .withSpool(spool);
  }

  HttpResponse<String> post(String url, byte[] body) throws IOException, InterruptedException {
    return client.send(
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(20))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** A receiver in another JVM; returns it once it listens, with its port. */
  record Child(Process process, int port) {}

  Child child(Path spool, long segment, long max, long stallAt, Path delivered) throws Exception {
    String java = ProcessHandle.current().info().command().orElseThrow();
    Process p =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                SpoolChild.class.getName(),
                spool.toString(),
                Long.toString(segment),
                Long.toString(max),
                Long.toString(stallAt),
                delivered.toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    assertThat(line).as("the child's first line").startsWith("port ");
    return new Child(p, Integer.parseInt(line.substring(5).strip()));
  }

  static void kill(Process p) throws InterruptedException {
    p.destroyForcibly(); // SIGKILL: no shutdown hook, no flush, no close
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
  }

  static Webhook startWithRetry(WebhookConfig c, Collector col) throws Exception {
    for (int i = 0; ; i++) {
      try {
        return Webhook.start(c, col);
      } catch (IOException e) {
        if (i > 100) {
          throw e;
        }
        Thread.sleep(50); // the port, or the spool's lock, is not yet released
      }
    }
  }

  /** Every id delivered by the killed child and by its successor, with how often. */
  static Map<String, Integer> deliveries(Path childFile, Collector after) throws IOException {
    Map<String, Integer> all = new HashMap<>();
    for (String id : Files.readAllLines(childFile)) {
      all.merge(id, 1, Integer::sum);
    }
    after.byId.forEach((id, n) -> all.merge(id, n, Integer::sum));
    return all;
  }

  @Test
  void aKilledReceiverLosesNoAcknowledgedEventAndDeliversNoneTwice() throws Exception {
    Path spool = tmp.resolve("spool");
    Path delivered = tmp.resolve("delivered.txt");
    WebhookConfig.Spool.On on = new WebhookConfig.Spool.On(spool, 64L << 20, 1L << 20);
    Child first = child(spool, on.segmentBytes(), on.maxBytes(), 3_000, delivered);
    AtomicReference<String> url =
        new AtomicReference<>("http://127.0.0.1:" + first.port() + WebhookConfig.PATH);
    Set<String> acked = ConcurrentHashMap.newKeySet();
    AtomicInteger ackedBatches = new AtomicInteger();
    AtomicInteger failures = new AtomicInteger();
    int clients = 4;
    int batches = 20;
    Collector after = new Collector();
    Webhook second;
    try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
      List<Future<?>> done = new ArrayList<>();
      for (int k = 0; k < clients; k++) {
        int c = 300 + k;
        done.add(
            pool.submit(() -> {
              for (int b = 0; b < batches; b++) {
                byte[] body = Batches.eventList(c, b, BATCH);
                while (true) {
                  try {
                    HttpResponse<String> r = post(url.get(), body);
                    if (r.statusCode() == 200) {
                      for (int i = 0; i < BATCH; i++) {
                        acked.add(Batches.auditId(c, b, i));
                      }
                      ackedBatches.incrementAndGet();
                      break;
                    }
                    assertThat(r.statusCode()).as(r.body()).isIn(429, 503);
                  } catch (IOException e) {
                    failures.incrementAndGet(); // killed: not acknowledged, sent again
                  }
                  Thread.sleep(10);
                }
              }
              return null;
            }));
      }
      while (ackedBatches.get() < clients * batches / 2) {
        Thread.sleep(5);
      }
      kill(first.process());
      Set<String> ackedBeforeKill = Set.copyOf(acked);
      second = startWithRetry(plain(first.port(), on), after);
      for (Future<?> f : done) {
        f.get(2, TimeUnit.MINUTES);
      }
      // the apiserver did not see a 200 that was sent just before the kill, and retries
      HttpResponse<String> retry = post(url.get(), Batches.eventList(300, 0, BATCH));
      assertThat(retry.statusCode()).isEqualTo(200);
      assertThat(retry.body()).startsWith("accepted 0 events (400 already received");
      assertThat(ackedBeforeKill).isNotEmpty();
    } finally {
      first.process().destroyForcibly();
    }
    second.close();
    Map<String, Integer> all = deliveries(delivered, after);
    int sent = clients * batches * BATCH;
    assertThat(acked).hasSize(sent);
    assertThat(acked.stream().filter(id -> !all.containsKey(id)).limit(5)).isEmpty();
    assertThat(all.entrySet().stream().filter(e -> e.getValue() != 1).limit(5)).isEmpty();
    assertThat(all).hasSize(sent);
    assertThat(Files.readAllLines(delivered)).hasSize(3_000); // the child stalled there
    assertThat(after.notices).anyMatch(n -> n.contains("events from before the restart"));
  }

  @Test
  void aRetryAfterAGracefulRestartIsRecognisedAlsoOnceItsSegmentIsDeleted() throws Exception {
    Path spool = tmp.resolve("spool");
    WebhookConfig.Spool.On on = new WebhookConfig.Spool.On(spool, 16L << 20, 1L << 20);
    Collector c = new Collector();
    Webhook w = Webhook.start(plain(0, on), c);
    int port = w.address().getPort();
    for (int b = 0; b < 12; b++) { // about 4 MB: several segments, the first ones deleted
      assertThat(post(w.url(), Batches.eventList(400, b, BATCH)).statusCode()).isEqualTo(200);
    }
    w.close();
    assertThat(c.byId).hasSize(12 * BATCH);
    try (Stream<Path> files = Files.list(spool)) {
      assertThat(files.map(f -> f.getFileName().toString())).anyMatch(n -> n.endsWith(".keys"));
    }
    Webhook again = startWithRetry(plain(port, on), c);
    try {
      HttpResponse<String> r = post(again.url(), Batches.eventList(400, 0, BATCH));
      assertThat(r.body()).startsWith("accepted 0 events (400 already received");
      HttpResponse<String> fresh = post(again.url(), Batches.eventList(400, 12, BATCH));
      assertThat(fresh.body()).startsWith("accepted 400 events");
    } finally {
      again.close();
    }
    assertThat(c.byId).hasSize(13 * BATCH);
    assertThat(c.byId.values()).allMatch(n -> n == 1);
    assertThat(c.notices).noneMatch(n -> n.contains("spool:"));
  }

  @Test
  void aTornTailIsReportedAndCutOffAndTheAcknowledgedBatchesAreDelivered() throws Exception {
    Path spool = tmp.resolve("spool");
    Path delivered = tmp.resolve("delivered.txt");
    WebhookConfig.Spool.On on = new WebhookConfig.Spool.On(spool, 64L << 20, 16L << 20);
    Child first = child(spool, on.segmentBytes(), on.maxBytes(), 0, delivered);
    String url = "http://127.0.0.1:" + first.port() + WebhookConfig.PATH;
    try {
      for (int b = 0; b < 5; b++) {
        assertThat(post(url, Batches.eventList(500, b, BATCH)).statusCode()).isEqualTo(200);
      }
    } finally {
      kill(first.process());
    }
    Path segment = SpoolFiles.segment(spool, 1);
    long good = Files.size(segment);
    // a crash in the middle of writing a sixth batch: its frame and part of its payload
    byte[] partial = SpoolFiles.frame(new byte[5000], 5000).array();
    try (RandomAccessFile f = new RandomAccessFile(segment.toFile(), "rw")) {
      f.seek(good);
      f.write(partial, 0, 1000);
    }
    Collector c = new Collector();
    Webhook w = startWithRetry(plain(first.port(), on), c);
    w.close();
    assertThat(Files.size(segment)).isEqualTo(good);
    assertThat(c.notices)
        .anyMatch(n ->
            n.contains(segment.getFileName().toString())
                && n.contains("torn record at byte " + good)
                && n.contains("5000 bytes announced, 992 present")
                && n.contains("1000 bytes dropped"));
    assertThat(c.byId).hasSize(5 * BATCH);
    assertThat(c.byId.values()).allMatch(n -> n == 1);
  }

  @Test
  void aCorruptRecordIsReportedAndTheOtherSegmentsAreDelivered() throws Exception {
    Path spool = tmp.resolve("spool");
    Path delivered = tmp.resolve("delivered.txt");
    // batches are about 350 KB: two records per 1 MiB segment
    WebhookConfig.Spool.On on = new WebhookConfig.Spool.On(spool, 64L << 20, 1L << 20);
    Child first = child(spool, on.segmentBytes(), on.maxBytes(), 0, delivered);
    String url = "http://127.0.0.1:" + first.port() + WebhookConfig.PATH;
    try {
      for (int b = 0; b < 6; b++) {
        assertThat(post(url, Batches.eventList(600, b, BATCH)).statusCode()).isEqualTo(200);
      }
    } finally {
      kill(first.process());
    }
    Path segment = SpoolFiles.segment(spool, 1);
    long size = Files.size(segment);
    try (RandomAccessFile f = new RandomAccessFile(segment.toFile(), "rw")) {
      long at = size - 100; // inside the second record's payload
      f.seek(at);
      int b = f.read();
      f.seek(at);
      f.write(b ^ 0x5a);
    }
    Collector c = new Collector();
    Webhook w = startWithRetry(plain(first.port(), on), c);
    try {
      assertThat(post(w.url(), Batches.eventList(600, 6, BATCH)).statusCode()).isEqualTo(200);
    } finally {
      w.close();
    }
    assertThat(c.notices)
        .anyMatch(n ->
            n.contains(segment.getFileName().toString())
                && n.contains("CRC32C mismatch")
                && n.contains("truncated to"));
    // batch 1 (the second record of the first segment) is lost and said to be; the rest arrive
    assertThat(c.byId).hasSize(6 * BATCH);
    assertThat(c.byId).doesNotContainKey(Batches.auditId(600, 1, 0));
    assertThat(c.byId).containsKey(Batches.auditId(600, 0, 0));
    assertThat(c.byId).containsKey(Batches.auditId(600, 5, BATCH - 1));
    assertThat(c.byId.values()).allMatch(n -> n == 1);
  }

  @Test
  void aFullSpoolAnswers429AndLosesNothing() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Collector c = Collector.gated(release);
    WebhookConfig.Spool.On on =
        new WebhookConfig.Spool.On(tmp.resolve("spool"), 2L << 20, 1L << 20);
    Webhook w = Webhook.start(plain(0, on), c);
    int accepted = 0;
    int full = 0;
    try {
      for (int b = 0; b < 12 && full == 0; b++) {
        HttpResponse<String> r = post(w.url(), Batches.eventList(700, b, BATCH));
        if (r.statusCode() == 200) {
          accepted++;
        } else {
          assertThat(r.statusCode()).isEqualTo(429);
          assertThat(r.body()).contains("the spool is full").contains("retry later");
          assertThat(r.headers().firstValue("Retry-After")).contains("1");
          full++;
        }
      }
      assertThat(full).isEqualTo(1);
      assertThat(accepted).isBetween(3, 6);
      release.countDown();
      for (int b = accepted; b < 12; b++) {
        byte[] body = Batches.eventList(700, b, BATCH);
        while (post(w.url(), body).statusCode() == 429) {
          Thread.sleep(20);
        }
      }
    } finally {
      release.countDown();
      w.close();
    }
    assertThat(w.stats().overloaded()).isGreaterThanOrEqualTo(1);
    assertThat(c.byId).hasSize(12 * BATCH);
    assertThat(c.byId.values()).allMatch(n -> n == 1);
  }

  @Test
  void aSecondReceiverOnTheSameSpoolIsRefused() throws Exception {
    WebhookConfig.Spool.On on =
        new WebhookConfig.Spool.On(tmp.resolve("spool"), 64L << 20, 1L << 20);
    try (Webhook w = Webhook.start(plain(0, on), new Collector())) {
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> Webhook.start(plain(0, on), new Collector()))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("is in use by another receiver");
      assertThat(w.queued()).isZero();
    }
  }

  @Test
  void aStopLeavesABacklogInTheSpoolAndTheNextStartDeliversIt() throws Exception {
    Collector c =
        new Collector() {
          @Override
          public void event(AuditEvent event) {
            java.util.concurrent.locks.LockSupport.parkNanos(5_000_000); // 5 ms an event
            super.event(event);
          }
        };
    WebhookConfig.Spool.On on =
        new WebhookConfig.Spool.On(tmp.resolve("spool"), 64L << 20, 1L << 20);
    Webhook w = Webhook.start(plain(0, on), c);
    int port = w.address().getPort();
    for (int b = 0; b < 5; b++) { // 2,000 events: 10 s of work for this pipeline
      assertThat(post(w.url(), Batches.eventList(800, b, BATCH)).statusCode()).isEqualTo(200);
    }
    w.close(); // the rules get the stop grace (5 s), then the rest stays on disk
    assertThat(c.notices).anyMatch(n -> n.contains("events left in the spool for the next start"));
    long first = c.total.get();
    assertThat(first).isLessThan(5 * BATCH);
    Collector fast = new Collector();
    Webhook again = startWithRetry(plain(port, on), fast);
    again.close();
    assertThat(fast.total.get()).isEqualTo(5 * BATCH - first);
    Map<String, Integer> all = new HashMap<>(c.byId);
    fast.byId.forEach((id, n) -> all.merge(id, n, Integer::sum));
    assertThat(all).hasSize(5 * BATCH);
    assertThat(all.values()).allMatch(n -> n == 1);
  }
}
