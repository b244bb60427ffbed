package dev.vigil.posture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.posture.checks.Immutability;
import dev.vigil.posture.fix.Fixer;
import dev.vigil.posture.fix.UnifiedDiff;
import dev.vigil.posture.fix.WritablePaths;
import dev.vigil.posture.manifest.SourceText;
import dev.vigil.posture.pss.Level;
import dev.vigil.posture.pss.PsaVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Must-show 2: every fixed manifest passes the scan at its target level, and its immutability
 * findings are gone (all but image pinning, which needs a digest Vigil cannot know).
 */
class FixRoundTripTest {
  static final List<String> UNFIXABLE = List.of(Immutability.MUTABLE_TAG);

  static Stream<Arguments> psaFailures() throws IOException {
    return Files.readAllLines(Corpus.ROOT.resolve("psa/INDEX.tsv")).stream()
        .skip(1)
        .map(l -> l.split("\t", -1)) // -1 keeps empty columns
        .filter(f -> f[2].equals("fail"))
        .map(f -> Arguments.of(f[6], f[0], f[1]));
  }

  /** Fixes {@code text} and returns the fixed text after checking that it scans clean. */
  static String fixAndCheck(String name, String text, Level level, PsaVersion version) {
    Scanner scanner = new Scanner(new Scanner.Options(level, version, Exemptions.NONE));
    Scanner.FileResult before = scanner.scan(new SourceText(name, text));
    Fixer.FileFix fix = new Fixer(new WritablePaths(List.of()), version).fix(before);
    Scanner.FileResult after = scanner.scan(new SourceText(name, fix.fixed()));
    // the fix adds no problem (some competitor fixtures lack container names: those stay)
    assertThat(after.problems().stream().map(Problem::message).toList())
        .as("the fixed text reads as cleanly as the input:\n%s", fix.fixed())
        .isEqualTo(before.problems().stream().map(Problem::message).toList());
    assertThat(after.workloads()).hasSameSizeAs(before.workloads());
    for (Scanner.WorkloadResult r : after.workloads()) {
      assertThat(r.findings())
          .as("fixed:\n%s", fix.fixed())
          .filteredOn(f -> !f.exempted() && !UNFIXABLE.contains(f.id()))
          .filteredOn(f -> f.severity() != Severity.INFO || f.id().startsWith("pss/"))
          .isEmpty();
    }
    return fix.fixed();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("psaFailures")
  void everyFailingPsaFixturePassesOnceFixed(String path, String level, String version) {
    Path file = Corpus.ROOT.resolve("psa").resolve(path);
    fixAndCheck(
        path,
        Corpus.text(file),
        Level.valueOf(level.toUpperCase(Locale.ROOT)),
        PsaVersion.parse(version).orElseThrow());
  }

  static String diff(String name, String text, Level level) {
    Scanner scanner = new Scanner(new Scanner.Options(level, PsaVersion.LATEST, Exemptions.NONE));
    Fixer.FileFix fix =
        new Fixer(new WritablePaths(List.of()), PsaVersion.LATEST)
            .fix(scanner.scan(new SourceText(name, text)));
    return UnifiedDiff.diff(name, text, fix.edits());
  }

  static Stream<Path> ownCases() throws IOException {
    try (Stream<Path> s = Files.list(Path.of("src/test/resources/fix"))) {
      return s.sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ownCases")
  void ownCasesGiveTheGoldenDiff(Path input) throws IOException {
    String text = Corpus.text(input);
    fixAndCheck(input.getFileName().toString(), text, Level.RESTRICTED, PsaVersion.LATEST);
    Golden.check(
        "fix/" + input.getFileName() + ".diff",
        diff(input.getFileName().toString(), text, Level.RESTRICTED));
  }
}
