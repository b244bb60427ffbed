package dev.vigil.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Which rules are enabled: a starting point (the rules files' own {@code enabled} flags, or none)
 * and then enable/disable steps applied in order, as Falco's {@code rules:} configuration and its
 * {@code -D}/{@code -t}/{@code -T} flags do. The last step that matches a rule decides.
 */
public final class RuleSelection {

  /** How a name pattern is compared with a rule name. */
  public enum NameMatch {
    /** The pattern occurs in the name ({@code ""} matches every rule). */
    SUBSTRING,
    /** The pattern is the name ({@code ""} still matches every rule, as in Falco). */
    EXACT,
    /** The pattern matches the whole name, {@code *} standing for any run of characters. */
    WILDCARD
  }

  /** One enable or disable step. */
  public sealed interface Step {
    boolean enable();

    boolean matches(Rule rule);
  }

  /** Rules selected by name. */
  public record ByName(NameMatch how, String pattern, boolean enable) implements Step {
    @Override
    public boolean matches(Rule rule) {
      String name = rule.name();
      return switch (how) {
        case SUBSTRING -> name.contains(pattern);
        case EXACT -> pattern.isEmpty() || name.equals(pattern);
        case WILDCARD -> wildcard(pattern, name);
      };
    }
  }

  /** Rules carrying any of {@code tags}. */
  public record ByTags(Set<String> tags, boolean enable) implements Step {
    public ByTags {
      tags = Set.copyOf(tags);
    }

    @Override
    public boolean matches(Rule rule) {
      for (String t : tags) {
        if (rule.tags().contains(t)) {
          return true;
        }
      }
      return false;
    }
  }

  private final boolean fromFiles;
  private final List<Step> steps;

  private RuleSelection(boolean fromFiles, List<Step> steps) {
    this.fromFiles = fromFiles;
    this.steps = List.copyOf(steps);
  }

  /** The rules files decide ({@code enabled:}, true by default): Falco's default ruleset. */
  public static RuleSelection asInFiles() {
    return new RuleSelection(true, List.of());
  }

  /** No rule is enabled until a step enables it. */
  public static RuleSelection none() {
    return new RuleSelection(false, List.of());
  }

  /** This selection followed by {@code step}. */
  public RuleSelection then(Step step) {
    List<Step> next = new ArrayList<>(steps);
    next.add(step);
    return new RuleSelection(fromFiles, next);
  }

  public List<Step> steps() {
    return steps;
  }

  public boolean isEnabled(Rule rule) {
    boolean on = fromFiles && rule.enabled();
    for (Step s : steps) {
      if (s.matches(rule)) {
        on = s.enable();
      }
    }
    return on;
  }

  /** The enabled rules of {@code ruleset}, in order. */
  public List<Rule> enabled(Ruleset ruleset) {
    return ruleset.rules().stream().filter(this::isEnabled).toList();
  }

  /**
   * Whole-string match where {@code *} matches any run of characters (greedy with backtracking).
   */
  static boolean wildcard(String pattern, String s) {
    int p = 0;
    int i = 0;
    int star = -1;
    int mark = 0;
    while (i < s.length()) {
      if (p < pattern.length() && pattern.charAt(p) == '*') {
        star = p++;
        mark = i;
      } else if (p < pattern.length() && pattern.charAt(p) == s.charAt(i)) {
        p++;
        i++;
      } else if (star >= 0) {
        p = star + 1;
        i = ++mark;
      } else {
        return false;
      }
    }
    while (p < pattern.length() && pattern.charAt(p) == '*') {
      p++;
    }
    return p == pattern.length();
  }
}
