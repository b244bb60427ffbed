package dev.vigil.posture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.posture.manifest.ReadResult;
import dev.vigil.posture.pss.CheckResult;
import dev.vigil.posture.pss.Level;
import dev.vigil.posture.pss.PodSecurity;
import dev.vigil.posture.pss.PsaVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Must-show 1: every one of Pod Security Admission's 4,537 fixtures gets PSA's verdict at its level
 * and version, with the reason PSA's own test requires, and exactly the failing checks listed in
 * the corpus index.
 */
class PsaFixturesTest {
  private static final Path PSA = Corpus.ROOT.resolve("psa");

  static Stream<Arguments> fixtures() throws IOException {
    return Files.readAllLines(PSA.resolve("INDEX.tsv")).stream()
        .skip(1)
        .map(l -> l.split("\t", -1)) // -1 keeps empty columns
        .map(f -> Arguments.of(f[6], f[0], f[1], f[2], f[4], f[5]));
  }

  @Test
  void theIndexHasAllFixtures() throws IOException {
    assertThat(fixtures().count()).isEqualTo(4537);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void psaVerdict(
      String path, String level, String version, String expect, String reason, String derived) {
    ReadResult r = Corpus.read(PSA.resolve(path));
    assertThat(r.problems()).isEmpty();
    assertThat(r.workloads()).hasSize(1);
    List<CheckResult> failures =
        PodSecurity.evaluate(
            r.workloads().getFirst(),
            Level.valueOf(level.toUpperCase(Locale.ROOT)),
            PsaVersion.parse(version).orElseThrow());
    String message =
        PodSecurity.message(
            failures,
            Level.valueOf(level.toUpperCase(Locale.ROOT)),
            PsaVersion.parse(version).orElseThrow());
    if (expect.equals("pass")) {
      assertThat(failures).as(message).isEmpty();
      return;
    }
    assertThat(failures).as("expected a denial").isNotEmpty();
    if (!reason.isEmpty()) {
      assertThat(message).contains(reason);
    }
    List<String> expected = Arrays.stream(derived.split(",")).sorted().toList();
    assertThat(failures.stream().map(CheckResult::id).sorted().toList())
        .as(message)
        .isEqualTo(expected);
  }
}
