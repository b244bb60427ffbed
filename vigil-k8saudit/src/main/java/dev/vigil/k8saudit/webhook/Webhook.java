package dev.vigil.k8saudit.webhook;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.vigil.k8saudit.event.AuditEvent;
import dev.vigil.k8saudit.event.InputProblem;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * The audit webhook receiver, compatible with Falco's: {@code POST /k8s-audit} with an EventList, a
 * single Event or an array of either. Answers 200 only once the batch's events are in the queue;
 * the consumer thread hands them to the pipeline one at a time, and {@link #close()} delivers
 * everything queued before it returns.
 *
 * <p>Each request runs on its own virtual thread, at most {@link WebhookConfig#maxExchanges()} at
 * once (more connections are closed). Slow requests are cut off by the JDK server's request timer,
 * which this class sets to {@value #DEFAULT_REQUEST_SECONDS} s unless the system property {@code
 * sun.net.httpserver.maxReqTime} already says otherwise (it is read once per JVM).
 */
public final class Webhook implements AutoCloseable {
  /** Longest time a client may take to send a request, headers and body. */
  public static final int DEFAULT_REQUEST_SECONDS = 20;

  static {
    if (System.getProperty("sun.net.httpserver.maxReqTime") == null) {
      System.setProperty("sun.net.httpserver.maxReqTime", String.valueOf(DEFAULT_REQUEST_SECONDS));
    }
    if (System.getProperty("sun.net.httpserver.maxRspTime") == null) {
      System.setProperty("sun.net.httpserver.maxRspTime", String.valueOf(DEFAULT_REQUEST_SECONDS));
    }
  }

  /** Where events and problems go. */
  public interface Listener {
    /** An accepted event, on the consumer thread; the view is valid only during the call. */
    void event(AuditEvent event);

    /** A record that was skipped or a request that was refused (any request thread). */
    void problem(InputProblem problem);

    /** Something worth a line in the log, such as a certificate reload (any thread). */
    void notice(String message);
  }

  /**
   * Counters since start.
   *
   * @param requests requests received on the webhook path
   * @param accepted events queued for the pipeline
   * @param duplicates events dropped as already received (retries)
   * @param skipped records in accepted bodies that are not readable audit events
   * @param refused requests answered with an error status (4xx, 5xx)
   * @param overloaded requests answered 429
   * @param delivered events handed to the pipeline
   */
  public record Stats(
      long requests,
      long accepted,
      long duplicates,
      long skipped,
      long refused,
      long overloaded,
      long delivered) {}

  final WebhookConfig config;
  final Listener listener;
  final BatchQueue queue;
  final AtomicLong requests = new AtomicLong();
  final AtomicLong accepted = new AtomicLong();
  final AtomicLong duplicates = new AtomicLong();
  final AtomicLong skipped = new AtomicLong();
  final AtomicLong refused = new AtomicLong();
  final AtomicLong overloaded = new AtomicLong();
  private final AtomicLong delivered = new AtomicLong();
  private final HttpServer server;
  private final String description;
  private boolean closed;

  private Webhook(WebhookConfig config, Listener listener) throws IOException {
    this.config = config;
    this.listener = listener;
    this.queue =
        new BatchQueue(
            config.queueEvents(), config.queueBytes(), config.dedupEntries(), this::deliver);
    this.server =
        switch (config.transport()) {
          case WebhookConfig.Transport.Plain p -> HttpServer.create(config.listen(), 128);
          case WebhookConfig.Transport.Tls t -> https(config.listen(), t, listener);
        };
    server.createContext(WebhookConfig.PATH, new Handler(this));
    server.setExecutor(boundedVirtualThreads(config.maxExchanges()));
    this.description =
        (config.transport() instanceof WebhookConfig.Transport.Tls ? "https://" : "http://")
            + hostPort(server.getAddress())
            + WebhookConfig.PATH;
  }

  /**
   * Binds the address and starts serving. An address in use, or a certificate, key or CA file that
   * cannot be read, is an {@link IOException} with a message that names it.
   */
  public static Webhook start(WebhookConfig config, Listener listener) throws IOException {
    Webhook w = new Webhook(config, listener);
    w.queue.start();
    w.server.start();
    return w;
  }

  private void deliver(AuditEvent e) {
    delivered.incrementAndGet();
    try {
      listener.event(e);
    } catch (RuntimeException ex) {
      listener.notice("webhook: the pipeline failed on an event: " + ex);
    }
  }

  /** The bound address (the real port when 0 was asked for). */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  /** {@code https://host:port/k8s-audit}. */
  public String url() {
    return description;
  }

  public Stats stats() {
    return new Stats(
        requests.get(),
        accepted.get(),
        duplicates.get(),
        skipped.get(),
        refused.get(),
        overloaded.get(),
        delivered.get());
  }

  /** Events accepted and not yet handed to the pipeline. */
  public int queued() {
    return queue.queuedEvents();
  }

  /**
   * Stops listening, waits up to {@link WebhookConfig#stopGrace()} for requests in flight, then
   * delivers every queued event. Nothing acknowledged with a 200 is lost.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    server.stop((int) Math.max(0, Math.min(config.stopGrace().toSeconds(), 60)));
    queue.stop();
  }

  private static HttpsServer https(
      InetSocketAddress listen, WebhookConfig.Transport.Tls t, Listener listener)
      throws IOException {
    ReloadingKeyManager keys = new ReloadingKeyManager(t.certificate(), t.key(), listener::notice);
    TrustManager[] trust = t.clientCas().isEmpty() ? null : trustManagers(t.clientCas());
    SSLContext ctx;
    try {
      ctx = SSLContext.getInstance("TLS");
      ctx.init(new KeyManager[] {keys}, trust, null);
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot set up TLS: " + e.getMessage(), e);
    }
    boolean needClientCert = !t.clientCas().isEmpty();
    HttpsServer s = HttpsServer.create(listen, 128);
    s.setHttpsConfigurator(
        new HttpsConfigurator(ctx) {
          @Override
          public void configure(HttpsParameters params) {
            SSLParameters p = getSSLContext().getDefaultSSLParameters();
            p.setNeedClientAuth(needClientCert);
            params.setSSLParameters(p);
          }
        });
    return s;
  }

  private static TrustManager[] trustManagers(List<Path> cas) throws IOException {
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      int n = 0;
      for (Path ca : cas) {
        for (X509Certificate c : Pem.certificates(ca)) {
          ks.setCertificateEntry("ca-" + n++, c);
        }
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(ks);
      return tmf.getTrustManagers();
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot use the client CA bundle: " + e.getMessage(), e);
    }
  }

  /**
   * One virtual thread per exchange, at most {@code max} at once; beyond, the connection closes.
   */
  private static Executor boundedVirtualThreads(int max) {
    Semaphore permits = new Semaphore(max);
    Thread.Builder builder = Thread.ofVirtual().name("vigil-webhook-", 0);
    return task -> {
      if (!permits.tryAcquire()) {
        throw new RejectedExecutionException("more than " + max + " webhook requests at once");
      }
      builder.start(() -> {
        try {
          task.run();
        } finally {
          permits.release();
        }
      });
    };
  }

  private static String hostPort(InetSocketAddress a) {
    String host = a.getAddress().getHostAddress();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
  }

  /** Writes a short text response and ends the exchange. */
  static void respond(HttpExchange x, int code, String text, boolean closeConnection)
      throws IOException {
    byte[] body = (text + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    x.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    if (closeConnection) {
      x.getResponseHeaders().set("Connection", "close");
    }
    x.sendResponseHeaders(code, body.length);
    try (var out = x.getResponseBody()) {
      out.write(body);
    }
  }
}
