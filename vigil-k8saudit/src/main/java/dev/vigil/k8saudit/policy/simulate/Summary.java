package dev.vigil.k8saudit.policy.simulate;

import dev.vigil.k8saudit.policy.Level;
import java.util.List;
import java.util.Optional;

/**
 * What replaying logs through a policy (and optionally a second one) gave.
 *
 * @param files input files
 * @param events events read
 * @param eventBytes bytes of those events as logged (uncompressed, with line ends)
 * @param skipped lines or documents that were not readable audit events
 * @param fromObjectRef events without a requestURI, evaluated from their objectRef
 * @param policy the results under the policy
 * @param compare the results under the second policy, with {@code --compare}
 * @param changes with {@code --compare}: events whose level differs between the two
 * @param identities the busiest users (by events read)
 * @param resources the busiest resources (by events read)
 */
public record Summary(
    int files,
    long events,
    long eventBytes,
    long skipped,
    long fromObjectRef,
    Result policy,
    Optional<Result> compare,
    List<LevelChange> changes,
    List<Top> identities,
    List<Top> resources) {
  public Summary {
    changes = List.copyOf(changes);
    identities = List.copyOf(identities);
    resources = List.copyOf(resources);
  }

  /**
   * One policy's outcome.
   *
   * @param rules per rule in order, then the no-match row (rule -1)
   * @param levels per level
   * @param written events that would be written
   * @param writtenBytes the log volume they would make
   * @param underRecorded written events whose recorded level is below the policy's (their bodies
   *     are missing from the input, so the volume is underestimated)
   */
  public record Result(
      List<RuleRow> rules,
      List<LevelRow> levels,
      long written,
      long writtenBytes,
      long underRecorded) {
    public Result {
      rules = List.copyOf(rules);
      levels = List.copyOf(levels);
    }
  }

  /**
   * Events decided by one rule ({@code rule} -1: by no rule, level None).
   *
   * @param rule 0-based rule index, or -1
   * @param level the rule's level
   * @param events events it decided
   * @param written of those, the ones written
   * @param bytes their estimated size in the log
   */
  public record RuleRow(int rule, Level level, long events, long written, long bytes) {}

  /** Events decided at one level. */
  public record LevelRow(Level level, long events, long written, long bytes) {}

  /** Events whose level changes from one policy to the other. */
  public record LevelChange(Level from, Level to, long events) {}

  /**
   * A busy identity or resource.
   *
   * @param key the user name, or the resource ({@code pods}, {@code deployments.apps/scale}, or a
   *     non-resource path)
   * @param events events read
   * @param written events written under the policy
   * @param bytes their volume under the policy
   * @param writtenCompare events written under the second policy
   * @param bytesCompare their volume under the second policy
   */
  public record Top(
      String key, long events, long written, long bytes, long writtenCompare, long bytesCompare) {}
}
