package dev.vigil.k8saudit.policy.load;

import dev.vigil.k8saudit.policy.KubeVersion;
import dev.vigil.k8saudit.policy.Policy;
import java.util.List;
import java.util.Optional;

/**
 * What loading a policy file gave: kube-apiserver's verdict and log lines, the leniently decoded
 * policy (when decoding got that far) and every problem found, with positions.
 *
 * @param file the file name as given
 * @param version the kube-apiserver version emulated
 * @param verdict whether kube-apiserver starts with it
 * @param warnings what kube-apiserver logs as warnings while loading, verbatim
 * @param raw the decoded policy, when the document could be decoded
 * @param problems everything found, in file order of discovery
 */
public record LoadReport(
    String file,
    KubeVersion version,
    Verdict verdict,
    List<String> warnings,
    Optional<RawPolicy> raw,
    List<Problem> problems) {
  public LoadReport {
    warnings = List.copyOf(warnings);
    problems = List.copyOf(problems);
  }

  /** kube-apiserver's verdict. */
  public sealed interface Verdict {}

  /** kube-apiserver starts with this policy. */
  public record Loads(Policy policy) implements Verdict {}

  /**
   * kube-apiserver refuses to start.
   *
   * @param error the loader's error ({@code LoadPolicyFromBytes})
   * @param message what kube-apiserver prints before exiting
   */
  public record Refuses(String error, String message) implements Verdict {}

  /** Vigil did not evaluate the file (it exceeds Vigil's limits). */
  public record NotRead(String reason) implements Verdict {}

  /** The loaded policy, if kube-apiserver would start with it. */
  public Optional<Policy> policy() {
    return verdict instanceof Loads l ? Optional.of(l.policy()) : Optional.empty();
  }

  /** {@code loads}, {@code loads with warnings}, {@code refuses to start} or {@code not read}. */
  public String outcome() {
    return switch (verdict) {
      case Loads l -> warnings.isEmpty() ? "loads" : "loads with warnings";
      case Refuses r -> "refuses to start";
      case NotRead n -> "not read";
    };
  }
}
