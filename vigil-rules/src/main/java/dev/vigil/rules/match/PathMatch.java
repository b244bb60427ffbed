package dev.vigil.rules.match;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Falco's {@code pmatch}: true when a value is one of the paths or lies below one, component by
 * component, where a pattern component may contain wildcards ({@code /var/*}/log). {@code /x/hello}
 * matches {@code /x/hello/world} but not {@code /x/hello_world}.
 */
final class PathMatch {
  private final Set<String> exactPrefixes = new HashSet<>();
  private final List<List<String>> wildcardPatterns = new java.util.ArrayList<>();

  PathMatch(List<String> paths) {
    for (String p : paths) {
      List<String> comps = Strings.components(p);
      if (comps.stream()
          .anyMatch(c -> c.indexOf('*') >= 0 || c.indexOf('?') >= 0 || c.indexOf('[') >= 0)) {
        wildcardPatterns.add(comps);
      } else {
        exactPrefixes.add(String.join("/", comps));
      }
    }
  }

  boolean matches(String value) {
    List<String> comps = Strings.components(value);
    if (!exactPrefixes.isEmpty()) {
      StringBuilder prefix = new StringBuilder();
      if (exactPrefixes.contains("")) {
        return true;
      }
      for (String c : comps) {
        if (!prefix.isEmpty()) {
          prefix.append('/');
        }
        prefix.append(c);
        if (exactPrefixes.contains(prefix.toString())) {
          return true;
        }
      }
    }
    for (List<String> pattern : wildcardPatterns) {
      if (pattern.size() <= comps.size()) {
        boolean ok = true;
        for (int i = 0; i < pattern.size() && ok; i++) {
          ok = Glob.match(pattern.get(i), 0, comps.get(i), 0);
        }
        if (ok) {
          return true;
        }
      }
    }
    return false;
  }
}
