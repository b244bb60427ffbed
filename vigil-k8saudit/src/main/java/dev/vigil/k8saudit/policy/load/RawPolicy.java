package dev.vigil.k8saudit.policy.load;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A policy as decoded leniently (unknown fields dropped, the last of duplicate keys kept), before
 * validation, with the position of every value: what the linter reasons about.
 *
 * @param apiVersion the {@code apiVersion} value, if written
 * @param kind the {@code kind} value, if written
 * @param rules the rules in order
 * @param omitStages the policy-level omitted stages (unvalidated spellings)
 * @param omitManagedFields the policy-level setting ({@code false} when absent)
 * @param keys where each known key of the policy was written
 */
public record RawPolicy(
    Optional<Str> apiVersion,
    Optional<Str> kind,
    List<RawRule> rules,
    List<Str> omitStages,
    boolean omitManagedFields,
    Map<String, SourcePos> keys) {
  public RawPolicy {
    rules = List.copyOf(rules);
    omitStages = List.copyOf(omitStages);
    keys = Map.copyOf(keys);
  }

  /** Where a key was written, or the start of the file. */
  public SourcePos keyPos(String key) {
    return keys.getOrDefault(key, SourcePos.START);
  }

  /**
   * One rule as written.
   *
   * @param index 0-based index, as kube-apiserver's {@code rules[i]}
   * @param pos where the rule starts
   * @param level the level spelling ({@code ""} at the rule's position when absent)
   * @param users users
   * @param userGroups user groups
   * @param verbs verbs
   * @param resources resource selectors
   * @param namespaces namespaces
   * @param nonResourceURLs non-resource URL patterns
   * @param omitStages stage spellings
   * @param omitManagedFields the rule's override, if set
   * @param keys where each known key of the rule was written
   */
  public record RawRule(
      int index,
      SourcePos pos,
      Str level,
      List<Str> users,
      List<Str> userGroups,
      List<Str> verbs,
      List<RawGroupResources> resources,
      List<Str> namespaces,
      List<Str> nonResourceURLs,
      List<Str> omitStages,
      Optional<Boolean> omitManagedFields,
      Map<String, SourcePos> keys) {
    public RawRule {
      users = List.copyOf(users);
      userGroups = List.copyOf(userGroups);
      verbs = List.copyOf(verbs);
      resources = List.copyOf(resources);
      namespaces = List.copyOf(namespaces);
      nonResourceURLs = List.copyOf(nonResourceURLs);
      omitStages = List.copyOf(omitStages);
      keys = Map.copyOf(keys);
    }

    /** Where a key was written, or where the rule starts. */
    public SourcePos keyPos(String key) {
      return keys.getOrDefault(key, pos);
    }
  }

  /**
   * One {@code resources[]} entry as written.
   *
   * @param pos where the entry starts
   * @param group the group ({@code ""} at the entry's position when absent)
   * @param resources resource patterns
   * @param resourceNames object names
   * @param keys where each known key of the entry was written
   */
  public record RawGroupResources(
      SourcePos pos,
      Str group,
      List<Str> resources,
      List<Str> resourceNames,
      Map<String, SourcePos> keys) {
    public RawGroupResources {
      resources = List.copyOf(resources);
      resourceNames = List.copyOf(resourceNames);
      keys = Map.copyOf(keys);
    }

    public SourcePos keyPos(String key) {
      return keys.getOrDefault(key, pos);
    }
  }
}
