package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Must-show 4: bad manifests give a clear, positioned error and exit 1; never a stack trace, a hang
 * or an out-of-memory.
 */
class ScanBadInputTest {
  @TempDir Path dir;

  static Stream<Arguments> cases() {
    return Stream.of(
        bad(
            "invalid YAML",
            "apiVersion: v1\nkind: Pod\nmetadata: {name: [unclosed\n",
            "invalid-yaml",
            ":4:1:"),
        bad("bad indentation", "apiVersion: v1\nkind: Pod\n  metadata: x\n", "invalid-yaml", ":3:"),
        bad(
            "tab indentation",
            "apiVersion: v1\nkind: Pod\nspec:\n\tcontainers: []\n",
            "invalid-yaml",
            ":4:"),
        bad("alias bomb", aliasBomb(), "invalid-yaml", "exceeds the specified max=50"),
        bad("not an object", "- a\n- b\n", "not-an-object", ":1:1:"),
        bad("missing kind", "apiVersion: v1\nmetadata: {name: x}\n", "missing-kind", ":1:1:"),
        bad(
            "missing template",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 1\n",
            "missing-field",
            "Deployment \"web\": missing field 'spec.template'"),
        bad(
            "missing containers",
            "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostNetwork: true\n",
            "missing-field",
            "missing field 'spec.containers'"),
        bad(
            "a string where a boolean belongs",
            """
            apiVersion: v1
            kind: Pod
            metadata: {name: p}
            spec:
              containers:
              - name: c
                image: i
                securityContext:
                  privileged: "true"
            """,
            "wrong-type",
            ":9:19: error: Pod \"p\": spec.containers[0].securityContext.privileged must be a boolean"),
        bad("binary garbage", "\u0000\u0001\u0002 garbage: [", "invalid-yaml", "error"));
  }

  private static Arguments bad(String name, String content, String code, String expect) {
    return Arguments.of(Named.of(name, content), code, expect);
  }

  private static String aliasBomb() {
    StringBuilder sb = new StringBuilder("apiVersion: v1\nkind: List\na0: &a0 [lol]\n");
    for (int i = 1; i <= 12; i++) {
      sb.append("a").append(i).append(": &a").append(i).append(" [");
      for (int k = 0; k < 12; k++) {
        sb.append(k == 0 ? "" : ", ").append("*a").append(i - 1);
      }
      sb.append("]\n");
    }
    return sb.toString();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void badInputIsAClearError(String content, String code, String expect) throws IOException {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(file, content, StandardCharsets.UTF_8);
    Cli.Result r = Cli.run("scan", file.toString());
    assertThat(r.code()).as(r.err()).isEqualTo(ExitCode.FINDINGS);
    assertThat(r.err()).contains("[" + code + "]").contains(expect);
    assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
    Cli.Result json = Cli.run("scan", file.toString(), "--json");
    assertThat(json.code()).isEqualTo(ExitCode.FINDINGS);
    assertThat(json.out()).contains("\"code\" : \"" + code + "\"");
  }

  @Test
  void unknownKindsAreSkippedWithANote() throws IOException {
    Path file = dir.resolve("crd.yaml");
    Files.writeString(
        file,
        "apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: {name: r}\n---\nkind: Service\napiVersion: v1\n");
    Cli.Result r = Cli.run("scan", file.toString());
    assertThat(r.code()).isEqualTo(ExitCode.OK);
    assertThat(r.err())
        .contains(":1:1: info: kind Rollout (argoproj.io/v1alpha1) carries no pod template");
  }

  @Test
  void unreadablePathsAreUsageErrors() {
    Cli.Result r = Cli.run("scan", "/nonexistent/app.yaml");
    assertThat(r.code()).isEqualTo(ExitCode.USAGE);
    assertThat(r.err()).startsWith("vigil: cannot open /nonexistent/app.yaml: no such file");
    assertThat(Cli.run("scan", "x.yaml", "--psa-version", "2.0").code()).isEqualTo(ExitCode.USAGE);
  }

  @Test
  void notUtf8() throws IOException {
    Path file = dir.resolve("latin1.yaml");
    Files.write(file, new byte[] {'k', 'i', 'n', 'd', ':', ' ', (byte) 0xe9, '\n'});
    Cli.Result r = Cli.run("scan", file.toString());
    assertThat(r.code()).isEqualTo(ExitCode.FINDINGS);
    assertThat(r.err()).contains("not valid UTF-8");
  }

  /** 100 MB: over the default limit (64 MiB) it is refused at once; 20 MB is scanned. */
  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void hundredMegabyteFiles() throws IOException {
    Path file = dir.resolve("big.yaml");
    String doc =
        "---\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n"
            + "  - name: c\n    image: registry.example.com/app@sha256:"
            + "0".repeat(64)
            + "\n    securityContext: {allowPrivilegeEscalation: false, readOnlyRootFilesystem: true,"
            + " runAsNonRoot: true, capabilities: {drop: [ALL]}, seccompProfile: {type: RuntimeDefault}}\n";
    byte[] bytes = doc.getBytes(StandardCharsets.UTF_8);
    long n = 0;
    try (OutputStream out = Files.newOutputStream(file)) {
      while (n < 100L * 1024 * 1024) {
        out.write(bytes);
        n += bytes.length;
      }
    }
    Cli.Result big = Cli.run("scan", file.toString());
    assertThat(big.code()).isEqualTo(ExitCode.FINDINGS);
    assertThat(big.err())
        .contains(
            file
                + ": error: the input is 100.0 MiB, over the limit of 64 MiB (raise it with"
                + " --max-file-size) [too-large]");
    Path smaller = dir.resolve("smaller.yaml");
    Files.writeString(smaller, doc.repeat(20 * 1024 * 1024 / bytes.length));
    Cli.Result full = Cli.run("scan", smaller.toString());
    assertThat(full.code()).as(full.err()).isEqualTo(ExitCode.OK);
    assertThat(full.out())
        .contains(20 * 1024 * 1024 / bytes.length + " workloads in 1 file: 0 errors, 0 warnings");
  }

  @Test
  void oneHugeDocumentIsRefusedWithItsPosition() throws IOException {
    Path file = dir.resolve("huge.yaml");
    Files.writeString(
        file, "apiVersion: v1\nkind: Pod\nmetadata:\n  name: \"" + "x".repeat(10_000_000) + "\"\n");
    Cli.Result r = Cli.run("scan", file.toString());
    assertThat(r.code()).isEqualTo(ExitCode.FINDINGS);
    assertThat(r.err()).contains("[invalid-yaml]").contains("document 1");
  }
}
