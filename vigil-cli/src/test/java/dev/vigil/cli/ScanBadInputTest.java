package dev.vigil.cli;

import static java.nio.file.StandardOpenOption.APPEND;
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
    Files.write(
        file,
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: caf\u00e9-\u00e9\n"
            .getBytes(StandardCharsets.ISO_8859_1));
    Cli.Result r = Cli.run("scan", file.toString());
    assertThat(r.code()).isEqualTo(ExitCode.FINDINGS);
    assertThat(r.err())
        .contains(file + ":4:12: error: document 1: the input is not valid UTF-8 [not-utf8]");
    Files.writeString(file, "kind: Pod\n", StandardCharsets.UTF_8);
    Files.write(file, new byte[] {'-', '-', '-', '\n', 'a', ':', ' ', (byte) 0xff}, APPEND);
    assertThat(Cli.run("scan", file.toString()).err())
        .contains(file + ":3:4: error: document 2: the input is not valid UTF-8 [not-utf8]");
  }

  /**
   * 100 MB of documents: read as a stream, one document at a time, so it is scanned in full within
   * a 64 MiB heap (in a JVM of its own); {@code --max-file-size} refuses it at once with a clear
   * error.
   */
  @Test
  @Timeout(value = 300, unit = TimeUnit.SECONDS)
  void hundredMegabyteFiles() throws IOException, InterruptedException {
    Path file = dir.resolve("big.yaml");
    String doc =
        "---\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n"
            + "  - name: c\n    image: registry.example.com/app@sha256:"
            + "0".repeat(64)
            + "\n    securityContext: {allowPrivilegeEscalation: false, readOnlyRootFilesystem: true,"
            + " runAsNonRoot: true, capabilities: {drop: [ALL]}, seccompProfile: {type: RuntimeDefault}}\n";
    byte[] bytes = doc.getBytes(StandardCharsets.UTF_8);
    long n = 0;
    int docs = 0;
    try (OutputStream out = Files.newOutputStream(file)) {
      while (n < 100L * 1000 * 1000) {
        out.write(bytes);
        n += bytes.length;
        docs++;
      }
    }
    Cli.Result refused = Cli.run("scan", file.toString(), "--max-file-size", "64");
    assertThat(refused.code()).isEqualTo(ExitCode.FINDINGS);
    assertThat(refused.err())
        .contains(
            file
                + ": error: the input is 95.4 MiB, over the limit of 64 MiB (raise it with"
                + " --max-file-size) [too-large]");

    Path log = dir.resolve("scan.out");
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m",
                "-XX:+UseSerialGC",
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "scan",
                file.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    assertThat(p.waitFor(280, TimeUnit.SECONDS)).isTrue();
    String output = Files.readString(log);
    assertThat(p.exitValue()).as(output).isEqualTo(ExitCode.OK);
    assertThat(output)
        .contains(docs + " workloads in 1 file: 0 errors, 0 warnings")
        .doesNotContain("OutOfMemoryError");
  }

  /** One line of 100 MB, with no line break: refused as a document over the limit. */
  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void oneHundredMegabyteLine() throws IOException {
    Path file = dir.resolve("line.yaml");
    byte[] chunk = "x".repeat(1 << 20).getBytes(StandardCharsets.UTF_8);
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write("kind: ".getBytes(StandardCharsets.UTF_8));
      for (int i = 0; i < 100; i++) {
        out.write(chunk);
      }
    }
    Cli.Result r = Cli.run("scan", file.toString());
    assertThat(r.code()).isEqualTo(ExitCode.FINDINGS);
    assertThat(r.err())
        .contains(file + ":1:1: error: document 1: The incoming YAML document exceeds the limit")
        .doesNotContain("Exception");
  }

  /** Nesting deeper than any stack: an error where it goes too deep, at once. */
  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void deepNesting() throws IOException {
    Path file = dir.resolve("deep.yaml");
    int depth = 1_000_000;
    Files.writeString(
        file, "apiVersion: v1\nkind: Pod\nspec: " + "[".repeat(depth) + "]".repeat(depth) + "\n");
    Cli.Result r = Cli.run("scan", file.toString());
    assertThat(r.code()).isEqualTo(ExitCode.FINDINGS);
    assertThat(r.err())
        .contains(
            file + ":3:1006: error: document 1 is nested more than 1000 levels deep [too-deep]")
        .doesNotContain("Exception");
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
