package dev.vigil.k8saudit.webhook;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.function.Consumer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import org.jspecify.annotations.Nullable;

/**
 * The server's certificate and key, read from PEM files and read again when either file changes
 * (checked at most once a second, at a handshake). A pair that cannot be loaded (a half-written
 * rotation, a key that does not match) is reported and the previous pair stays in use. Each pair
 * has its own alias, so a handshake never mixes the certificate of one with the key of another.
 */
final class ReloadingKeyManager extends X509ExtendedKeyManager {
  @SuppressWarnings("ArrayRecordComponent") // read once, handed out as copies
  private record Pair(String alias, X509Certificate[] chain, PrivateKey key, String stamp) {}

  private final Path certFile;
  private final Path keyFile;
  private final Consumer<String> notice;
  private volatile Pair current;
  private volatile @Nullable Pair previous;
  private volatile long nextCheckMillis;
  private int generation;

  /** Loads the pair; a pair that cannot be loaded at start is an exception. */
  ReloadingKeyManager(Path certFile, Path keyFile, Consumer<String> notice) throws IOException {
    this.certFile = certFile;
    this.keyFile = keyFile;
    this.notice = notice;
    this.current = load(stamp());
    this.nextCheckMillis = System.currentTimeMillis() + 1000;
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

  private synchronized Pair load(String stamp) throws IOException {
    List<X509Certificate> chain = Pem.certificates(certFile);
    PrivateKey key = Pem.privateKey(keyFile);
    if (!Pem.matches(key, chain.get(0).getPublicKey())) {
      throw new IOException(keyFile + " is not the key of the certificate in " + certFile);
    }
    generation++;
    return new Pair("vigil-" + generation, chain.toArray(X509Certificate[]::new), key, stamp);
  }

  /** Reloads when the files changed since the last look (rate-limited). */
  void maybeReload() {
    long now = System.currentTimeMillis();
    if (now < nextCheckMillis) {
      return;
    }
    nextCheckMillis = now + 1000;
    try {
      String stamp = stamp();
      if (stamp.equals(current.stamp())) {
        return;
      }
      Pair fresh = load(stamp);
      previous = current;
      current = fresh;
      notice.accept(
          "webhook: reloaded the server certificate "
              + certFile
              + " ("
              + fresh.chain()[0].getSubjectX500Principal().getName()
              + ", valid until "
              + fresh.chain()[0].getNotAfter().toInstant()
              + ")");
    } catch (IOException | RuntimeException e) {
      notice.accept("webhook: keeping the previous certificate: " + e.getMessage());
    }
  }

  /** The subject of the certificate in use. */
  String subject() {
    return current.chain()[0].getSubjectX500Principal().getName();
  }

  private @Nullable String alias(String keyType) {
    maybeReload();
    Pair p = current;
    String alg = p.key().getAlgorithm();
    return alg.equals(keyType) || (alg.equals("EdDSA") && keyType.equals("Ed25519"))
        ? p.alias()
        : null;
  }

  private @Nullable Pair pair(@Nullable String alias) {
    Pair c = current;
    if (c.alias().equals(alias)) {
      return c;
    }
    Pair p = previous;
    return p != null && p.alias().equals(alias) ? p : null;
  }

  @Override
  public @Nullable String chooseEngineServerAlias(
      String keyType, Principal @Nullable [] issuers, @Nullable SSLEngine engine) {
    return alias(keyType);
  }

  @Override
  public @Nullable String chooseServerAlias(
      String keyType, Principal @Nullable [] issuers, @Nullable Socket socket) {
    return alias(keyType);
  }

  @Override
  public String @Nullable [] getServerAliases(String keyType, Principal @Nullable [] issuers) {
    String a = alias(keyType);
    return a == null ? null : new String[] {a};
  }

  @Override
  public X509Certificate @Nullable [] getCertificateChain(@Nullable String alias) {
    Pair p = pair(alias);
    return p == null ? null : p.chain().clone();
  }

  @Override
  public @Nullable PrivateKey getPrivateKey(@Nullable String alias) {
    Pair p = pair(alias);
    return p == null ? null : p.key();
  }

  @Override
  public String @Nullable [] getClientAliases(String keyType, Principal @Nullable [] issuers) {
    return null;
  }

  @Override
  public @Nullable String chooseClientAlias(
      String[] keyType, Principal @Nullable [] issuers, @Nullable Socket socket) {
    return null;
  }
}
