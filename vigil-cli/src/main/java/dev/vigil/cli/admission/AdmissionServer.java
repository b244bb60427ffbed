package dev.vigil.cli.admission;

import dev.vigil.posture.admission.Admission;
import dev.vigil.posture.admission.AdmissionReview;
import dev.vigil.posture.cluster.Pem;
import dev.vigil.posture.cluster.Tls;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@code POST /validate} (AdmissionReview in, AdmissionReview out) and {@code GET /healthz}
 * over HTTPS. The certificate and key are PEM files, checked for changes every {@code reload} and
 * swapped in without a restart (cert-manager renews them in place); a pair that does not load is
 * logged and the old one kept. Bodies over {@value #MAX_BODY} bytes get 413, other content types
 * 415, other methods 405, bodies that are not an AdmissionReview 400 with the reason.
 */
public final class AdmissionServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AdmissionServer.class);

  /** An AdmissionReview holds the object and the old object (etcd: 1.5 MB each), plus slack. */
  public static final int MAX_BODY = 4 << 20;

  /** How much of a too large body is read and dropped before answering 413. */
  private static final long DRAIN = 16 << 20;

  /** A TLS identity that cannot be used; the message says which file and why. */
  public static final class TlsFilesException extends Exception {
    private static final long serialVersionUID = 1L;

    TlsFilesException(String message) {
      super(message);
    }
  }

  private final Admission admission;
  private final Path cert;
  private final Path key;
  private final Server server;
  private final ServerConnector connector;
  private final SslContextFactory.Server ssl;
  private final Duration reload;
  private volatile List<FileTime> loaded;
  private volatile boolean closed;

  public AdmissionServer(
      Admission admission, Path cert, Path key, String host, int port, Duration reload)
      throws TlsFilesException {
    this.admission = admission;
    this.cert = cert;
    this.key = key;
    this.reload = reload;
    this.loaded = stamps();
    ssl = new SslContextFactory.Server();
    ssl.setSslContext(context(cert, key));
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    SecureRequestCustomizer secure = new SecureRequestCustomizer();
    secure.setSniHostCheck(false); // the API server may call by IP or service name
    http.addCustomizer(secure);
    server = new Server();
    connector =
        new ServerConnector(
            server,
            new SslConnectionFactory(ssl, HttpVersion.HTTP_1_1.asString()),
            new HttpConnectionFactory(http));
    connector.setHost(host);
    connector.setPort(port);
    server.addConnector(connector);
    server.setHandler(new ReviewHandler());
  }

  /** Starts listening; throws {@link IOException} when the address cannot be bound. */
  public void start() throws IOException {
    try {
      server.start();
    } catch (IOException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException(e.getMessage(), e);
    }
    Thread.ofVirtual().name("admission-tls-reload").start(this::watch);
  }

  public int port() {
    return connector.getLocalPort();
  }

  public void join() throws InterruptedException {
    server.join();
  }

  @Override
  public void close() {
    closed = true;
    try {
      server.stop();
    } catch (Exception e) {
      LOG.warn("stopping the admission webhook: {}", e.toString());
    }
  }

  /** An SSL context for a PEM certificate chain and key. */
  public static SSLContext context(Path cert, Path key) throws TlsFilesException {
    try {
      return Tls.context(
          new Tls.Trust.DefaultRoots(),
          Optional.of(new Tls.Identity(Pem.certificates(read(cert)), Pem.privateKey(read(key)))));
    } catch (Pem.PemException e) {
      throw new TlsFilesException("cannot use " + cert + " / " + key + ": " + e.getMessage());
    } catch (IllegalStateException e) {
      throw new TlsFilesException(
          "cannot use "
              + cert
              + " / "
              + key
              + ": the key does not fit the certificate ("
              + e.getMessage()
              + ")");
    }
  }

  private static byte[] read(Path p) throws TlsFilesException {
    try {
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw new TlsFilesException(
          "cannot read "
              + p
              + ": "
              + (e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.getMessage()));
    }
  }

  private List<FileTime> stamps() {
    try {
      return List.of(Files.getLastModifiedTime(cert), Files.getLastModifiedTime(key));
    } catch (IOException e) {
      return List.of();
    }
  }

  /** Reloads the certificate and key when their modification times change. */
  private void watch() {
    while (!closed) {
      try {
        Thread.sleep(reload);
      } catch (InterruptedException e) {
        return;
      }
      List<FileTime> now = stamps();
      if (now.isEmpty() || now.equals(loaded)) {
        continue;
      }
      try {
        SSLContext next = context(cert, key);
        ssl.reload(f -> f.setSslContext(next));
        loaded = now;
        LOG.info("admission webhook: reloaded {} and {}", cert, key);
      } catch (TlsFilesException e) {
        LOG.warn("admission webhook: keeping the old certificate: {}", e.getMessage());
        loaded = now; // try again when they change next
      } catch (Exception e) {
        LOG.warn("admission webhook: certificate reload failed: {}", e.toString());
      }
    }
  }

  private final class ReviewHandler extends Handler.Abstract {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      String path = Request.getPathInContext(request);
      String method = request.getMethod();
      if (path.equals("/healthz")) {
        send(response, callback, 200, "text/plain", "ok\n");
        return true;
      }
      if (!path.equals("/validate")) {
        send(
            response,
            callback,
            404,
            "text/plain",
            "not found: POST AdmissionReviews to /validate\n");
        return true;
      }
      if (!method.equals("POST")) {
        response.getHeaders().put(HttpHeader.ALLOW, "POST");
        send(
            response, callback, 405, "text/plain", "method " + method + " not allowed: use POST\n");
        return true;
      }
      String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
      if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
        send(
            response,
            callback,
            415,
            "text/plain",
            "content type "
                + (type == null ? "(none)" : type)
                + " not supported: send application/json\n");
        return true;
      }
      byte[] body;
      try (InputStream in = Content.Source.asInputStream(request)) {
        long declared = request.getLength(); // -1 when chunked
        if (declared > MAX_BODY) {
          drain(in, declared);
          send(response, callback, 413, "text/plain", tooLarge());
          return true;
        }
        body = in.readNBytes(MAX_BODY + 1);
        if (body.length > MAX_BODY) {
          drain(in, DRAIN);
          send(response, callback, 413, "text/plain", tooLarge());
          return true;
        }
      } catch (IOException e) {
        send(
            response,
            callback,
            400,
            "text/plain",
            "cannot read the body: " + e.getMessage() + "\n");
        return true;
      }
      AdmissionReview review;
      try {
        review = AdmissionReview.parse(body);
      } catch (AdmissionReview.Invalid e) {
        send(
            response, callback, 400, "text/plain", "bad AdmissionReview: " + e.getMessage() + "\n");
        return true;
      }
      String answer = admission.respond(review);
      send(response, callback, 200, "application/json", answer);
      return true;
    }

    /**
     * Reads and drops up to {@link #DRAIN} bytes, so that a client still sending reads the 413
     * rather than a reset connection; beyond that the connection is closed on it.
     */
    private static void drain(InputStream in, long n) throws IOException {
      byte[] buf = new byte[64 << 10];
      long left = Math.min(n, DRAIN);
      while (left > 0) {
        int r = in.read(buf, 0, (int) Math.min(buf.length, left));
        if (r < 0) {
          return;
        }
        left -= r;
      }
    }

    private static String tooLarge() {
      return "request body larger than " + MAX_BODY + " bytes\n";
    }

    private static void send(
        Response response, Callback callback, int status, String type, String body) {
      response.setStatus(status);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, type + "; charset=utf-8");
      Content.Sink.write(response, true, body, callback);
    }
  }
}
