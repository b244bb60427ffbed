package dev.vigil.output;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.jspecify.annotations.Nullable;

/**
 * TLS contexts from PEM files, as Falco's HTTP output and webserver take them: CA certificates from
 * a file, a bundle or a directory, a client certificate and PKCS#8 key for mutual TLS, and a
 * combined certificate-and-key PEM for a server.
 */
public final class TlsContexts {
  private TlsContexts() {}

  /** The client context for {@code tls}, or the JDK's default when nothing is configured. */
  static SSLContext client(SinkConfig.Tls tls) throws OutputException {
    try {
      if (!tls.insecure()
          && tls.caCert().isEmpty()
          && tls.caBundle().isEmpty()
          && tls.caPath().isEmpty()
          && !tls.mtls()) {
        return SSLContext.getDefault();
      }
      TrustManager[] trust = tls.insecure() ? new TrustManager[] {new TrustAll()} : trust(tls);
      KeyManagerFactory kmf = null;
      if (tls.mtls()) {
        kmf =
            keyManagers(read(tls.clientCert(), "client_cert"), read(tls.clientKey(), "client_key"));
      }
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf == null ? null : kmf.getKeyManagers(), trust, null);
      return ctx;
    } catch (GeneralSecurityException | IOException e) {
      throw new OutputException("TLS: " + e.getMessage(), e);
    }
  }

  /** A server context from one PEM file holding the certificate chain and the private key. */
  public static SSLContext server(Path combinedPem) throws OutputException {
    try {
      String pem = Files.readString(combinedPem, StandardCharsets.US_ASCII);
      KeyManagerFactory kmf = keyManagers(pem, pem);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf.getKeyManagers(), null, null);
      return ctx;
    } catch (GeneralSecurityException | IOException e) {
      throw new OutputException("TLS certificate " + combinedPem + ": " + e.getMessage(), e);
    }
  }

  private static String read(String path, String key) throws IOException {
    if (path.isEmpty()) {
      throw new IOException(key + " is required with mtls");
    }
    return Files.readString(Path.of(path), StandardCharsets.US_ASCII);
  }

  private static TrustManager[] trust(SinkConfig.Tls tls)
      throws IOException, GeneralSecurityException {
    List<Certificate> cas = new ArrayList<>();
    for (String f : List.of(tls.caCert(), tls.caBundle())) {
      if (!f.isEmpty()) {
        cas.addAll(certificates(Files.readString(Path.of(f), StandardCharsets.US_ASCII)));
      }
    }
    if (!tls.caPath().isEmpty()) {
      try (Stream<Path> s = Files.list(Path.of(tls.caPath()))) {
        for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
          String text = Files.readString(p, StandardCharsets.ISO_8859_1);
          if (text.contains("-----BEGIN CERTIFICATE-----")) {
            cas.addAll(certificates(text));
          }
        }
      }
    }
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    for (int i = 0; i < cas.size(); i++) {
      ks.setCertificateEntry("ca" + i, cas.get(i));
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    return tmf.getTrustManagers();
  }

  /**
   * The certificates of a PEM text, whatever else it holds: a combined certificate-and-key file is
   * common, and the JDK's parser would read the key block as a damaged certificate.
   */
  static Collection<? extends Certificate> certificates(String pem)
      throws GeneralSecurityException {
    StringBuilder only = new StringBuilder();
    Matcher m = CERTIFICATE.matcher(pem);
    while (m.find()) {
      only.append(m.group()).append('\n');
    }
    return CertificateFactory.getInstance("X.509")
        .generateCertificates(
            new ByteArrayInputStream(only.toString().getBytes(StandardCharsets.US_ASCII)));
  }

  private static final Pattern CERTIFICATE =
      Pattern.compile("-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\\s]*-----END CERTIFICATE-----");

  private static KeyManagerFactory keyManagers(String certPem, String keyPem)
      throws GeneralSecurityException, IOException {
    Collection<? extends Certificate> chain = certificates(certPem);
    if (chain.isEmpty()) {
      throw new IOException("no certificate found");
    }
    PrivateKey key = privateKey(keyPem);
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry("key", key, new char[0], chain.toArray(new Certificate[0]));
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, new char[0]);
    return kmf;
  }

  static PrivateKey privateKey(String pem) throws GeneralSecurityException, IOException {
    String begin = "-----BEGIN PRIVATE KEY-----";
    int b = pem.indexOf(begin);
    int e = pem.indexOf("-----END PRIVATE KEY-----");
    if (b < 0 || e < b) {
      throw new IOException(
          pem.contains("BEGIN RSA PRIVATE KEY") || pem.contains("BEGIN EC PRIVATE KEY")
              ? "the key must be PKCS#8 (BEGIN PRIVATE KEY); convert it with"
                  + " 'openssl pkcs8 -topk8 -nocrypt'"
              : "no private key (BEGIN PRIVATE KEY) found");
    }
    byte[] der = Base64.getMimeDecoder().decode(pem.substring(b + begin.length(), e));
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
    GeneralSecurityException last = null;
    for (String alg : List.of("RSA", "EC", "Ed25519")) {
      try {
        return KeyFactory.getInstance(alg).generatePrivate(spec);
      } catch (GeneralSecurityException ex) {
        last = ex;
      }
    }
    throw last == null ? new GeneralSecurityException("unknown key type") : last;
  }

  /** {@code insecure: true}: any certificate, any host name. */
  static final class TrustAll extends X509ExtendedTrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, @Nullable Socket s) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, @Nullable Socket s) {}

    @Override
    public void checkClientTrusted(
        X509Certificate[] chain, String authType, @Nullable SSLEngine e) {}

    @Override
    public void checkServerTrusted(
        X509Certificate[] chain, String authType, @Nullable SSLEngine e) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
