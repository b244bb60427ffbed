package dev.vigil.rules.match;

import java.util.ArrayList;
import java.util.List;

/** String helpers with Falco's byte-oriented, ASCII-only case rules. */
final class Strings {
  private Strings() {}

  static String asciiLower(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 'A' && c <= 'Z') {
        char[] out = s.toCharArray();
        for (int j = i; j < out.length; j++) {
          char d = out[j];
          if (d >= 'A' && d <= 'Z') {
            out[j] = (char) (d + 32);
          }
        }
        return new String(out);
      }
    }
    return s;
  }

  static String asciiUpper(String s) {
    char[] out = s.toCharArray();
    for (int j = 0; j < out.length; j++) {
      char d = out[j];
      if (d >= 'a' && d <= 'z') {
        out[j] = (char) (d - 32);
      }
    }
    return new String(out);
  }

  /** Case-insensitive (ASCII) substring search without allocating. */
  static boolean containsIgnoreCase(String haystack, String lowerNeedle) {
    int n = lowerNeedle.length();
    int max = haystack.length() - n;
    outer:
    for (int i = 0; i <= max; i++) {
      for (int j = 0; j < n; j++) {
        char c = haystack.charAt(i + j);
        if (c >= 'A' && c <= 'Z') {
          c = (char) (c + 32);
        }
        if (c != lowerNeedle.charAt(j)) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  /** Path components, ignoring empty ones ({@code /a//b/} gives {@code [a, b]}). */
  static List<String> components(String path) {
    List<String> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i <= path.length(); i++) {
      if (i == path.length() || path.charAt(i) == '/') {
        if (i > start) {
          out.add(path.substring(start, i));
        }
        start = i + 1;
      }
    }
    return out;
  }
}
