package dev.vigil.k8saudit.policy.check;

import java.util.List;

/**
 * An authenticated identity as the policy sees it.
 *
 * @param name the user name
 * @param groups the user's groups
 */
public record User(String name, List<String> groups) {
  public User {
    groups = List.copyOf(groups);
  }
}
