package dev.vigil.rules.text;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * "Did you mean …?" for a misspelled name: the closest candidate by Damerau-Levenshtein distance
 * (an adjacent swap counts as one edit), case-insensitively, within a limit that grows with the
 * length of what was written (1 edit up to 5 characters, at most 3).
 */
public final class Suggest {
  private Suggest() {}

  /**
   * The closest candidate within the limit; on ties the first in iteration order wins. Nothing when
   * {@code written} is itself a candidate.
   */
  public static Optional<String> closest(String written, Collection<String> candidates) {
    if (candidates.contains(written)) {
      return Optional.empty();
    }
    String w = written.toLowerCase(Locale.ROOT);
    int limit = Math.max(1, Math.min(3, written.length() / 3));
    Optional<String> best = Optional.empty();
    int bestDistance = limit + 1;
    for (String c : candidates) {
      int d = distance(w, c.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        best = Optional.of(c);
        bestDistance = d;
      }
    }
    return best;
  }

  /** Optimal-string-alignment distance between {@code a} and {@code b}. */
  public static int distance(String a, String b) {
    int n = a.length();
    int m = b.length();
    int[] prev2 = new int[m + 1];
    int[] prev = new int[m + 1];
    int[] cur = new int[m + 1];
    for (int j = 0; j <= m; j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= n; i++) {
      cur[0] = i;
      for (int j = 1; j <= m; j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        int d = Math.min(Math.min(prev[j] + 1, cur[j - 1] + 1), prev[j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d = Math.min(d, prev2[j - 2] + 1);
        }
        cur[j] = d;
      }
      int[] t = prev2;
      prev2 = prev;
      prev = cur;
      cur = t;
    }
    return prev[m];
  }
}
