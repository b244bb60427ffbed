package dev.vigil.cli.daemon;

import dev.vigil.output.PromText;
import java.io.IOException;
import java.net.BindException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Falco's web endpoints on Jetty 12: the health check ({@code k8s_healthz_endpoint}, {@code
 * {"status": "ok"}}), {@code /versions} for falcoctl, and {@code /metrics} in Prometheus text
 * format when enabled. Plain HTTP, or HTTPS from one PEM file. A few platform threads for Jetty's
 * selector, each request on a virtual thread; idle connections are closed after 30 s.
 */
final class WebServer implements AutoCloseable {
  private final Server server;
  private final ServerConnector connector;

  /** One endpoint: its content type and body. */
  private record Endpoint(String type, Supplier<String> body) {}

  /** Binds and starts; an address in use or a bad certificate is an {@link IOException}. */
  WebServer(DaemonConfig.Webserver config, Supplier<String> versions, Supplier<PromText> metrics)
      throws IOException {
    QueuedThreadPool threads = new QueuedThreadPool(4, 1);
    threads.setName("vigil-web");
    threads.setReservedThreads(0);
    threads.setVirtualThreadsExecutor(
        Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("vigil-web-", 0).factory()));
    server = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    HttpConnectionFactory h1 = new HttpConnectionFactory(http);
    if (config.ssl()) {
      SslContextFactory.Server tls = new SslContextFactory.Server();
      tls.setKeyStore(PemKeyStore.load(config.sslCertificate()));
      tls.setKeyStorePassword(PemKeyStore.PASSWORD);
      tls.setKeyManagerPassword(PemKeyStore.PASSWORD);
      tls.setSniRequired(false);
      connector = new ServerConnector(server, 1, 1, new SslConnectionFactory(tls, "http/1.1"), h1);
    } else {
      connector = new ServerConnector(server, 1, 1, h1);
    }
    connector.setHost(config.address());
    connector.setPort(config.port());
    connector.setIdleTimeout(30_000);
    server.addConnector(connector);
    Map<String, Endpoint> endpoints =
        config.prometheusMetrics()
            ? Map.of(
                config.healthzPath(),
                new Endpoint("application/json", () -> "{\"status\": \"ok\"}"),
                "/versions",
                new Endpoint("application/json", versions),
                "/metrics",
                new Endpoint(PromText.CONTENT_TYPE, () -> metrics.get().toString()))
            : Map.of(
                config.healthzPath(),
                new Endpoint("application/json", () -> "{\"status\": \"ok\"}"),
                "/versions",
                new Endpoint("application/json", versions));
    server.setHandler(new Endpoints(endpoints));
    try {
      server.start();
    } catch (Exception e) {
      close();
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof BindException) {
          throw new BindException(config.address() + ":" + config.port() + ": " + t.getMessage());
        }
      }
      throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
    }
  }

  /** The bound port (the configured one, or the one chosen for port 0). */
  int port() {
    return connector.getLocalPort();
  }

  /** GET or HEAD on a known path. */
  private static final class Endpoints extends Handler.Abstract {
    private final Map<String, Endpoint> endpoints;

    Endpoints(Map<String, Endpoint> endpoints) {
      this.endpoints = endpoints;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      String method = request.getMethod();
      Endpoint e = endpoints.get(Request.getPathInContext(request));
      if (e == null) {
        response.setStatus(404);
        response.write(true, ByteBuffer.allocate(0), callback);
        return true;
      }
      if (!method.equals("GET") && !method.equals("HEAD")) {
        response.setStatus(405);
        response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
        response.write(true, ByteBuffer.allocate(0), callback);
        return true;
      }
      byte[] b = e.body().get().getBytes(StandardCharsets.UTF_8);
      response.setStatus(200);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, e.type());
      if (method.equals("HEAD")) {
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, b.length);
        response.write(true, ByteBuffer.allocate(0), callback);
      } else {
        response.write(true, ByteBuffer.wrap(b), callback);
      }
      return true;
    }
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      // stopping: nothing left to serve
    }
  }
}
