package dev.vigil.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Server TLS from the combined certificate-and-key PEM files Falco's webserver takes. */
class TlsContextsTest {
  @TempDir static Path dir;
  static String cert;
  static String key;

  @BeforeAll
  static void makeACertificate() throws Exception {
    Process p =
        new ProcessBuilder(
                List.of(
                    "openssl",
                    "req",
                    "-x509",
                    "-newkey",
                    "ec",
                    "-pkeyopt",
                    "ec_paramgen_curve:P-256",
                    "-nodes",
                    "-days",
                    "2",
                    "-subj",
                    "/CN=localhost",
                    "-keyout",
                    "k.pem",
                    "-out",
                    "c.pem"))
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    cert = Files.readString(dir.resolve("c.pem"));
    key = Files.readString(dir.resolve("k.pem"));
  }

  @Test
  void aCombinedFileWorksWithTheKeyAfterOrBeforeTheCertificate() throws Exception {
    for (String combined : List.of(cert + key, key + cert, "# comment\n" + cert + "\n" + key)) {
      Path f = dir.resolve("combined.pem");
      Files.writeString(f, combined);
      assertThat(TlsContexts.server(f).getProtocol()).isEqualTo("TLS");
      assertThat(TlsContexts.certificates(combined)).hasSize(1);
    }
  }

  @Test
  void aFileWithoutACertificateOrKeySaysWhich() throws Exception {
    Path onlyKey = dir.resolve("key-only.pem");
    Files.writeString(onlyKey, key);
    assertThatThrownBy(() -> TlsContexts.server(onlyKey))
        .isInstanceOf(OutputException.class)
        .hasMessageContaining("no certificate");
    Path onlyCert = dir.resolve("cert-only.pem");
    Files.writeString(onlyCert, cert);
    assertThatThrownBy(() -> TlsContexts.server(onlyCert))
        .isInstanceOf(OutputException.class)
        .hasMessageContaining("private key");
  }
}
