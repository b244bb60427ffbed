package dev.vigil.rules.match;

/**
 * Shell-style wildcard matching as {@code fnmatch(3)} without flags does it for Falco's {@code
 * glob}: {@code *} matches any run of characters (slashes included), {@code ?} one character,
 * {@code [...]} a class ({@code !} or {@code ^} negates, ranges allowed), and a backslash quotes
 * the next character.
 */
final class Glob {
  private final String pattern;
  private final boolean ignoreCase;

  Glob(String pattern, boolean ignoreCase) {
    this.pattern = ignoreCase ? Strings.asciiLower(pattern) : pattern;
    this.ignoreCase = ignoreCase;
  }

  boolean matches(String s) {
    return match(pattern, 0, ignoreCase ? Strings.asciiLower(s) : s, 0);
  }

  /** Iterative wildcard matching with single-star backtracking (linear in practice). */
  static boolean match(String p, int pi, String s, int si) {
    int starP = -1;
    int starS = -1;
    while (si < s.length()) {
      if (pi < p.length()) {
        char c = p.charAt(pi);
        if (c == '*') {
          starP = ++pi;
          starS = si;
          continue;
        }
        int next = single(p, pi, s.charAt(si));
        if (next >= 0) {
          pi = next;
          si++;
          continue;
        }
      }
      if (starP < 0) {
        return false;
      }
      pi = starP;
      si = ++starS;
    }
    while (pi < p.length() && p.charAt(pi) == '*') {
      pi++;
    }
    return pi == p.length();
  }

  /** Matches one pattern element at {@code pi} against {@code c}; the next index, or -1. */
  private static int single(String p, int pi, char c) {
    char pc = p.charAt(pi);
    return switch (pc) {
      case '?' -> pi + 1;
      case '[' -> bracket(p, pi, c);
      case '\\' -> {
        if (pi + 1 < p.length()) {
          yield p.charAt(pi + 1) == c ? pi + 2 : -1;
        }
        yield c == '\\' ? pi + 1 : -1;
      }
      default -> pc == c ? pi + 1 : -1;
    };
  }

  private static int bracket(String p, int pi, char c) {
    int i = pi + 1;
    boolean negate = i < p.length() && (p.charAt(i) == '!' || p.charAt(i) == '^');
    if (negate) {
      i++;
    }
    boolean matched = false;
    boolean first = true;
    while (i < p.length() && (first || p.charAt(i) != ']')) {
      first = false;
      char lo = p.charAt(i);
      if (i + 2 < p.length() && p.charAt(i + 1) == '-' && p.charAt(i + 2) != ']') {
        char hi = p.charAt(i + 2);
        if (c >= lo && c <= hi) {
          matched = true;
        }
        i += 3;
      } else {
        if (c == lo) {
          matched = true;
        }
        i++;
      }
    }
    if (i >= p.length()) {
      return p.charAt(pi) == c ? pi + 1 : -1;
    }
    return matched != negate ? i + 1 : -1;
  }
}
