package dev.vigil.posture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.posture.fix.Fixer;
import dev.vigil.posture.fix.UnifiedDiff;
import dev.vigil.posture.fix.WritablePaths;
import dev.vigil.posture.manifest.SourceText;
import dev.vigil.posture.pss.PsaVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code vigil scan --fix --diff} prints diffs that a real patch tool applies: {@code git apply}
 * turns each input into exactly the fixed text, also for CRLF files and files without a final line
 * break (which need {@code diff -u}'s "\ No newline at end of file").
 */
class DiffAppliesTest {
  @TempDir Path dir;

  /** Our own fix cases, Kubescape's fix inputs and Polaris's failing fixtures. */
  static Stream<Path> inputs() throws IOException {
    List<Path> out = new ArrayList<>();
    out.addAll(files(Path.of("src/test/resources/fix"), ""));
    out.addAll(files(Corpus.ROOT.resolve("yaml-autofix-kubescape"), "-input"));
    out.addAll(files(Corpus.ROOT.resolve("polaris/checks"), "failure"));
    assertThat(out).hasSizeGreaterThan(60);
    return out.stream();
  }

  private static List<Path> files(Path root, String nameHas) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile)
          .filter(p -> p.getFileName().toString().contains(nameHas))
          .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".json"))
          .sorted()
          .toList();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("inputs")
  void gitApplyGivesTheFixedText(Path input) throws IOException, InterruptedException {
    String text = Corpus.text(input);
    String lf = text.replace("\r\n", "\n");
    check(lf.endsWith("\n") ? lf : lf + "\n");
    check(lf.stripTrailing());
    check(lf.replace("\n", "\r\n"));
  }

  private void check(String text) throws IOException, InterruptedException {
    Scanner scanner = new Scanner(Scanner.Options.defaults());
    Fixer.FileFix fix =
        new Fixer(new WritablePaths(List.of()), PsaVersion.LATEST)
            .fix(scanner.scan(new SourceText("in.yaml", text)));
    if (!fix.changed()) {
      return;
    }
    Path file = dir.resolve("in.yaml");
    Files.writeString(file, text, StandardCharsets.UTF_8);
    Path patch = dir.resolve("fix.patch");
    Files.writeString(
        patch, UnifiedDiff.diff("in.yaml", text, fix.edits()), StandardCharsets.UTF_8);
    Process p =
        new ProcessBuilder("git", "apply", "-p0", "--whitespace=nowarn", patch.toString())
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("git apply: %s%n%s", output, Files.readString(patch)).isZero();
    assertThat(Files.readString(file, StandardCharsets.UTF_8)).isEqualTo(fix.fixed());
  }
}
