package dev.vigil.posture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.posture.manifest.ReadResult;
import dev.vigil.posture.manifest.Workload;
import dev.vigil.posture.pss.CheckResult;
import dev.vigil.posture.pss.Level;
import dev.vigil.posture.pss.PodSecurity;
import dev.vigil.posture.pss.PsaVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Must-show 1, workloads: the Kyverno PSS expectations (Pods, Deployments and CronJobs in
 * multi-document files) hold check by check, which exercises pod-template extraction.
 */
class KyvernoPssTest {
  private static final Path ROOT = Corpus.ROOT.resolve("kyverno-pss");

  /** Kyverno policy (and rule, where one policy is two PSA conditions) to the PSA check. */
  private static final Map<String, String> CHECK =
      Map.ofEntries(
          Map.entry("disallow-capabilities", "capabilities_baseline"),
          Map.entry("disallow-host-namespaces", "hostNamespaces"),
          Map.entry("disallow-host-path", "hostPathVolumes"),
          Map.entry("disallow-host-ports", "hostPorts"),
          Map.entry("disallow-host-process", "windowsHostProcess"),
          Map.entry("disallow-privileged-containers", "privileged"),
          Map.entry("disallow-proc-mount", "procMount"),
          Map.entry("disallow-selinux", "seLinuxOptions"),
          Map.entry("restrict-apparmor-profiles", "appArmorProfile"),
          Map.entry("restrict-seccomp", "seccompProfile_baseline"),
          Map.entry("restrict-sysctls", "sysctls"),
          Map.entry("disallow-capabilities-strict", "capabilities_restricted"),
          Map.entry("disallow-privilege-escalation", "allowPrivilegeEscalation"),
          Map.entry("require-run-as-non-root-user", "runAsUser"),
          Map.entry("require-run-as-nonroot", "runAsNonRoot"),
          Map.entry("restrict-seccomp-strict", "seccompProfile_restricted"),
          Map.entry("restrict-volume-types", "restrictedVolumes"));

  private static final Map<Path, ReadResult> READ = new java.util.concurrent.ConcurrentHashMap<>();

  @SuppressWarnings("unchecked")
  static Stream<Arguments> expectations() throws IOException {
    List<Arguments> out = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(ROOT.resolve("baseline"))) {
      List<Path> all = new ArrayList<>(dirs.toList());
      try (Stream<Path> r = Files.list(ROOT.resolve("restricted"))) {
        all.addAll(r.toList());
      }
      for (Path dir : all.stream().sorted().toList()) {
        if (!Files.isDirectory(dir)) {
          continue;
        }
        Map<String, Object> test =
            (Map<String, Object>)
                new Load(LoadSettings.builder().build())
                    .loadFromString(Corpus.text(dir.resolve("kyverno-test.yaml")));
        for (Map<String, Object> r :
            (List<Map<String, Object>>) Objects.requireNonNull(test.get("results"))) {
          String policy = (String) r.get("policy");
          if (!CHECK.containsKey(policy)) {
            continue; // disallow-host-ports-range has no PSS equivalent
          }
          for (String name : (List<String>) Objects.requireNonNull(r.get("resources"))) {
            out.add(
                Arguments.of(
                    Objects.requireNonNull(dir.getParent()).getFileName()
                        + "/"
                        + policy
                        + "/"
                        + r.get("rule"),
                    dir,
                    (String) r.get("kind"),
                    name,
                    (String) r.get("rule"),
                    (String) r.get("result")));
          }
        }
      }
    }
    return out.stream();
  }

  @Test
  void allExpectationsAreCounted() throws IOException {
    assertThat(expectations().count()).isEqualTo(877);
  }

  @ParameterizedTest(name = "{0} {2}/{3} {5}")
  @MethodSource("expectations")
  void expectationHolds(
      String label, Path dir, String kind, String name, String rule, String result) {
    ReadResult read = READ.computeIfAbsent(dir, d -> Corpus.read(d.resolve("resource.yaml")));
    assertThat(read.problems()).isEmpty();
    Workload w =
        read.workloads().stream()
            .filter(x -> x.kind().equals(kind) && x.name().equals(name))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    String policy = label.substring(label.indexOf('/') + 1, label.lastIndexOf('/'));
    String check = CHECK.get(policy);
    Level level = label.startsWith("restricted") ? Level.RESTRICTED : Level.BASELINE;
    Optional<CheckResult> failure =
        PodSecurity.evaluate(w, level, PsaVersion.LATEST).stream()
            .filter(f -> f.id().equals(check))
            .filter(f -> matchesRule(rule, f))
            .findFirst();
    assertThat(failure.isPresent())
        .as("%s %s: %s", kind, name, failure.map(CheckResult::message).orElse("allowed"))
        .isEqualTo(result.equals("fail"));
  }

  /** disallow-capabilities-strict is two rules for the two halves of capabilities_restricted. */
  private static boolean matchesRule(String rule, CheckResult f) {
    return switch (rule) {
      case "require-drop-all" -> f.detail().contains("must set securityContext.capabilities.drop");
      case "adding-capabilities-strict" -> f.detail().contains("must not include");
      default -> true;
    };
  }
}
