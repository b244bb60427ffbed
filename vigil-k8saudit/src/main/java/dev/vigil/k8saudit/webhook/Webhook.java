package dev.vigil.k8saudit.webhook;

import dev.vigil.k8saudit.event.AuditEvent;
import dev.vigil.k8saudit.event.InputProblem;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.server.handler.MinimumDataRateHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The audit webhook receiver, compatible with Falco's: {@code POST /k8s-audit} with an EventList, a
 * single Event or an array of either, served by Jetty 12. Answers 200 only once the batch's events
 * are accepted: in the memory queue, or written and synced to the on-disk spool when it is on. The
 * consumer thread hands them to the pipeline one at a time; {@link #close()} delivers everything
 * queued in memory before it returns (the spool keeps what was not consumed for the next start).
 *
 * <p>Threads, for a small machine: Jetty's selector and acceptor run on a few platform threads (at
 * most {@value #PLATFORM_THREADS}); each request runs on a virtual thread, at most {@link
 * WebhookConfig#maxExchanges()} at once (beyond, 503). Slow clients are cut off by the connection
 * idle timeout and by a minimum body data rate, so they hold a connection and nothing else.
 */
public final class Webhook implements AutoCloseable {
  /** Platform threads for Jetty's selectors, acceptor and non-blocking work. */
  static final int PLATFORM_THREADS = 8;

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
  final Ingest queue;
  final AtomicLong requests = new AtomicLong();
  final AtomicLong accepted = new AtomicLong();
  final AtomicLong duplicates = new AtomicLong();
  final AtomicLong skipped = new AtomicLong();
  final AtomicLong refused = new AtomicLong();
  final AtomicLong overloaded = new AtomicLong();
  private final AtomicLong delivered = new AtomicLong();
  private final Server server;
  private final ServerConnector connector;
  private final Optional<ServerTls> tls;
  private volatile int port;
  private boolean closed;

  private Webhook(WebhookConfig config, Listener listener) throws IOException {
    this.config = config;
    this.listener = listener;
    // the certificate first: a bad one must not leave the spool's directory locked
    this.tls =
        switch (config.transport()) {
          case WebhookConfig.Transport.Plain p -> Optional.empty();
          case WebhookConfig.Transport.Tls t -> Optional.of(new ServerTls(t, listener::notice));
        };
    try {
      this.queue = ingest(config, listener);
    } catch (IOException | RuntimeException e) {
      tls.ifPresent(ServerTls::close);
      throw e;
    }
    QueuedThreadPool threads = new QueuedThreadPool(PLATFORM_THREADS, 2);
    threads.setName("vigil-webhook");
    threads.setReservedThreads(0);
    threads.setVirtualThreadsExecutor(
        Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("vigil-webhook-", 0).factory()));
    this.server = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    http.setIdleTimeout(config.idleTimeout().toMillis());
    if (tls.isPresent()) {
      SecureRequestCustomizer secure = new SecureRequestCustomizer();
      secure.setSniHostCheck(false);
      http.addCustomizer(secure);
      this.connector =
          new ServerConnector(
              server,
              1,
              1,
              new SslConnectionFactory(tls.get().factory(), "http/1.1"),
              new HttpConnectionFactory(http));
    } else {
      this.connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
    }
    connector.setHost(config.listen().getAddress().getHostAddress());
    connector.setPort(config.listen().getPort());
    connector.setIdleTimeout(config.idleTimeout().toMillis());
    connector.setAcceptQueueSize(128);
    server.addConnector(connector);
    // file descriptors: idle connections are closed by the timeout, this bounds the rest
    server.addBean(new NetworkConnectionLimit(Math.max(1024, 4 * config.maxExchanges()), server));
    server.setHandler(
        new GracefulHandler(
            new MinimumDataRateHandler(new Receiver(this), config.minDataRate(), 0)));
    server.setStopTimeout(config.stopGrace().toMillis());
    server.setStopAtShutdown(false);
  }

  /**
   * Binds the address and starts serving. An address in use is a {@link BindException}; a
   * certificate, key, CA file or spool directory that cannot be used is an {@link IOException} with
   * a message that names it.
   */
  public static Webhook start(WebhookConfig config, Listener listener) throws IOException {
    Webhook w = new Webhook(config, listener);
    try {
      w.server.start();
    } catch (Exception e) {
      w.stopServer();
      w.tls.ifPresent(ServerTls::close);
      w.queue.stop();
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof BindException) {
          throw new BindException(config.listen() + ": " + t.getMessage());
        }
      }
      throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
    }
    w.port = w.connector.getLocalPort();
    w.queue.start();
    return w;
  }

  private Ingest ingest(WebhookConfig config, Listener listener) throws IOException {
    return switch (config.spool()) {
      case WebhookConfig.Spool.Off off ->
          new BatchQueue(
              config.queueEvents(), config.queueBytes(), config.dedupEntries(), this::deliver);
      case WebhookConfig.Spool.On on ->
          SpoolQueue.open(
              on, config.dedupEntries(), config.stopGrace(), this::deliver, listener::notice);
    };
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
    return new InetSocketAddress(config.listen().getAddress(), port);
  }

  /** {@code https://host:port/k8s-audit}. */
  public String url() {
    return (tls.isPresent() ? "https://" : "http://") + hostPort(address()) + WebhookConfig.PATH;
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
    return (int) Math.min(Integer.MAX_VALUE, queue.queuedEvents());
  }

  /**
   * Stops listening, waits up to {@link WebhookConfig#stopGrace()} for requests in flight, then
   * delivers every event queued in memory (the spool: keeps what is not consumed for the next
   * start). Nothing acknowledged with a 200 is lost.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    stopServer();
    tls.ifPresent(ServerTls::close);
    queue.stop();
  }

  private void stopServer() {
    try {
      server.stop();
    } catch (Exception e) {
      listener.notice("webhook: stopping the server: " + e);
    }
  }

  private static String hostPort(InetSocketAddress a) {
    String host = a.getAddress().getHostAddress();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
  }
}
