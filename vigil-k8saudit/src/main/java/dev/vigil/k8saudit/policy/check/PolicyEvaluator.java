package dev.vigil.k8saudit.policy.check;

import dev.vigil.k8saudit.policy.KubeVersion;
import dev.vigil.k8saudit.policy.Level;
import dev.vigil.k8saudit.policy.Policy;
import dev.vigil.k8saudit.policy.PolicyRule;
import dev.vigil.k8saudit.policy.Stage;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A policy compiled for evaluation. Thread-safe and allocation-free per request: the decision of
 * every rule (its level, the union of omitted stages, the managed-fields setting) is computed once,
 * as kube-apiserver's {@code NewPolicyRuleEvaluator} does.
 */
public final class PolicyEvaluator {
  private final Policy policy;
  private final RuleMatcher[] matchers;
  private final Decision[] decisions;
  private final Decision noMatch;

  public PolicyEvaluator(Policy policy, KubeVersion version) {
    this.policy = policy;
    List<PolicyRule> rules = policy.rules();
    this.matchers = new RuleMatcher[rules.size()];
    this.decisions = new Decision[rules.size()];
    for (int i = 0; i < rules.size(); i++) {
      PolicyRule r = rules.get(i);
      matchers[i] = new RuleMatcher(r, version.groupWildcard());
      decisions[i] =
          new Decision(
              OptionalInt.of(i),
              r.level(),
              unionStages(policy.omitStages(), r.omitStages()),
              r.omitManagedFields().orElse(policy.omitManagedFields()));
    }
    this.noMatch =
        new Decision(
            OptionalInt.empty(), Level.NONE, policy.omitStages(), policy.omitManagedFields());
  }

  public Policy policy() {
    return policy;
  }

  /** The policy's decision for a request. */
  public Decision evaluate(RequestAttributes a) {
    return decision(firstMatch(a));
  }

  /** The index of the first matching rule, or -1. */
  public int firstMatch(RequestAttributes a) {
    for (int i = 0; i < matchers.length; i++) {
      if (matchers[i].matches(a)) {
        return i;
      }
    }
    return -1;
  }

  /** The decision of rule {@code index}, or the no-match decision for -1. */
  public Decision decision(int index) {
    return index < 0 ? noMatch : decisions[index];
  }

  /** Why rule {@code index} does not match the request; empty if it does. */
  public Optional<String> mismatch(int index, RequestAttributes a) {
    return matchers[index].mismatch(a);
  }

  /** The union of two stage lists, as a set (kube-apiserver's order is random). */
  public static Set<Stage> unionStages(Set<Stage> a, Set<Stage> b) {
    EnumSet<Stage> out = EnumSet.noneOf(Stage.class);
    out.addAll(a);
    out.addAll(b);
    return out;
  }
}
