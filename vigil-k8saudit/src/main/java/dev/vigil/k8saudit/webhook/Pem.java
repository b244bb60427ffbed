package dev.vigil.k8saudit.webhook;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads PEM certificates and private keys (the JDK has no public PEM API before 25's preview). */
final class Pem {
  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*)-----END \\1-----");

  private Pem() {}

  /** The certificates of a PEM file, in order; an I/O error or no certificate is an exception. */
  static List<X509Certificate> certificates(Path file) throws IOException {
    List<X509Certificate> out = new ArrayList<>();
    try {
      CertificateFactory cf = CertificateFactory.getInstance("X.509");
      for (Block b : blocks(file)) {
        if (b.type().equals("CERTIFICATE")) {
          out.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(b.der())));
        }
      }
    } catch (GeneralSecurityException e) {
      throw new IOException(file + ": not a valid certificate: " + e.getMessage(), e);
    }
    if (out.isEmpty()) {
      throw new IOException(file + ": no PEM certificate (-----BEGIN CERTIFICATE-----) found");
    }
    return out;
  }

  /** The private key of a PEM file: PKCS#8 ({@code PRIVATE KEY}) or PKCS#1 ({@code RSA ...}). */
  static PrivateKey privateKey(Path file) throws IOException {
    for (Block b : blocks(file)) {
      switch (b.type()) {
        case "PRIVATE KEY" -> {
          return pkcs8(file, b.der());
        }
        case "RSA PRIVATE KEY" -> {
          return pkcs8(file, wrapPkcs1(b.der()));
        }
        case "EC PRIVATE KEY", "ENCRYPTED PRIVATE KEY" ->
            throw new IOException(
                file
                    + ": "
                    + b.type()
                    + " is not supported; convert it with"
                    + " 'openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8'");
        default -> {}
      }
    }
    throw new IOException(file + ": no PEM private key (-----BEGIN PRIVATE KEY-----) found");
  }

  /** Whether {@code key} is the private half of {@code pub}: a signature made with one verifies. */
  static boolean matches(PrivateKey key, PublicKey pub) {
    String alg =
        switch (key.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          case "Ed25519", "EdDSA" -> "Ed25519";
          default -> "";
        };
    if (alg.isEmpty()) {
      return key.getAlgorithm().equals(pub.getAlgorithm());
    }
    try {
      byte[] probe = "vigil key check".getBytes(StandardCharsets.US_ASCII);
      Signature s = Signature.getInstance(alg);
      s.initSign(key);
      s.update(probe);
      byte[] sig = s.sign();
      Signature v = Signature.getInstance(alg);
      v.initVerify(pub);
      v.update(probe);
      return v.verify(sig);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static PrivateKey pkcs8(Path file, byte[] der) throws IOException {
    for (String alg : List.of("RSA", "EC", "Ed25519", "RSASSA-PSS")) {
      try {
        return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        // try the next algorithm
      }
    }
    throw new IOException(file + ": the private key is not an RSA, EC or Ed25519 key");
  }

  /** PKCS#1 RSAPrivateKey wrapped as a PKCS#8 PrivateKeyInfo. */
  private static byte[] wrapPkcs1(byte[] pkcs1) {
    byte[] version = {0x02, 0x01, 0x00};
    byte[] rsaAlgorithm = {
      0x30,
      0x0d,
      0x06,
      0x09,
      0x2a,
      (byte) 0x86,
      0x48,
      (byte) 0x86,
      (byte) 0xf7,
      0x0d,
      0x01,
      0x01,
      0x01,
      0x05,
      0x00
    };
    byte[] octets = der(0x04, pkcs1);
    byte[] body = new byte[version.length + rsaAlgorithm.length + octets.length];
    System.arraycopy(version, 0, body, 0, version.length);
    System.arraycopy(rsaAlgorithm, 0, body, version.length, rsaAlgorithm.length);
    System.arraycopy(octets, 0, body, version.length + rsaAlgorithm.length, octets.length);
    return der(0x30, body);
  }

  private static byte[] der(int tag, byte[] content) {
    int n = content.length;
    byte[] len;
    if (n < 0x80) {
      len = new byte[] {(byte) n};
    } else if (n < 0x100) {
      len = new byte[] {(byte) 0x81, (byte) n};
    } else if (n < 0x10000) {
      len = new byte[] {(byte) 0x82, (byte) (n >> 8), (byte) n};
    } else {
      len = new byte[] {(byte) 0x83, (byte) (n >> 16), (byte) (n >> 8), (byte) n};
    }
    byte[] out = new byte[1 + len.length + n];
    out[0] = (byte) tag;
    System.arraycopy(len, 0, out, 1, len.length);
    System.arraycopy(content, 0, out, 1 + len.length, n);
    return out;
  }

  @SuppressWarnings("ArrayRecordComponent") // decoded once, never compared
  private record Block(String type, byte[] der) {}

  private static List<Block> blocks(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.ISO_8859_1);
    List<Block> out = new ArrayList<>();
    Matcher m = BLOCK.matcher(text);
    while (m.find()) {
      try {
        out.add(new Block(m.group(1), Base64.getMimeDecoder().decode(m.group(2))));
      } catch (IllegalArgumentException e) {
        throw new IOException(file + ": bad base64 in a PEM " + m.group(1) + " block", e);
      }
    }
    return out;
  }
}
