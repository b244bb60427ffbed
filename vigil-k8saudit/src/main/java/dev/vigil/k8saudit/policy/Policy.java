package dev.vigil.k8saudit.policy;

import java.util.List;
import java.util.Set;

/**
 * An audit policy as kube-apiserver holds it after loading: the rules in order, the stages every
 * rule omits, and whether managed fields are dropped from recorded objects.
 */
public record Policy(List<PolicyRule> rules, Set<Stage> omitStages, boolean omitManagedFields) {
  public Policy {
    rules = List.copyOf(rules);
    omitStages = Set.copyOf(omitStages);
  }
}
