package dev.vigil.posture.cluster;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * PEM certificates and private keys as kubeconfigs and {@code kubeadm} write them: certificates
 * ({@code CERTIFICATE}, possibly several), keys as PKCS#8 ({@code PRIVATE KEY}), PKCS#1 RSA ({@code
 * RSA PRIVATE KEY}) or SEC1 EC ({@code EC PRIVATE KEY}, possibly after an {@code EC PARAMETERS}
 * block). PKCS#1 and SEC1 keys are wrapped into PKCS#8 for the JDK's key factories. Encrypted keys
 * are refused with a clear message.
 */
public final class Pem {
  private Pem() {}

  /** A PEM block: its label and decoded bytes. */
  static final class Block {
    private final String label;
    private final byte[] der;

    Block(String label, byte[] der) {
      this.label = label;
      this.der = der;
    }

    String label() {
      return label;
    }

    byte[] der() {
      return der;
    }
  }

  /** Bad PEM input; {@code getMessage()} says what and where (the caller adds the file). */
  public static final class PemException extends Exception {
    private static final long serialVersionUID = 1L;

    PemException(String message) {
      super(message);
    }
  }

  public static List<X509Certificate> certificates(byte[] pem) throws PemException {
    List<X509Certificate> certs = new ArrayList<>();
    CertificateFactory cf;
    try {
      cf = CertificateFactory.getInstance("X.509");
    } catch (CertificateException e) {
      throw new IllegalStateException(e);
    }
    for (Block b : blocks(pem)) {
      if (!b.label().equals("CERTIFICATE")) {
        continue;
      }
      try {
        certs.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(b.der())));
      } catch (CertificateException e) {
        throw new PemException(
            "certificate " + (certs.size() + 1) + " is not valid X.509: " + e.getMessage());
      }
    }
    if (certs.isEmpty()) {
      throw new PemException("no PEM certificate (-----BEGIN CERTIFICATE-----) found");
    }
    return certs;
  }

  public static PrivateKey privateKey(byte[] pem) throws PemException {
    for (Block b : blocks(pem)) {
      switch (b.label()) {
        case "PRIVATE KEY" -> {
          return pkcs8(b.der());
        }
        case "RSA PRIVATE KEY" -> {
          return pkcs8(wrap(RSA_ALGORITHM, b.der()));
        }
        case "EC PRIVATE KEY" -> {
          return pkcs8(wrap(ecAlgorithm(b.der()), b.der()));
        }
        case "ENCRYPTED PRIVATE KEY" ->
            throw new PemException("the private key is encrypted; decrypt it first (openssl pkey)");
        default -> {}
      }
    }
    throw new PemException(
        "no PEM private key (PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY) found");
  }

  static List<Block> blocks(byte[] pem) throws PemException {
    String text = new String(pem, StandardCharsets.US_ASCII);
    List<Block> blocks = new ArrayList<>();
    int at = 0;
    while (true) {
      int begin = text.indexOf("-----BEGIN ", at);
      if (begin < 0) {
        return blocks;
      }
      int labelEnd = text.indexOf("-----", begin + 11);
      if (labelEnd < 0) {
        throw new PemException("PEM header not closed at line " + lineOf(text, begin));
      }
      String label = text.substring(begin + 11, labelEnd);
      String end = "-----END " + label + "-----";
      int endAt = text.indexOf(end, labelEnd);
      if (endAt < 0) {
        throw new PemException(
            "PEM block '" + label + "' at line " + lineOf(text, begin) + " has no " + end);
      }
      String body = text.substring(labelEnd + 5, endAt);
      if (body.contains("Proc-Type:") && body.contains("ENCRYPTED")) {
        throw new PemException(
            "the PEM block '" + label + "' is encrypted; decrypt it first (openssl pkey)");
      }
      try {
        blocks.add(new Block(label, Base64.getMimeDecoder().decode(body.strip())));
      } catch (IllegalArgumentException e) {
        throw new PemException(
            "PEM block '" + label + "' at line " + lineOf(text, begin) + " is not base64");
      }
      at = endAt + end.length();
    }
  }

  private static int lineOf(String text, int index) {
    int line = 1;
    for (int i = 0; i < index; i++) {
      if (text.charAt(i) == '\n') {
        line++;
      }
    }
    return line;
  }

  private static PrivateKey pkcs8(byte[] der) throws PemException {
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
    for (String alg : List.of("RSA", "EC", "Ed25519", "RSASSA-PSS")) {
      try {
        return KeyFactory.getInstance(alg).generatePrivate(spec);
      } catch (GeneralSecurityException | IllegalArgumentException e) {
        // try the next algorithm
      }
    }
    throw new PemException("the private key is not an RSA, EC or Ed25519 key the JDK can read");
  }

  // AlgorithmIdentifier { rsaEncryption, NULL }
  private static final byte[] RSA_ALGORITHM = {
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
  // OID id-ecPublicKey 1.2.840.10045.2.1
  private static final byte[] EC_PUBLIC_KEY_OID = {
    0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01
  };

  /**
   * The AlgorithmIdentifier for a SEC1 key: id-ecPublicKey with the named curve found in the key's
   * {@code [0] parameters}.
   */
  private static byte[] ecAlgorithm(byte[] sec1) throws PemException {
    Der seq = Der.read(sec1, 0);
    if (seq.tag() != 0x30) {
      throw new PemException("the EC private key is not a DER SEQUENCE");
    }
    int at = seq.contentStart();
    while (at < seq.end()) {
      Der field = Der.read(sec1, at);
      if (field.tag() == 0xa0) {
        Der oid = Der.read(sec1, field.contentStart());
        if (oid.tag() != 0x06) {
          throw new PemException("the EC private key's curve is not a named curve");
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(EC_PUBLIC_KEY_OID);
        body.write(sec1, oid.start(), oid.end() - oid.start());
        return tlv(0x30, body.toByteArray());
      }
      at = field.end();
    }
    throw new PemException("the EC private key does not name its curve");
  }

  /** PrivateKeyInfo { version 0, algorithm, OCTET STRING key }. */
  private static byte[] wrap(byte[] algorithm, byte[] key) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(new byte[] {0x02, 0x01, 0x00});
    body.writeBytes(algorithm);
    body.writeBytes(tlv(0x04, key));
    return tlv(0x30, body.toByteArray());
  }

  private static byte[] tlv(int tag, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
    out.write(tag);
    int n = content.length;
    if (n < 0x80) {
      out.write(n);
    } else if (n < 0x100) {
      out.write(0x81);
      out.write(n);
    } else if (n < 0x10000) {
      out.write(0x82);
      out.write(n >> 8);
      out.write(n);
    } else {
      out.write(0x83);
      out.write(n >> 16);
      out.write(n >> 8);
      out.write(n);
    }
    out.writeBytes(content);
    return out.toByteArray();
  }

  /** One DER element: tag, where it starts, where its content starts, where it ends. */
  private record Der(int tag, int start, int contentStart, int end) {
    static Der read(byte[] b, int at) throws PemException {
      if (at + 2 > b.length) {
        throw new PemException("the key's DER is truncated");
      }
      int tag = b[at] & 0xff;
      int len = b[at + 1] & 0xff;
      int content = at + 2;
      if (len >= 0x80) {
        int n = len & 0x7f;
        if (n == 0 || n > 3 || content + n > b.length) {
          throw new PemException("the key's DER has a bad length");
        }
        len = 0;
        for (int i = 0; i < n; i++) {
          len = (len << 8) | (b[content + i] & 0xff);
        }
        content += n;
      }
      if (content + len > b.length) {
        throw new PemException("the key's DER is truncated");
      }
      return new Der(tag, at, content, content + len);
    }
  }
}
