package dev.vigil.k8saudit.policy.check;

import dev.vigil.k8saudit.policy.GroupResources;
import dev.vigil.k8saudit.policy.PolicyRule;
import java.util.List;
import java.util.Optional;

/**
 * One rule compiled for matching. {@link #matches} is kube-apiserver's {@code ruleMatches}; {@link
 * #mismatch} says which field made it fail, for {@code explain}.
 */
final class RuleMatcher {
  private final PolicyRule rule;
  private final StringSet users;
  private final StringSet groups;
  private final StringSet verbs;
  private final StringSet namespaces;
  private final List<GroupResources> resources;
  private final String[] apiGroups;
  private final String[][] patterns;
  private final StringSet[] names;
  private final String[] nonResourceURLs;
  private final boolean groupWildcard;

  RuleMatcher(PolicyRule rule, boolean groupWildcard) {
    this.rule = rule;
    this.users = new StringSet(rule.users());
    this.groups = new StringSet(rule.userGroups());
    this.verbs = new StringSet(rule.verbs());
    this.namespaces = new StringSet(rule.namespaces());
    this.resources = rule.resources();
    int n = resources.size();
    this.apiGroups = new String[n];
    this.patterns = new String[n][];
    this.names = new StringSet[n];
    for (int i = 0; i < n; i++) {
      GroupResources gr = resources.get(i);
      apiGroups[i] = gr.group();
      patterns[i] = gr.resources().toArray(String[]::new);
      names[i] = new StringSet(gr.resourceNames());
    }
    this.nonResourceURLs = rule.nonResourceURLs().toArray(String[]::new);
    this.groupWildcard = groupWildcard;
  }

  boolean matches(RequestAttributes a) {
    if (!users.isEmpty() && (a.user().isEmpty() || !users.contains(a.user().get().name()))) {
      return false;
    }
    if (!groups.isEmpty() && (a.user().isEmpty() || !groups.containsAny(a.user().get().groups()))) {
      return false;
    }
    if (!verbs.isEmpty() && !verbs.contains(a.verb())) {
      return false;
    }
    if (!namespaces.isEmpty() || !resources.isEmpty()) {
      return matchesResource(a);
    }
    if (nonResourceURLs.length > 0) {
      return !a.resourceRequest() && matchesPath(a.path());
    }
    return true;
  }

  private boolean matchesResource(RequestAttributes a) {
    if (!a.resourceRequest()) {
      return false;
    }
    if (!namespaces.isEmpty() && !namespaces.contains(a.namespace())) {
      return false;
    }
    if (apiGroups.length == 0) {
      return true;
    }
    for (int i = 0; i < apiGroups.length; i++) {
      if (matchesGroup(i, a)) {
        return true;
      }
    }
    return false;
  }

  private boolean matchesGroup(int i, RequestAttributes a) {
    String g = apiGroups[i];
    if (!g.equals(a.apiGroup()) && !(groupWildcard && g.equals("*"))) {
      return false;
    }
    String[] res = patterns[i];
    if (res.length == 0) {
      return true;
    }
    if (!names[i].isEmpty() && !names[i].contains(a.name())) {
      return false;
    }
    for (String r : res) {
      if (matchesResourcePattern(r, a.resource(), a.subresource())) {
        return true;
      }
    }
    return false;
  }

  /**
   * {@code pods}, {@code pods/log}, {@code *}, {@code *}/sub and {@code pods/*} (which also matches
   * {@code pods}).
   */
  static boolean matchesResourcePattern(String res, String resource, String subresource) {
    int n = resource.length();
    if (subresource.isEmpty()) {
      if (res.equals(resource)) {
        return true;
      }
    } else if (res.length() == n + 1 + subresource.length()
        && res.startsWith(resource)
        && res.charAt(n) == '/'
        && res.endsWith(subresource)) {
      return true;
    }
    if (res.equals("*")) {
      return true;
    }
    if (!subresource.isEmpty()
        && res.length() == 2 + subresource.length()
        && res.startsWith("*/")
        && res.endsWith(subresource)) {
      return true;
    }
    return res.length() == n + 2 && res.startsWith(resource) && res.endsWith("/*");
  }

  private boolean matchesPath(String path) {
    for (int i = 0; i < nonResourceURLs.length; i++) {
      if (matchesPathSpec(nonResourceURLs[i], path)) {
        return true;
      }
    }
    return false;
  }

  /** {@code *}, an exact path, or a prefix before trailing stars (a plain string prefix). */
  static boolean matchesPathSpec(String spec, String path) {
    if (spec.equals("*") || spec.equals(path)) {
      return true;
    }
    if (!spec.endsWith("*")) {
      return false;
    }
    int end = spec.length();
    while (end > 0 && spec.charAt(end - 1) == '*') {
      end--;
    }
    return path.startsWith(spec.substring(0, end));
  }

  /** Why the rule does not match, naming the first field that fails; empty if it matches. */
  Optional<String> mismatch(RequestAttributes a) {
    if (!users.isEmpty()) {
      if (a.user().isEmpty()) {
        return Optional.of("users: the request has no authenticated user");
      }
      if (!users.contains(a.user().get().name())) {
        return Optional.of(
            "users: " + quote(a.user().get().name()) + " is not in " + list(rule.users()));
      }
    }
    if (!groups.isEmpty()) {
      if (a.user().isEmpty()) {
        return Optional.of("userGroups: the request has no authenticated user");
      }
      if (!groups.containsAny(a.user().get().groups())) {
        return Optional.of(
            "userGroups: none of "
                + list(a.user().get().groups())
                + " is in "
                + list(rule.userGroups()));
      }
    }
    if (!verbs.isEmpty() && !verbs.contains(a.verb())) {
      return Optional.of("verbs: " + quote(a.verb()) + " is not in " + list(rule.verbs()));
    }
    if (!namespaces.isEmpty() || !resources.isEmpty()) {
      return resourceMismatch(a);
    }
    if (nonResourceURLs.length > 0) {
      if (a.resourceRequest()) {
        return Optional.of(
            "nonResourceURLs: the rule applies to non-resource requests; this is a resource"
                + " request");
      }
      if (!matchesPath(a.path())) {
        return Optional.of(
            "nonResourceURLs: "
                + quote(a.path())
                + " matches none of "
                + list(rule.nonResourceURLs()));
      }
    }
    return Optional.empty();
  }

  private Optional<String> resourceMismatch(RequestAttributes a) {
    String field = resources.isEmpty() ? "namespaces" : "resources";
    if (!a.resourceRequest()) {
      return Optional.of(
          field + ": the rule applies to resource requests; this is a non-resource request");
    }
    if (!namespaces.isEmpty() && !namespaces.contains(a.namespace())) {
      return Optional.of(
          "namespaces: " + quote(a.namespace()) + " is not in " + list(rule.namespaces()));
    }
    if (resources.isEmpty() || matchesResource(a)) {
      return Optional.empty();
    }
    String what =
        "group "
            + quote(a.apiGroup())
            + " resource "
            + quote(a.combinedResource())
            + (a.name().isEmpty() ? "" : " name " + quote(a.name()));
    return Optional.of("resources: " + what + " is not selected by any entry");
  }

  private static String quote(String s) {
    return "\"" + s + "\"";
  }

  private static String list(List<String> values) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < values.size(); i++) {
      sb.append(i == 0 ? "" : ", ").append(quote(values.get(i)));
    }
    return sb.append(']').toString();
  }
}
