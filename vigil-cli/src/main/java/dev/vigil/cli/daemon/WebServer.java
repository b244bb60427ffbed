package dev.vigil.cli.daemon;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.vigil.output.OutputException;
import dev.vigil.output.PromText;
import dev.vigil.output.TlsContexts;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * Falco's web endpoints on the JDK's HTTP server (virtual threads): the health check ({@code
 * k8s_healthz_endpoint}, {@code {"status": "ok"}}), {@code /versions} for falcoctl, and {@code
 * /metrics} in Prometheus text format when enabled. Plain HTTP, or HTTPS from one PEM file.
 */
final class WebServer implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

  /** Binds and starts; an address in use or a bad certificate is an {@link IOException}. */
  WebServer(DaemonConfig.Webserver config, Supplier<String> versions, Supplier<PromText> metrics)
      throws IOException {
    InetSocketAddress at = new InetSocketAddress(config.address(), config.port());
    if (config.ssl()) {
      HttpsServer https = HttpsServer.create(at, 64);
      try {
        https.setHttpsConfigurator(
            new HttpsConfigurator(TlsContexts.server(config.sslCertificate())));
      } catch (OutputException e) {
        https.stop(0);
        throw new IOException(e.getMessage(), e);
      }
      server = https;
    } else {
      server = HttpServer.create(at, 64);
    }
    server.setExecutor(executor);
    server.createContext(
        config.healthzPath(), ex -> answer(ex, "application/json", "{\"status\": \"ok\"}"));
    server.createContext("/versions", ex -> answer(ex, "application/json", versions.get()));
    if (config.prometheusMetrics()) {
      server.createContext(
          "/metrics", ex -> answer(ex, PromText.CONTENT_TYPE, metrics.get().toString()));
    }
    server.start();
  }

  /** The bound port (the configured one, or the one chosen for port 0). */
  int port() {
    return server.getAddress().getPort();
  }

  private static void answer(HttpExchange ex, String type, String body) throws IOException {
    try (ex) {
      String method = ex.getRequestMethod();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        ex.getResponseHeaders().set("Allow", "GET, HEAD");
        ex.sendResponseHeaders(405, -1);
        return;
      }
      String path = ex.getRequestURI().getPath();
      if (!path.equals(ex.getHttpContext().getPath())) {
        ex.sendResponseHeaders(404, -1);
        return;
      }
      byte[] b = body.getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", type);
      if (method.equals("HEAD")) {
        ex.sendResponseHeaders(200, -1);
        return;
      }
      ex.sendResponseHeaders(200, b.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(b);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
