package dev.vigil.posture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.posture.pss.Level;
import dev.vigil.posture.pss.PsaVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Must-show 2: the inputs of Kubescape's and Polaris's fix pairs, fixed by Vigil, pass the
 * corresponding check (and the whole restricted level and the immutability checks), with golden
 * diffs. docs/posture.md explains where our edits differ from theirs.
 */
class CompetitorPairsTest {
  /** Polaris check to the Vigil checks that must pass after the fix. */
  static final Map<String, List<String>> POLARIS =
      Map.ofEntries(
          Map.entry("dangerousCapabilities", List.of("pss/capabilities_restricted")),
          Map.entry("insecureCapabilities", List.of("pss/capabilities_restricted")),
          Map.entry("hostIPCSet", List.of("pss/hostNamespaces")),
          Map.entry("hostNetworkSet", List.of("pss/hostNamespaces")),
          Map.entry("hostPIDSet", List.of("pss/hostNamespaces")),
          Map.entry("hostPathSet", List.of("pss/hostPathVolumes", "pss/restrictedVolumes")),
          Map.entry("hostPortSet", List.of("pss/hostPorts")),
          Map.entry("hostProcess", List.of("pss/windowsHostProcess")),
          Map.entry("notReadOnlyRootFilesystem", List.of("imm/readOnlyRootFilesystem")),
          Map.entry("privilegeEscalationAllowed", List.of("pss/allowPrivilegeEscalation")),
          Map.entry("procMount", List.of("pss/procMount_restricted")),
          // no Vigil check: imagePullPolicy is not posture (a digest pins the image); its
          // inputs, which have Polaris fix pairs, must still pass restricted and immutability
          Map.entry("pullPolicyNotAlways", List.of()),
          Map.entry("runAsPrivileged", List.of("pss/privileged", "imm/privileged")),
          Map.entry("runAsRootAllowed", List.of("pss/runAsNonRoot", "imm/runAsRoot")));

  static Stream<Arguments> kubescape() throws IOException {
    Path root = Corpus.ROOT.resolve("yaml-autofix-kubescape");
    return Files.readAllLines(root.resolve("MANIFEST.tsv")).stream()
        .skip(1)
        .map(l -> l.substring(0, l.indexOf('\t')))
        .map(p -> Arguments.of(p, root.resolve(p)));
  }

  static Stream<Arguments> polaris() throws IOException {
    List<Arguments> out = new ArrayList<>();
    for (Map.Entry<String, List<String>> e : POLARIS.entrySet()) {
      try (Stream<Path> files =
          Files.list(Corpus.ROOT.resolve("polaris/checks").resolve(e.getKey()))) {
        files
            .filter(f -> f.getFileName().toString().startsWith("failure"))
            .sorted()
            .forEach(
                f -> out.add(Arguments.of(e.getKey() + "/" + f.getFileName(), f, e.getValue())));
      }
    }
    out.sort((a, b) -> String.valueOf(a.get()[0]).compareTo(String.valueOf(b.get()[0])));
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kubescape")
  void kubescapeInputsPassOnceFixed(String name, Path input) throws IOException {
    String text = Corpus.text(input);
    FixRoundTripTest.fixAndCheck(name, text, Level.RESTRICTED, PsaVersion.LATEST);
    Golden.check(
        "kubescape/" + name.replace('/', '-') + ".diff",
        FixRoundTripTest.diff(name, text, Level.RESTRICTED));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("polaris")
  void polarisFailuresPassTheirCheckOnceFixed(String name, Path input, List<String> checks)
      throws IOException {
    String text = Corpus.text(input);
    String fixed = FixRoundTripTest.fixAndCheck(name, text, Level.RESTRICTED, PsaVersion.LATEST);
    Scanner scanner = new Scanner(Scanner.Options.defaults());
    assertThat(
            scanner
                .scan(new dev.vigil.posture.manifest.SourceText(name, fixed))
                .workloads()
                .stream()
                .flatMap(w -> w.findings().stream())
                .filter(f -> checks.contains(f.id())))
        .isEmpty();
    Golden.check(
        "polaris/" + name.replace('/', '-') + ".diff",
        FixRoundTripTest.diff(name, text, Level.RESTRICTED));
  }
}
