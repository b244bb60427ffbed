package dev.vigil.k8saudit.policy.check;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** An exact-match string set: a scan for the short lists policies have, a hash set beyond. */
final class StringSet {
  private static final int SCAN_LIMIT = 8;

  private final String[] items;
  private final Set<String> hashed;

  StringSet(List<String> values) {
    this.items = values.toArray(String[]::new);
    this.hashed = items.length > SCAN_LIMIT ? new HashSet<>(values) : Set.of();
  }

  boolean isEmpty() {
    return items.length == 0;
  }

  boolean contains(String s) {
    if (items.length > SCAN_LIMIT) {
      return hashed.contains(s);
    }
    for (String item : items) {
      if (item.equals(s)) {
        return true;
      }
    }
    return false;
  }

  boolean containsAny(List<String> values) {
    for (int i = 0; i < values.size(); i++) {
      if (contains(values.get(i))) {
        return true;
      }
    }
    return false;
  }
}
