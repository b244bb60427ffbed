package dev.vigil.posture.cluster;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/** SSL contexts from PEM material, kept in memory (no key store files). */
public final class Tls {
  private Tls() {}

  /** Whom to trust. */
  public sealed interface Trust {
    /** The JDK's default roots (a kubeconfig that names no CA). */
    record DefaultRoots() implements Trust {}

    /** These CA certificates only. */
    record Certificates(List<X509Certificate> cas) implements Trust {}

    /** Anyone ({@code insecure-skip-tls-verify}): no chain or host name check. */
    record Insecure() implements Trust {}
  }

  /** A certificate chain and its private key. */
  public record Identity(List<X509Certificate> chain, PrivateKey key) {}

  private static final char[] NO_PASSWORD = new char[0];

  public static SSLContext context(Trust trust, Optional<Identity> identity) {
    try {
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(keyManagers(identity), trustManagers(trust), null);
      return ctx;
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException("cannot build the TLS context: " + e.getMessage(), e);
    }
  }

  /** An in-memory key store holding {@code identity} under the alias {@code key}. */
  public static KeyStore keyStore(Identity identity)
      throws GeneralSecurityException, java.io.IOException {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry(
        "key", identity.key(), NO_PASSWORD, identity.chain().toArray(new X509Certificate[0]));
    return ks;
  }

  private static KeyManager[] keyManagers(Optional<Identity> identity)
      throws GeneralSecurityException, java.io.IOException {
    if (identity.isEmpty()) {
      return new KeyManager[0];
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keyStore(identity.get()), NO_PASSWORD);
    return kmf.getKeyManagers();
  }

  private static TrustManager[] trustManagers(Trust trust)
      throws GeneralSecurityException, java.io.IOException {
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    switch (trust) {
      case Trust.DefaultRoots s -> tmf.init((KeyStore) null);
      case Trust.Certificates c -> {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        int i = 0;
        for (X509Certificate ca : c.cas()) {
          ks.setCertificateEntry("ca" + i++, ca);
        }
        tmf.init(ks);
      }
      case Trust.Insecure i -> {
        return new TrustManager[] {new TrustAll()};
      }
    }
    return tmf.getTrustManagers();
  }

  /**
   * Trusts every server. Being an {@link X509ExtendedTrustManager}, it also replaces the host name
   * check, which is what {@code insecure-skip-tls-verify} asks for.
   */
  private static final class TrustAll extends X509ExtendedTrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
