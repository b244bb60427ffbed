package dev.vigil.rules;

import java.util.Collection;
import java.util.List;

/**
 * One entry of Falco's {@code append_output}: text appended to the output of the rules it matches,
 * and extra formatted fields for their JSON {@code output_fields}. Applied when rules compile, so
 * {@link Rule#output()} already carries it, as Falco's {@code output_compiled} does.
 *
 * @param match which rules it applies to
 * @param extraOutput appended to the rule output with one space ({@code ""}: nothing)
 * @param extraFields formatted fields added to the alert's output fields, in order
 */
public record AppendOutput(Match match, String extraOutput, List<ExtraField> extraFields) {
  public AppendOutput {
    extraFields = List.copyOf(extraFields);
  }

  /**
   * Which rules an entry applies to; each part left empty matches any rule.
   *
   * @param source the rule's source must be this one
   * @param tags the rule must carry every one of these tags
   * @param rule the rule's name must be exactly this
   */
  public record Match(String source, List<String> tags, String rule) {
    public Match {
      tags = List.copyOf(tags);
    }

    /** Matches every rule. */
    public static Match any() {
      return new Match("", List.of(), "");
    }

    public boolean matches(String ruleSource, Collection<String> ruleTags, String ruleName) {
      return (source.isEmpty() || source.equals(ruleSource))
          && (rule.isEmpty() || rule.equals(ruleName))
          && ruleTags.containsAll(tags);
    }
  }

  /**
   * An extra output field.
   *
   * @param key its name among the alert's output fields
   * @param format a format such as {@code %proc.name} or {@code "hello %evt.num"}, rendered per
   *     alert
   */
  public record ExtraField(String key, String format) {}

  /** Appends {@code format} to the output of the rules {@code match} selects. */
  public static AppendOutput format(String format, Match match) {
    return new AppendOutput(match, format, List.of());
  }

  /**
   * Adds the output field {@code key}, formatted by {@code format}, to the rules {@code match}
   * selects.
   */
  public static AppendOutput field(String key, String format, Match match) {
    return new AppendOutput(match, "", List.of(new ExtraField(key, format)));
  }
}
