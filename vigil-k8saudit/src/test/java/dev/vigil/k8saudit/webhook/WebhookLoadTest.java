package dev.vigil.k8saudit.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.k8saudit.event.AuditEvent;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Must-show 2: the webhook over real HTTPS on loopback, with the JDK's HTTP client sending
 * EventLists of 400 events as kube-apiserver does: no loss, retries dropped, 429 under overload, a
 * restart in the middle of the stream that loses nothing acknowledged.
 */
class WebhookLoadTest {
  static final int BATCH = 400;

  @TempDir static Path pkiDir;
  static TestPki pki;

  @BeforeAll
  static void pki() throws IOException {
    pki = new TestPki(pkiDir);
  }

  static WebhookConfig tls(int port) {
    return WebhookConfig.of(
        new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port),
        new WebhookConfig.Transport.Tls(pki.serverCert, pki.serverKey, List.of()));
  }

  static HttpResponse<String> post(HttpClient client, String url, byte[] body)
      throws IOException, InterruptedException {
    return client.send(
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(20))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Posts until 200, as the apiserver retries; returns how many 429s it saw. */
  static int postUntilAccepted(HttpClient client, String url, byte[] body) throws Exception {
    int overloaded = 0;
    while (true) {
      HttpResponse<String> r = post(client, url, body);
      if (r.statusCode() == 200) {
        return overloaded;
      }
      assertThat(r.statusCode()).as(r.body()).isEqualTo(429);
      overloaded++;
      Thread.sleep(5);
    }
  }

  @Test
  void hundredThousandEventsArriveOnceEachAndRetriedBatchesAreDropped() throws Exception {
    Collector c = new Collector();
    int clients = 4;
    int batches = 63; // 4 x 63 x 400 = 100,800 events
    AtomicInteger retried = new AtomicInteger();
    Webhook w = Webhook.start(tls(0), c);
    try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
      HttpClient client = TestPki.client(pki.anonymousContext());
      List<Future<?>> done = new ArrayList<>();
      for (int k = 0; k < clients; k++) {
        int client0 = k;
        done.add(
            pool.submit(() -> {
              for (int b = 0; b < batches; b++) {
                byte[] body = Batches.eventList(client0, b, BATCH);
                postUntilAccepted(client, w.url(), body);
                if (b % 8 == 3) {
                  // the apiserver did not see the 200 and sends the batch again
                  HttpResponse<String> again = post(client, w.url(), body);
                  assertThat(again.statusCode()).isEqualTo(200);
                  assertThat(again.body()).startsWith("accepted 0 events (400 already");
                  retried.incrementAndGet();
                }
              }
              return null;
            }));
      }
      for (Future<?> f : done) {
        f.get(2, TimeUnit.MINUTES);
      }
    } finally {
      w.close();
    }
    long sent = (long) clients * batches * BATCH;
    assertThat(c.total.get()).isEqualTo(sent);
    assertThat(c.byId).hasSize((int) sent);
    assertThat(c.byId.values()).allMatch(n -> n == 1);
    Webhook.Stats s = w.stats();
    assertThat(s.accepted()).isEqualTo(sent);
    assertThat(s.delivered()).isEqualTo(sent);
    assertThat(s.duplicates()).isEqualTo((long) retried.get() * BATCH);
    assertThat(retried.get()).isEqualTo(clients * 8);
    assertThat(c.problems).isEmpty();
  }

  @Test
  void oneFileWithCertificateAndKeyWorksAsFalcosSslCertificate() throws Exception {
    Path combined = pkiDir.resolve("falco.pem");
    java.nio.file.Files.writeString(
        combined,
        java.nio.file.Files.readString(pki.serverCert)
            + java.nio.file.Files.readString(pki.serverKey));
    Collector c = new Collector();
    WebhookConfig config =
        WebhookConfig.of(
            new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0),
            new WebhookConfig.Transport.Tls(combined, combined, List.of()));
    try (Webhook w = Webhook.start(config, c)) {
      HttpClient client = TestPki.client(pki.anonymousContext());
      assertThat(post(client, w.url(), Batches.eventList(42, 0, 3)).statusCode()).isEqualTo(200);
    }
    assertThat(c.byId).hasSize(3);
  }

  @Test
  void aFullQueueAnswers429AndTheRetryIsAcceptedLater() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Collector c = Collector.gated(release);
    WebhookConfig config = tls(0).withQueue(2 * BATCH, 64L << 20);
    Webhook w = Webhook.start(config, c);
    HttpClient client = TestPki.client(pki.anonymousContext());
    try {
      // the consumer holds the first batch; the second fills the queue; the third is refused
      assertThat(post(client, w.url(), Batches.eventList(9, 0, BATCH)).statusCode()).isEqualTo(200);
      assertThat(post(client, w.url(), Batches.eventList(9, 1, BATCH)).statusCode()).isEqualTo(200);
      HttpResponse<String> full = post(client, w.url(), Batches.eventList(9, 2, BATCH));
      assertThat(full.statusCode()).isEqualTo(429);
      assertThat(full.headers().firstValue("Retry-After")).contains("1");
      assertThat(full.body()).contains("retry later");
      release.countDown();
      postUntilAccepted(client, w.url(), Batches.eventList(9, 2, BATCH));
    } finally {
      release.countDown();
      w.close();
    }
    assertThat(c.byId).hasSize(3 * BATCH);
    assertThat(c.byId.values()).allMatch(n -> n == 1);
    assertThat(w.stats().overloaded()).isGreaterThanOrEqualTo(1);
  }

  @Test
  void manyClientsAgainstASlowConsumerGet429sAndLoseNothing() throws Exception {
    CountDownLatch firstOverload = new CountDownLatch(1);
    Collector c =
        new Collector() {
          @Override
          public void event(AuditEvent event) {
            try {
              // the consumer is stalled until a client has been told to retry
              firstOverload.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            LockSupport.parkNanos(20_000);
            super.event(event);
          }
        };
    Webhook w = Webhook.start(tls(0).withQueue(3 * BATCH, 64L << 20), c);
    AtomicInteger overloaded = new AtomicInteger();
    try (ExecutorService pool = Executors.newFixedThreadPool(6)) {
      HttpClient client = TestPki.client(pki.anonymousContext());
      List<Future<?>> done = new ArrayList<>();
      for (int k = 0; k < 6; k++) {
        int client0 = 100 + k;
        done.add(
            pool.submit(() -> {
              for (int b = 0; b < 5; b++) {
                byte[] body = Batches.eventList(client0, b, BATCH);
                while (true) {
                  HttpResponse<String> r = post(client, w.url(), body);
                  if (r.statusCode() == 200) {
                    break;
                  }
                  assertThat(r.statusCode()).as(r.body()).isEqualTo(429);
                  overloaded.incrementAndGet();
                  firstOverload.countDown();
                  Thread.sleep(5);
                }
              }
              return null;
            }));
      }
      for (Future<?> f : done) {
        f.get(2, TimeUnit.MINUTES);
      }
    } finally {
      w.close();
    }
    assertThat(overloaded.get()).isGreaterThan(0);
    assertThat(w.stats().overloaded()).isEqualTo(overloaded.get());
    assertThat(c.byId).hasSize(6 * 5 * BATCH);
    assertThat(c.byId.values()).allMatch(n -> n == 1);
  }

  @Test
  void aRestartInTheMiddleLosesNoAcknowledgedEvent() throws Exception {
    Collector c =
        new Collector() {
          @Override
          public void event(AuditEvent event) {
            LockSupport.parkNanos(10_000);
            super.event(event);
          }
        };
    Webhook current = Webhook.start(tls(0), c);
    int port = current.address().getPort();
    String url = current.url();
    Set<String> acked = ConcurrentHashMap.newKeySet();
    AtomicInteger ackedBatches = new AtomicInteger();
    AtomicInteger failures = new AtomicInteger();
    int clients = 4;
    int batches = 40;
    int queuedAtStop;
    try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
      HttpClient client = TestPki.client(pki.anonymousContext());
      List<Future<?>> done = new ArrayList<>();
      for (int k = 0; k < clients; k++) {
        int client0 = 200 + k;
        done.add(
            pool.submit(() -> {
              for (int b = 0; b < batches; b++) {
                byte[] body = Batches.eventList(client0, b, BATCH);
                while (true) {
                  try {
                    HttpResponse<String> r = post(client, url, body);
                    if (r.statusCode() == 200) {
                      for (int i = 0; i < BATCH; i++) {
                        acked.add(Batches.auditId(client0, b, i));
                      }
                      ackedBatches.incrementAndGet();
                      break;
                    }
                  } catch (IOException e) {
                    failures.incrementAndGet(); // the receiver is down: not acknowledged
                  }
                  Thread.sleep(10);
                }
              }
              return null;
            }));
      }
      long tw = System.nanoTime();
      while (ackedBatches.get() < clients * batches / 3) {
        Thread.sleep(5);
      }
      System.out.printf(
          "restart: the first third took %d ms%n", (System.nanoTime() - tw) / 1_000_000);
      Webhook first = current;
      queuedAtStop = first.queued();
      long t0 = System.nanoTime();
      first.close();
      System.out.printf("restart: close took %d ms%n", (System.nanoTime() - t0) / 1_000_000);
      // everything acknowledged so far was delivered by the time close() returned
      Set<String> ackedBeforeRestart = Set.copyOf(acked);
      assertThat(missing(ackedBeforeRestart, c)).isEmpty();
      current = startWithRetry(port, c);
      long t1 = System.nanoTime();
      for (Future<?> f : done) {
        f.get(2, TimeUnit.MINUTES);
      }
      System.out.printf("restart: the rest took %d ms%n", (System.nanoTime() - t1) / 1_000_000);
    } finally {
      current.close();
    }
    int sent = clients * batches * BATCH;
    assertThat(acked).hasSize(sent);
    assertThat(missing(acked, c)).isEmpty();
    assertThat(c.byId).hasSize(sent);
    System.out.printf(
        "restart: %d events queued at stop, %d failed requests retried, %d delivered twice%n",
        queuedAtStop, failures.get(), c.total.get() - sent);
  }

  /** The acknowledged events that were not delivered (AssertJ's containsAll is quadratic). */
  private static List<String> missing(Set<String> acked, Collector c) {
    return acked.stream().filter(id -> !c.byId.containsKey(id)).sorted().limit(10).toList();
  }

  private static Webhook startWithRetry(int port, Collector c) throws Exception {
    for (int i = 0; ; i++) {
      try {
        return Webhook.start(tls(port), c);
      } catch (java.net.BindException e) {
        if (i > 50) {
          throw e;
        }
        Thread.sleep(20);
      }
    }
  }
}
