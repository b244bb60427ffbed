package dev.vigil.posture.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.posture.Exemptions;
import dev.vigil.posture.Finding;
import dev.vigil.posture.Problem;
import dev.vigil.posture.Scanner;
import dev.vigil.posture.fix.Fixer;
import dev.vigil.posture.fix.JsonPatch;
import dev.vigil.posture.fix.UnifiedDiff;
import dev.vigil.posture.fix.WritablePaths;
import dev.vigil.posture.pss.Level;
import dev.vigil.posture.pss.PsaVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the user sees does not depend on the fast composer: every input of {@link
 * FastYamlTest#files()} (the whole shared corpus, our test manifests and the bundled rules) and its
 * CRLF and comment variants, plus the hand-written edge cases, are scanned and fixed once with the
 * fast composer and once with snakeyaml-engine alone, at restricted and at baseline; the findings,
 * PSA messages, problems, positions, fixed text, diffs and JSON Patches must be identical.
 */
class FastPathScanTest {
  private static final int MAX = 8 * 1024 * 1024;
  private static final ManifestReader FAST = new ManifestReader(MAX, true);
  private static final ManifestReader SLOW = new ManifestReader(MAX, false);

  static List<Path> files() throws IOException {
    return FastYamlTest.files().toList();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("files")
  void sameResultsWithAndWithoutTheFastComposer(Path file) throws IOException {
    String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    Random random = new Random(file.toString().hashCode());
    compare(file.toString(), text);
    compare(file + " (CRLF)", text.replace("\n", "\r\n"));
    compare(file + " (comments)", commented(text, random));
  }

  @Test
  void sameResultsOnTheEdgeCases() throws IOException {
    String cases =
        Files.readString(Path.of("src/test/resources/fastyaml/cases.yaml"), StandardCharsets.UTF_8);
    for (String c : cases.split("\n#=+\n", -1)) {
      compare("case:\n" + c, c);
    }
  }

  /** Comments at random places, at random indentation: they must change nothing. */
  private static String commented(String text, Random random) {
    StringBuilder b = new StringBuilder();
    for (String line : text.split("\n", -1)) {
      if (random.nextInt(4) == 0) {
        b.append(" ".repeat(random.nextInt(10))).append("# note\n");
      }
      b.append(line).append('\n');
    }
    b.setLength(b.length() - 1);
    return b.toString();
  }

  private static void compare(String name, String text) {
    for (Level level : List.of(Level.RESTRICTED, Level.BASELINE)) {
      String fast = describe(FAST, level, text);
      String slow = describe(SLOW, level, text);
      assertThat(fast).as("%s at %s", name, level).isEqualTo(slow);
    }
  }

  /** Everything the command prints about an input, in one string. */
  private static String describe(ManifestReader reader, Level level, String text) {
    Scanner scanner =
        new Scanner(new Scanner.Options(level, PsaVersion.LATEST, Exemptions.NONE), reader);
    Scanner.FileResult r = scanner.scan(new SourceText("in.yaml", text));
    StringBuilder b = new StringBuilder();
    b.append("documents ")
        .append(r.read().documents())
        .append(", skipped ")
        .append(r.read().skipped())
        .append('\n');
    for (Problem p : r.problems()) {
      b.append(p).append('\n');
    }
    for (Scanner.WorkloadResult w : r.workloads()) {
      Workload x = w.workload();
      b.append(x.ref())
          .append(' ')
          .append(x.apiVersion())
          .append(' ')
          .append(x.location())
          .append(" doc ")
          .append(x.document())
          .append(' ')
          .append(x.pointer())
          .append(' ')
          .append(x.specPointer())
          .append(" origin=")
          .append(x.origin())
          .append('\n')
          .append(w.psaMessage())
          .append('\n');
      for (Finding f : w.findings()) {
        b.append("  ").append(f).append('\n');
      }
    }
    Fixer.FileFix fix = new Fixer(new WritablePaths(List.of()), PsaVersion.LATEST).fix(r);
    b.append(fix.fixed()).append('\n');
    b.append(UnifiedDiff.diff("in.yaml", text, fix.edits()));
    for (Fixer.WorkloadFix wf : fix.workloads()) {
      b.append(wf.workload()).append(JsonPatch.render(wf.patch())).append(wf.notes());
    }
    return b.toString();
  }
}
