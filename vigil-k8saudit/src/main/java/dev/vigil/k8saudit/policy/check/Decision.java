package dev.vigil.k8saudit.policy.check;

import dev.vigil.k8saudit.policy.Level;
import dev.vigil.k8saudit.policy.Stage;
import java.util.OptionalInt;
import java.util.Set;

/**
 * What a policy decides for one request: kube-apiserver's {@code RequestAuditConfig} plus the index
 * of the rule that decided it.
 *
 * @param rule the 0-based index of the first matching rule; empty when no rule matched
 * @param level the level ({@code None} when no rule matched)
 * @param omitStages the policy's omitted stages united with the rule's
 * @param omitManagedFields whether managed fields are dropped from recorded objects
 */
public record Decision(
    OptionalInt rule, Level level, Set<Stage> omitStages, boolean omitManagedFields) {
  public Decision {
    omitStages = Set.copyOf(omitStages);
  }

  /** Whether an event at {@code stage} would be written. */
  public boolean writes(Stage stage) {
    return level != Level.NONE && !omitStages.contains(stage);
  }
}
