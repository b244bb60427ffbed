package dev.vigil.k8saudit.policy.requestinfo;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Just enough of Kubernetes field selectors to answer {@code RequiresExactMatch("metadata.name")}:
 * terms split on unescaped commas and sorted, operators {@code !=}, {@code ==} and {@code =},
 * values unescaped ({@code \\}, {@code \,}, {@code \=}).
 */
final class FieldSelector {
  private FieldSelector() {}

  /** The value {@code field} must equal, if the selector requires one and parses. */
  static Optional<String> exactMatch(String selector, String field) {
    List<String> terms = splitTerms(selector);
    terms.sort(null);
    Optional<String> found = Optional.empty();
    for (String term : terms) {
      if (term.isEmpty()) {
        continue;
      }
      String[] t = splitTerm(term);
      if (t.length == 0) {
        return Optional.empty();
      }
      Optional<String> value = unescape(t[2]);
      if (value.isEmpty()) {
        return Optional.empty();
      }
      if (found.isEmpty() && t[0].equals(field) && !t[1].equals("!=")) {
        found = value;
      }
    }
    return found;
  }

  private static List<String> splitTerms(String s) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean escaped = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (escaped) {
        cur.append(c);
        escaped = false;
      } else if (c == '\\') {
        cur.append(c);
        escaped = true;
      } else if (c == ',') {
        out.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    out.add(cur.toString());
    return out;
  }

  /** {@code [lhs, op, rhs]} at the first operator, or an empty array. */
  private static String[] splitTerm(String term) {
    for (int i = 0; i < term.length(); i++) {
      for (String op : new String[] {"!=", "==", "="}) {
        if (term.startsWith(op, i)) {
          return new String[] {term.substring(0, i), op, term.substring(i + op.length())};
        }
      }
    }
    return new String[0];
  }

  private static Optional<String> unescape(String v) {
    StringBuilder sb = new StringBuilder(v.length());
    boolean escaped = false;
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (escaped) {
        if (c != '\\' && c != ',' && c != '=') {
          return Optional.empty();
        }
        sb.append(c);
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == ',' || c == '=') {
        return Optional.empty();
      } else {
        sb.append(c);
      }
    }
    return escaped ? Optional.empty() : Optional.of(sb.toString());
  }
}
