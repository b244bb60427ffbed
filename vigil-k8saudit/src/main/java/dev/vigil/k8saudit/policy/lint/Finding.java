package dev.vigil.k8saudit.policy.lint;

import dev.vigil.k8saudit.policy.load.SourcePos;
import dev.vigil.rules.Severity;
import java.util.OptionalInt;

/**
 * One lint finding.
 *
 * @param check what was checked (its id and default severity)
 * @param severity the severity of this finding
 * @param pos where in the file
 * @param message what is wrong and what it does
 * @param hint how to fix it ({@code ""} when there is nothing to add)
 * @param rule the 0-based rule it concerns, if any
 */
public record Finding(
    Check check, Severity severity, SourcePos pos, String message, String hint, OptionalInt rule) {

  public String id() {
    return check.id();
  }

  static Finding of(Check check, SourcePos pos, int rule, String message, String hint) {
    return new Finding(
        check,
        check.severity(),
        pos,
        message,
        hint,
        rule < 0 ? OptionalInt.empty() : OptionalInt.of(rule));
  }
}
