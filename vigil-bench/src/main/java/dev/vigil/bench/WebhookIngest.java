package dev.vigil.bench;

import dev.vigil.k8saudit.event.AuditEvent;
import dev.vigil.k8saudit.event.InputProblem;
import dev.vigil.k8saudit.webhook.Webhook;
import dev.vigil.k8saudit.webhook.WebhookConfig;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Harness (not JMH): the audit webhook's ingest rate on loopback. Starts the receiver over HTTPS
 * with a self-signed EC P-256 certificate made by {@code openssl}, then {@code --clients} JDK HTTP
 * clients post EventLists of 400 events (about 850 bytes each, as kube-apiserver batches them) for
 * {@code --seconds}, retrying on 429. Counts events delivered to the pipeline (a counter, no rules)
 * after the receiver drained its queue, and prints events/s and MB/s. Clients and server share the
 * machine, so the figure is a lower bound for the server alone. With {@code --spool DIR} every
 * batch is written to the on-disk spool and synced before its 200 (group commit), and the consumer
 * reads it back from there; the directory should be on the disk the daemon would use.
 *
 * <p>{@code java -cp vigil-bench/target/benchmarks.jar dev.vigil.bench.WebhookIngest [--seconds 20]
 * [--clients 4] [--plain] [--spool DIR] [--spool-max-bytes N]}
 */
public final class WebhookIngest {
  private WebhookIngest() {}

  public static void main(String[] args) throws Exception {
    int seconds = 20;
    int clients = 4;
    boolean plain = false;
    String spool = "";
    long spoolMax = WebhookConfig.Spool.On.DEFAULT_MAX_BYTES;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--seconds" -> seconds = Integer.parseInt(args[++i]);
        case "--clients" -> clients = Integer.parseInt(args[++i]);
        case "--plain" -> plain = true;
        case "--spool" -> spool = args[++i];
        case "--spool-max-bytes" -> spoolMax = Long.parseLong(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    Path dir = Files.createTempDirectory("vigil-webhook-bench");
    Path cert = dir.resolve("server.crt");
    Path key = dir.resolve("server.key");
    openssl(
        dir,
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
        cert.toString(),
        "-days",
        "1",
        "-subj",
        "/CN=localhost",
        "-addext",
        "subjectAltName=IP:127.0.0.1");
    AtomicLong delivered = new AtomicLong();
    Webhook.Listener counter =
        new Webhook.Listener() {
          @Override
          public void event(AuditEvent event) {
            delivered.incrementAndGet();
          }

          @Override
          public void problem(InputProblem problem) {
            System.err.println(problem.render());
          }

          @Override
          public void notice(String message) {
            System.err.println(message);
          }
        };
    WebhookConfig.Transport transport =
        plain
            ? new WebhookConfig.Transport.Plain()
            : new WebhookConfig.Transport.Tls(cert, key, List.of());
    WebhookConfig config =
        WebhookConfig.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), transport);
    if (!spool.isEmpty()) {
      // a fresh spool: what a previous run left would be delivered first and counted
      Path sd = Files.createTempDirectory(Files.createDirectories(Path.of(spool)), "run-");
      config = config.withSpool(WebhookConfig.Spool.On.of(sd, spoolMax));
    }
    Webhook hook = Webhook.start(config, counter);
    HttpClient.Builder cb = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1);
    if (!plain) {
      cb.sslContext(trusting(cert));
    }
    HttpClient client = cb.build();
    long warmEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
    long end = warmEnd + TimeUnit.SECONDS.toNanos(seconds);
    AtomicLong sentBytes = new AtomicLong();
    AtomicLong overloaded = new AtomicLong();
    long start;
    long before;
    try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
      List<Future<?>> done = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        int id = c;
        done.add(
            pool.submit(() -> {
              for (int b = 0; System.nanoTime() < end; b++) {
                byte[] body = eventList(id, b);
                HttpRequest r =
                    HttpRequest.newBuilder(URI.create(hook.url()))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build();
                while (client.send(r, HttpResponse.BodyHandlers.discarding()).statusCode() == 429) {
                  overloaded.incrementAndGet();
                }
                if (System.nanoTime() > warmEnd) {
                  sentBytes.addAndGet(body.length);
                }
              }
              return null;
            }));
      }
      while (System.nanoTime() < warmEnd) {
        Thread.sleep(10);
      }
      start = System.nanoTime();
      before = delivered.get();
      for (Future<?> f : done) {
        f.get();
      }
    }
    hook.close();
    if (config.spool() instanceof WebhookConfig.Spool.On on) {
      try (var files = Files.list(on.dir())) {
        for (Path f : files.toList()) {
          Files.delete(f);
        }
      }
      Files.delete(on.dir());
    }
    double secs = (System.nanoTime() - start) / 1e9;
    long events = delivered.get() - before;
    System.out.printf(
        "webhook ingest (%s%s, %d clients): %d events in %.1f s = %.0f events/s, %.1f MB/s;"
            + " %d answered 429; stats %s%n",
        plain ? "HTTP" : "HTTPS",
        config.spool() instanceof WebhookConfig.Spool.On on ? ", spool " + on.dir() : "",
        clients,
        events,
        secs,
        events / secs,
        sentBytes.get() / secs / 1e6,
        overloaded.get(),
        hook.stats());
  }

  private static SSLContext trusting(Path cert) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    try (var in = Files.newInputStream(cert)) {
      ks.setCertificateEntry(
          "server",
          java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }

  private static void openssl(Path dir, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("openssl"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
    }
  }

  private static byte[] eventList(int client, int batch) {
    StringBuilder sb =
        new StringBuilder(400 * 900)
            .append("{\"kind\":\"EventList\",\"apiVersion\":\"audit.k8s.io/v1\",")
            .append("\"metadata\":{},\"items\":[");
    for (int i = 0; i < 400; i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append("{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"level\":\"Metadata\",")
          .append("\"auditID\":\"")
          .append(String.format("%08x-%08x-%04x", client, batch, i))
          .append("\",\"stage\":\"ResponseComplete\",\"requestURI\":")
          .append("\"/api/v1/namespaces/default/pods/web-")
          .append(i)
          .append("\",\"verb\":\"get\",\"user\":{\"username\":")
          .append("\"system:serviceaccount:kube-system:replicaset-controller\",")
          .append("\"groups\":[\"system:serviceaccounts\",\"system:authenticated\"]},")
          .append(
              "\"sourceIPs\":[\"10.0.0.12\"],\"userAgent\":\"kube-controller-manager/v1.36.0\",")
          .append("\"objectRef\":{\"resource\":\"pods\",\"namespace\":\"default\",\"name\":\"web-")
          .append(i)
          .append("\",\"apiVersion\":\"v1\"},\"responseStatus\":{\"metadata\":{},\"code\":200},")
          .append("\"requestReceivedTimestamp\":\"2026-11-22T10:00:00.000000Z\",")
          .append("\"stageTimestamp\":\"2026-11-22T10:00:00.001000Z\",")
          .append("\"annotations\":{\"authorization.k8s.io/decision\":\"allow\",")
          .append("\"authorization.k8s.io/reason\":\"RBAC: allowed by ClusterRoleBinding\"}}");
    }
    return sb.append("]}").toString().getBytes(StandardCharsets.UTF_8);
  }
}
