package dev.vigil.posture;

/**
 * One finding about a workload.
 *
 * @param id the check: {@code pss/<PSA check ID>} or {@code imm/<name>}
 * @param severity error for Pod Security violations at the chosen level
 * @param title a short name of what is wrong
 * @param message what exactly is wrong; for Pod Security, PSA's own {@code reason (detail)}
 * @param location where in the input (file:line:col)
 * @param workload {@code Kind/name} or {@code Kind/namespace/name}
 * @param why why it matters
 * @param fix how to fix it (and whether {@code --fix} does)
 * @param exemption why it is exempted ("" when it is not)
 */
public record Finding(
    String id,
    Severity severity,
    String title,
    String message,
    Location location,
    String workload,
    String why,
    String fix,
    String exemption) {

  public boolean exempted() {
    return !exemption.isEmpty();
  }

  public Finding exempt(String reason) {
    return new Finding(
        id,
        severity,
        title,
        message,
        location,
        workload,
        why,
        fix,
        reason.isEmpty() ? "exempted" : reason);
  }
}
