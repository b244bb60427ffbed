package dev.vigil.k8saudit.webhook;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The webhook's TLS: Jetty's {@link SslContextFactory.Server} loaded from PEM files (the server
 * certificate and its chain, its key, and optionally the CAs client certificates must chain to),
 * and a once-a-second look at the certificate and key files that reloads the factory when they
 * change. A pair that cannot be loaded (a half-written rotation, a key that does not match) is
 * reported and the previous pair stays in use; connections already open keep their session.
 */
final class ServerTls implements AutoCloseable {
  /** The in-memory key store's password: the store never leaves this process. */
  private static final String STORE_PASSWORD = "vigil";

  private final Path certFile;
  private final Path keyFile;
  private final Consumer<String> notice;
  private final SslContextFactory.Server factory = new SslContextFactory.Server();
  private final ScheduledExecutorService watcher;
  private String stamp;
  private String failedStamp = "";

  /** Loads the pair and the client CAs; files that cannot be used are an {@link IOException}. */
  ServerTls(WebhookConfig.Transport.Tls t, Consumer<String> notice) throws IOException {
    this.certFile = t.certificate();
    this.keyFile = t.key();
    this.notice = notice;
    this.stamp = stamp();
    factory.setKeyStore(keyStore());
    factory.setKeyStorePassword(STORE_PASSWORD);
    factory.setKeyManagerPassword(STORE_PASSWORD);
    if (!t.clientCas().isEmpty()) {
      factory.setTrustStore(trustStore(t.clientCas()));
      factory.setNeedClientAuth(true);
    }
    // the JDK server did not check SNI against the certificate; kube-apiserver may dial an IP
    factory.setSniRequired(false);
    factory.setEndpointIdentificationAlgorithm(null);
    this.watcher =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("vigil-webhook-certificates").daemon().factory());
    var _ = watcher.scheduleWithFixedDelay(this::maybeReload, 1, 1, TimeUnit.SECONDS);
  }

  SslContextFactory.Server factory() {
    return factory;
  }

  private String stamp() throws IOException {
    return Files.getLastModifiedTime(certFile)
        + "/"
        + Files.size(certFile)
        + "/"
        + Files.getLastModifiedTime(keyFile)
        + "/"
        + Files.size(keyFile);
  }

  /** Reloads when the files changed since the last look. */
  void maybeReload() {
    try {
      String now = stamp();
      if (now.equals(stamp) || now.equals(failedStamp)) {
        return;
      }
      KeyStore ks;
      try {
        ks = keyStore();
        factory.reload(f -> f.setKeyStore(ks));
      } catch (Exception e) {
        failedStamp = now; // reported once; looked at again when the files change
        throw e;
      }
      stamp = now;
      X509Certificate c = (X509Certificate) ks.getCertificate("server");
      notice.accept(
          "webhook: reloaded the server certificate "
              + certFile
              + " ("
              + c.getSubjectX500Principal().getName()
              + ", valid until "
              + c.getNotAfter().toInstant()
              + ")");
    } catch (Exception e) {
      notice.accept("webhook: keeping the previous certificate: " + e.getMessage());
    }
  }

  private KeyStore keyStore() throws IOException {
    List<X509Certificate> chain = Pem.certificates(certFile);
    PrivateKey key = Pem.privateKey(keyFile);
    if (!Pem.matches(key, chain.get(0).getPublicKey())) {
      throw new IOException(keyFile + " is not the key of the certificate in " + certFile);
    }
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry(
          "server", key, STORE_PASSWORD.toCharArray(), chain.toArray(X509Certificate[]::new));
      return ks;
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot use the server certificate: " + e.getMessage(), e);
    }
  }

  private static KeyStore trustStore(List<Path> cas) throws IOException {
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      int n = 0;
      for (Path ca : cas) {
        for (X509Certificate c : Pem.certificates(ca)) {
          ks.setCertificateEntry("ca-" + n++, c);
        }
      }
      return ks;
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot use the client CA bundle: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    watcher.shutdownNow();
  }
}
