package dev.vigil.k8saudit.policy.load;

import dev.vigil.k8saudit.policy.load.YNode.Kind;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How {@code sigs.k8s.io/yaml} (go-yaml v2, YAML 1.1) types a plain scalar before it becomes JSON:
 * {@code yes}/{@code off} are booleans, {@code ~} is null, {@code 0x1f} is a number. Quoted scalars
 * are always strings.
 */
final class Yaml11 {
  private static final Set<String> NULLS = Set.of("", "~", "null", "Null", "NULL");
  private static final Set<String> BOOLS =
      Set.of(
          "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON", "n", "N", "no",
          "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF");
  private static final Pattern INT =
      Pattern.compile("[-+]?(0b[01_]+|0x[0-9a-fA-F_]+|0o?[0-7_]+|[0-9][0-9_]*)");
  private static final Pattern FLOAT =
      Pattern.compile(
          "[-+]?(\\.[0-9]+|[0-9][0-9_]*(\\.[0-9_]*)?)([eE][-+]?[0-9]+)?"
              + "|[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN)");

  private Yaml11() {}

  static Kind plainKind(String text) {
    if (NULLS.contains(text)) {
      return Kind.NULL;
    }
    if (BOOLS.contains(text)) {
      return Kind.BOOL;
    }
    if (INT.matcher(text).matches() || FLOAT.matcher(text).matches()) {
      return Kind.NUMBER;
    }
    return Kind.STRING;
  }
}
