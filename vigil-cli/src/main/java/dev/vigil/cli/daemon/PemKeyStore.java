package dev.vigil.cli.daemon;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The web server's key store from one PEM file holding the certificate chain and the PKCS#8 private
 * key, in either order (Falco's {@code webserver.ssl_certificate}).
 */
final class PemKeyStore {
  static final String PASSWORD = "vigil";

  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

  private PemKeyStore() {}

  static KeyStore load(Path pem) throws IOException {
    String text = Files.readString(pem, StandardCharsets.US_ASCII);
    List<Certificate> chain = new ArrayList<>();
    List<byte[]> keys = new ArrayList<>();
    try {
      CertificateFactory cf = CertificateFactory.getInstance("X.509");
      Matcher m = BLOCK.matcher(text);
      while (m.find()) {
        byte[] der = Base64.getMimeDecoder().decode(m.group(2));
        switch (m.group(1)) {
          case "CERTIFICATE" -> chain.add(cf.generateCertificate(new ByteArrayInputStream(der)));
          case "PRIVATE KEY" -> keys.add(der);
          case "RSA PRIVATE KEY", "EC PRIVATE KEY" ->
              throw new IOException(
                  pem
                      + ": the key must be PKCS#8 (BEGIN PRIVATE KEY); convert it with"
                      + " 'openssl pkcs8 -topk8 -nocrypt'");
          default -> {
            // other blocks (parameters) are not needed
          }
        }
      }
      if (chain.isEmpty() || keys.isEmpty()) {
        throw new IOException(pem + ": expected a certificate and a PKCS#8 private key");
      }
      PrivateKey key = key(keys.getFirst());
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry("web", key, PASSWORD.toCharArray(), chain.toArray(Certificate[]::new));
      return ks;
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IOException(pem + ": " + e.getMessage(), e);
    }
  }

  private static PrivateKey key(byte[] der) throws GeneralSecurityException {
    GeneralSecurityException last = null;
    for (String alg : List.of("EC", "RSA", "Ed25519", "Ed448")) {
      try {
        return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        last = e;
      }
    }
    throw new GeneralSecurityException("the private key is not EC, RSA or EdDSA", last);
  }
}
