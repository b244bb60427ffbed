package dev.vigil.k8saudit.webhook;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throw-away PKI made with {@code openssl} in a test directory: a CA, a server certificate for
 * 127.0.0.1 and localhost, a client certificate from the same CA and one from a stranger CA.
 */
final class TestPki {
  final Path dir;
  final Path caCert;
  final Path serverCert;
  final Path serverKey;
  final Path clientCert;
  final Path clientKey;
  final Path strangerCert;
  final Path strangerKey;

  TestPki(Path dir) throws IOException {
    this.dir = dir;
    caCert = dir.resolve("ca.crt");
    serverCert = dir.resolve("server.crt");
    serverKey = dir.resolve("server.key");
    clientCert = dir.resolve("client.crt");
    clientKey = dir.resolve("client.key");
    strangerCert = dir.resolve("stranger.crt");
    strangerKey = dir.resolve("stranger.key");
    ca("ca", "vigil test CA");
    ca("other-ca", "someone else's CA");
    leaf("server", "ca", "vigil webhook", "subjectAltName=IP:127.0.0.1,DNS:localhost");
    leaf("client", "ca", "kube-apiserver", "extendedKeyUsage=clientAuth");
    leaf("stranger", "other-ca", "kube-apiserver", "extendedKeyUsage=clientAuth");
  }

  /** A new server key and certificate (another subject) written over the old files. */
  void rotateServer(String subject) throws IOException {
    leaf("server-new", "ca", subject, "subjectAltName=IP:127.0.0.1,DNS:localhost");
    Files.copy(
        dir.resolve("server-new.key"),
        serverKey,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.copy(
        dir.resolve("server-new.crt"),
        serverCert,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  private void ca(String name, String cn) throws IOException {
    key(name);
    openssl(
        "req",
        "-x509",
        "-new",
        "-key",
        name + ".key",
        "-out",
        name + ".crt",
        "-days",
        "2",
        "-subj",
        "/CN=" + cn);
  }

  private void leaf(String name, String ca, String cn, String ext) throws IOException {
    key(name);
    openssl("req", "-new", "-key", name + ".key", "-out", name + ".csr", "-subj", "/CN=" + cn);
    Files.writeString(dir.resolve(name + ".ext"), ext + "\n");
    openssl(
        "x509",
        "-req",
        "-in",
        name + ".csr",
        "-CA",
        ca + ".crt",
        "-CAkey",
        ca + ".key",
        "-CAcreateserial",
        "-out",
        name + ".crt",
        "-days",
        "2",
        "-extfile",
        name + ".ext");
  }

  private void key(String name) throws IOException {
    openssl(
        "genpkey",
        "-algorithm",
        "EC",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-out",
        name + ".key");
  }

  private void openssl(String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("openssl"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    try {
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException(String.join(" ", cmd) + " failed: " + out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  /** A TLS context that trusts the test CA and, when given, presents that client certificate. */
  SSLContext clientContext(Path cert, Path key) throws IOException {
    try {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("ca", Pem.certificates(caCert).get(0));
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      KeyStore mine = KeyStore.getInstance("PKCS12");
      mine.load(null, null);
      char[] pw = "test".toCharArray();
      mine.setKeyEntry(
          "me", Pem.privateKey(key), pw, Pem.certificates(cert).toArray(X509Certificate[]::new));
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(mine, pw);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IOException(e);
    }
  }

  /** A TLS context that trusts the test CA and has no client certificate. */
  SSLContext anonymousContext() throws IOException {
    try {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("ca", Pem.certificates(caCert).get(0));
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IOException(e);
    }
  }

  static HttpClient client(SSLContext ctx) {
    return HttpClient.newBuilder()
        .sslContext(ctx)
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }
}
