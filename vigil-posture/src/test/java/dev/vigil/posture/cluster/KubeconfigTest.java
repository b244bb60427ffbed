package dev.vigil.posture.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kubeconfig errors name the file, line and column; PEM keys in every common format load. */
class KubeconfigTest {
  @TempDir Path dir;

  Path write(String name, String text) throws Exception {
    Path f = dir.resolve(name);
    Files.writeString(f, text);
    return f;
  }

  String connectError(String text, String context) throws Exception {
    Path f = write("config", text);
    try {
      Kubeconfig.read(List.of(f)).connect(context);
    } catch (Kubeconfig.KubeconfigException e) {
      return String.valueOf(e.getMessage()).replace(f.toString(), "config");
    }
    throw new AssertionError("no error");
  }

  static final String BASE =
      """
      current-context: a
      clusters:
      - name: c
        cluster:
          server: https://10.0.0.1:6443
          insecure-skip-tls-verify: true
      contexts:
      - name: a
        context:
          cluster: c
          user: u
      users:
      - name: u
        user:
      """;

  @Test
  void invalidYamlHasAPosition() throws Exception {
    assertThat(connectError("clusters:\n- name: c\n  cluster: {server: [\n", ""))
        .startsWith("config:4:1: invalid YAML:");
  }

  @Test
  void unknownContextListsTheKnownOnes() throws Exception {
    assertThat(connectError(BASE + "    token: t\n", "prod"))
        .isEqualTo("context 'prod' is not in the kubeconfig (contexts: a)");
  }

  @Test
  void undefinedClusterAndUserArePositioned() throws Exception {
    assertThat(connectError(BASE.replace("cluster: c\n    user", "cluster: d\n    user"), ""))
        .isEqualTo("config:10:14: context 'a' names cluster 'd', which is not defined");
    assertThat(connectError(BASE.replace("user: u\nusers", "user: v\nusers"), ""))
        .isEqualTo("config:11:11: context 'a' names user 'v', which is not defined");
  }

  @Test
  void credentialPluginsAreRefusedClearly() throws Exception {
    assertThat(connectError(BASE + "    exec:\n      command: aws\n", ""))
        .isEqualTo(
            "config:16:7: user uses a credential plugin (exec), which vigil does not run; give it"
                + " a token, tokenFile or client certificate");
  }

  @Test
  void certificateWithoutKeyAndBadPem() throws Exception {
    assertThat(connectError(BASE + "    client-certificate-data: AAAA\n", ""))
        .isEqualTo("config:15:5: user has a client-certificate but no client-key");
    String junk =
        java.util.Base64.getEncoder().encodeToString("not pem".getBytes(StandardCharsets.US_ASCII));
    assertThat(
            connectError(
                BASE
                    + "    client-certificate-data: "
                    + junk
                    + "\n    client-key-data: "
                    + junk
                    + "\n",
                ""))
        .contains("no PEM certificate");
    assertThat(connectError(BASE + "    tokenFile: missing-token\n", ""))
        .startsWith("config:15:16: cannot read tokenFile ")
        .endsWith("missing-token: no such file");
  }

  @Test
  void serverMustBeAUrl() throws Exception {
    assertThat(
            connectError(
                BASE.replace("https://10.0.0.1:6443", "10.0.0.1:6443") + "    token: t\n", ""))
        .startsWith("config:5:13: server must be an https:// URL");
  }

  @Test
  void noCurrentContext() throws Exception {
    assertThat(connectError(BASE.replace("current-context: a\n", "") + "    token: t\n", ""))
        .isEqualTo("the kubeconfig has no current-context; name one with --context (contexts: a)");
  }

  @Test
  void kubeconfigListMergesFirstWins() throws Exception {
    Path a = write("a", "current-context: one\ncontexts: [{name: one, context: {cluster: c}}]\n");
    Path b =
        write(
            "b", "current-context: two\nclusters: [{name: c, cluster: {server: 'https://b:1'}}]\n");
    List<Path> files =
        Kubeconfig.files(
            "",
            a + java.io.File.pathSeparator + dir.resolve("absent") + java.io.File.pathSeparator + b,
            "/home/x");
    Kubeconfig k = Kubeconfig.read(files);
    assertThat(k.currentContext()).isEqualTo("one");
    Connection c = k.connect("");
    assertThat(c.server().toString()).isEqualTo("https://b:1");
    assertThat(c.namespace()).isEqualTo("default");
    assertThat(c.token()).isEmpty();
    assertThat(Kubeconfig.files("", null, "/home/x"))
        .containsExactly(Path.of("/home/x/.kube/config"));
  }

  @Test
  void missingKubeconfig() {
    assertThatThrownBy(() -> Kubeconfig.read(List.of(dir.resolve("nope"))))
        .hasMessageEndingWith("nope: cannot read kubeconfig: no such file");
  }

  @Test
  void pemKeysOfEveryFormat() throws Exception {
    Path pki = FakeApiServer.PKI;
    assertThat(Pem.privateKey(Files.readAllBytes(pki.resolve("client-rsa.key"))).getAlgorithm())
        .isEqualTo("RSA");
    assertThat(Pem.privateKey(Files.readAllBytes(pki.resolve("client-ec.key"))).getAlgorithm())
        .isEqualTo("EC");
    assertThat(Pem.privateKey(Files.readAllBytes(pki.resolve("client-p8.key"))).getAlgorithm())
        .isEqualTo("EC");
    assertThat(Pem.privateKey(Files.readAllBytes(pki.resolve("server.key"))).getAlgorithm())
        .isEqualTo("RSA");
    assertThatThrownBy(() ->
            Pem.privateKey(
                "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n"
                    .getBytes(StandardCharsets.US_ASCII)))
        .hasMessageContaining("encrypted");
    assertThatThrownBy(() ->
            Pem.certificates(
                "-----BEGIN CERTIFICATE-----\nAAAA\n".getBytes(StandardCharsets.US_ASCII)))
        .hasMessageContaining("has no -----END CERTIFICATE-----");
  }
}
