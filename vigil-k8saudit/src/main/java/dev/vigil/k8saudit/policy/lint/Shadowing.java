package dev.vigil.k8saudit.policy.lint;

import dev.vigil.k8saudit.policy.GroupResources;
import dev.vigil.k8saudit.policy.PolicyRule;
import java.util.List;

/**
 * Whether one rule matches every request another matches (so that, placed earlier, it makes the
 * other unreachable). Sound but not complete: when unsure it answers no, so a reported shadowing is
 * real.
 */
final class Shadowing {
  private Shadowing() {}

  static boolean covers(PolicyRule a, PolicyRule b, boolean groupWildcard) {
    if (!subset(a.users(), b.users())
        || !subset(a.userGroups(), b.userGroups())
        || !subset(a.verbs(), b.verbs())) {
      return false;
    }
    if (a.resourceOnly()) {
      if (!b.resourceOnly() || !subset(a.namespaces(), b.namespaces())) {
        return false;
      }
      if (a.resources().isEmpty()) {
        return true;
      }
      if (b.resources().isEmpty()) {
        return false;
      }
      for (GroupResources gb : b.resources()) {
        if (!coversEntry(a.resources(), gb, groupWildcard)) {
          return false;
        }
      }
      return true;
    }
    if (a.nonResourceOnly()) {
      if (!b.nonResourceOnly()) {
        return false;
      }
      for (String ub : b.nonResourceURLs()) {
        if (a.nonResourceURLs().stream().noneMatch(ua -> urlCovers(ua, ub))) {
          return false;
        }
      }
    }
    return true;
  }

  /** An empty constraint allows everything; otherwise b must be constrained within a. */
  private static boolean subset(List<String> a, List<String> b) {
    return a.isEmpty() || (!b.isEmpty() && a.containsAll(b));
  }

  private static boolean coversEntry(
      List<GroupResources> as, GroupResources gb, boolean groupWildcard) {
    if (gb.resources().isEmpty()) {
      for (GroupResources ga : as) {
        if (sameGroup(ga, gb, groupWildcard)
            && (ga.resources().isEmpty()
                || (ga.resources().contains("*") && ga.resourceNames().isEmpty()))) {
          return true;
        }
      }
      return false;
    }
    for (String rb : gb.resources()) {
      boolean covered = false;
      for (GroupResources ga : as) {
        if (!sameGroup(ga, gb, groupWildcard)) {
          continue;
        }
        if (ga.resources().isEmpty()) {
          covered = true;
          break;
        }
        boolean names =
            ga.resourceNames().isEmpty()
                || (!gb.resourceNames().isEmpty()
                    && ga.resourceNames().containsAll(gb.resourceNames()));
        if (names && ga.resources().stream().anyMatch(ra -> patternCovers(ra, rb))) {
          covered = true;
          break;
        }
      }
      if (!covered) {
        return false;
      }
    }
    return true;
  }

  private static boolean sameGroup(GroupResources a, GroupResources b, boolean groupWildcard) {
    return a.group().equals(b.group()) || (groupWildcard && a.group().equals("*"));
  }

  static boolean patternCovers(String ra, String rb) {
    if (ra.equals(rb) || ra.equals("*")) {
      return true;
    }
    if (rb.equals("*")) {
      return false;
    }
    if (ra.endsWith("/*")) {
      String parent = ra.substring(0, ra.length() - 2);
      return rb.equals(parent) || rb.startsWith(parent + "/");
    }
    if (ra.startsWith("*/")) {
      return rb.endsWith(ra.substring(1));
    }
    return false;
  }

  static boolean urlCovers(String ua, String ub) {
    if (ua.equals("*") || ua.equals(ub)) {
      return true;
    }
    if (!ua.endsWith("*") || ub.equals("*")) {
      return false;
    }
    int end = ua.length();
    while (end > 0 && ua.charAt(end - 1) == '*') {
      end--;
    }
    return ub.startsWith(ua.substring(0, end));
  }
}
