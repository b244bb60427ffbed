package dev.vigil.posture.cluster;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.TrustManagerFactory;

/**
 * A real HTTPS server on loopback that answers like kube-apiserver from recorded list responses:
 * {@code GET /apis/apps/v1/deployments?limit=N&continue=T} serves {@code
 * apis/apps/v1/deployments@T.json} (no {@code @T} for the first page). Bearer token or a client
 * certificate signed by the test CA authenticate; anything else gets a 401 Status. Tests can make
 * paths answer 403, or replace the answer entirely.
 */
public final class FakeApiServer implements AutoCloseable {
  public static final String TOKEN = "eyJhbGciOiJSUzI1NiJ9.test-token-for-vigil";

  /**
   * The recorded PKI and API answers, from this module's directory or, for vigil-cli's tests (which
   * use this class through vigil-posture's test jar), from its sibling.
   */
  static final Path RESOURCES =
      Files.isDirectory(Path.of("src/test/resources/cluster/api"))
          ? Path.of("src/test/resources/cluster")
          : Path.of("../vigil-posture/src/test/resources/cluster");

  static final Path PKI = RESOURCES.resolve("pki");
  static final Path API = RESOURCES.resolve("api");

  /** A canned answer: status, content type, body. */
  @SuppressWarnings("ArrayRecordComponent") // test data, never compared
  public record Answer(int status, String contentType, byte[] body) {}

  public interface Responder {
    Optional<Answer> answer(String path, Map<String, String> query);
  }

  private final HttpsServer server;
  public final List<String> requests = Collections.synchronizedList(new ArrayList<>());
  public final List<String> forbidden = Collections.synchronizedList(new ArrayList<>());
  public volatile Responder override = (p, q) -> Optional.empty();

  public FakeApiServer() throws Exception {
    SSLContext ssl = serverContext();
    server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.setHttpsConfigurator(
        new HttpsConfigurator(ssl) {
          @Override
          public void configure(HttpsParameters params) {
            SSLParameters p = ssl.getDefaultSSLParameters();
            p.setWantClientAuth(true);
            params.setSSLParameters(p);
          }
        });
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", this::handle);
    server.start();
  }

  public URI url() {
    return URI.create("https://127.0.0.1:" + server.getAddress().getPort());
  }

  private static SSLContext serverContext() throws Exception {
    Tls.Identity id =
        new Tls.Identity(
            Pem.certificates(Files.readAllBytes(PKI.resolve("server.crt"))),
            Pem.privateKey(Files.readAllBytes(PKI.resolve("server.key"))));
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(Tls.keyStore(id), new char[0]);
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry(
        "ca", Pem.certificates(Files.readAllBytes(PKI.resolve("ca.crt"))).getFirst());
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return ctx;
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      Map<String, String> query = query(ex.getRequestURI().getRawQuery());
      requests.add(ex.getRequestMethod() + " " + ex.getRequestURI());
      if (!authenticated(ex)) {
        send(ex, status(401, "Unauthorized", "Unauthorized"));
        return;
      }
      Optional<Answer> o = override.answer(path, query);
      if (o.isPresent()) {
        send(ex, o.get());
        return;
      }
      if (forbidden.contains(path)) {
        String resource = path.substring(path.lastIndexOf('/') + 1);
        send(
            ex,
            status(
                403,
                "Forbidden",
                resource
                    + " is forbidden: User \"system:serviceaccount:ci:scanner\" cannot list"
                    + " resource \""
                    + resource
                    + "\" in API group \"\" at the cluster scope"));
        return;
      }
      String cont = query.getOrDefault("continue", "");
      Path file = API.resolve(path.substring(1) + (cont.isEmpty() ? "" : "@" + cont) + ".json");
      if (!Files.isRegularFile(file)) {
        send(ex, status(404, "NotFound", "the server could not find the requested resource"));
        return;
      }
      send(ex, new Answer(200, "application/json", Files.readAllBytes(file)));
    }
  }

  private static boolean authenticated(HttpExchange ex) {
    if (("Bearer " + TOKEN).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
      return true;
    }
    try {
      return ex instanceof HttpsExchange s && s.getSSLSession().getPeerCertificates().length > 0;
    } catch (SSLPeerUnverifiedException e) {
      return false;
    }
  }

  public static Answer status(int code, String reason, String message) {
    String body =
        "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
            + "\"message\":\""
            + message.replace("\"", "\\\"")
            + "\",\"reason\":\""
            + reason
            + "\",\"details\":{},\"code\":"
            + code
            + "}\n";
    return new Answer(code, "application/json", body.getBytes(StandardCharsets.UTF_8));
  }

  private static void send(HttpExchange ex, Answer a) throws IOException {
    ex.getResponseHeaders().set("Content-Type", a.contentType());
    ex.sendResponseHeaders(a.status(), a.body().length == 0 ? -1 : a.body().length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(a.body());
    }
  }

  static Map<String, String> query(String raw) {
    Map<String, String> q = new HashMap<>();
    if (raw == null) {
      return q;
    }
    for (String kv : raw.split("&", -1)) {
      int eq = kv.indexOf('=');
      if (eq > 0) {
        q.put(
            URLDecoder.decode(kv.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return q;
  }

  /** Writes a kubeconfig for this server; {@code user} is the YAML body of the user entry. */
  public Path kubeconfig(Path dir, String clusterExtra, String user) throws IOException {
    Path f = dir.resolve("kubeconfig");
    Files.writeString(
        f,
        """
        apiVersion: v1
        kind: Config
        current-context: test
        clusters:
        - name: loopback
          cluster:
            server: %s
        %s
        users:
        - name: scanner
          user:
        %s
        contexts:
        - name: test
          context:
            cluster: loopback
            user: scanner
            namespace: shop
        """
            .formatted(url(), indent(clusterExtra, 4), indent(user, 4)));
    return f;
  }

  static String indent(String s, int n) {
    return s.lines().map(l -> " ".repeat(n) + l).reduce((a, b) -> a + "\n" + b).orElse("");
  }

  public static String pki(String name) {
    return PKI.resolve(name).toAbsolutePath().toString();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
