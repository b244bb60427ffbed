package dev.vigil.k8saudit.policy;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One rule of a policy, after decoding and validation. Empty lists mean "any".
 *
 * @param level the level a matching request is audited at
 * @param users user names (exact, case-sensitive; {@code *} is literal)
 * @param userGroups group names (exact; {@code *} is literal)
 * @param verbs verbs (exact; {@code *} is literal)
 * @param resources resource selectors; non-empty makes the rule apply to resource requests only
 * @param namespaces namespaces ({@code ""} selects cluster-scoped requests); non-empty makes the
 *     rule apply to resource requests only
 * @param nonResourceURLs non-resource paths ({@code *} alone, exact, or a trailing-{@code *}
 *     prefix); non-empty makes the rule apply to non-resource requests only
 * @param omitStages stages this rule does not record (added to the policy's)
 * @param omitManagedFields overrides the policy's setting when present
 */
public record PolicyRule(
    Level level,
    List<String> users,
    List<String> userGroups,
    List<String> verbs,
    List<GroupResources> resources,
    List<String> namespaces,
    List<String> nonResourceURLs,
    Set<Stage> omitStages,
    Optional<Boolean> omitManagedFields) {
  public PolicyRule {
    users = List.copyOf(users);
    userGroups = List.copyOf(userGroups);
    verbs = List.copyOf(verbs);
    resources = List.copyOf(resources);
    namespaces = List.copyOf(namespaces);
    nonResourceURLs = List.copyOf(nonResourceURLs);
    omitStages = Set.copyOf(omitStages);
  }

  /** A rule that only sets a level: it matches every request. */
  public static PolicyRule of(Level level) {
    return new PolicyRule(
        level,
        List.of(),
        List.of(),
        List.of(),
        List.of(),
        List.of(),
        List.of(),
        Set.of(),
        Optional.empty());
  }

  /** Whether the rule restricts itself to resource requests. */
  public boolean resourceOnly() {
    return !namespaces.isEmpty() || !resources.isEmpty();
  }

  /** Whether the rule restricts itself to non-resource requests. */
  public boolean nonResourceOnly() {
    return !resourceOnly() && !nonResourceURLs.isEmpty();
  }
}
