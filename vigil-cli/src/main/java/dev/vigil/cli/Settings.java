package dev.vigil.cli;

import dev.vigil.output.FalcoFormat;
import dev.vigil.rules.Engine;
import dev.vigil.rules.Priority;
import java.io.PrintWriter;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The {@code -o key=value} options of {@code vigil run}, with Falco's names and defaults.
 *
 * @param json {@code json_output}
 * @param matching {@code rule_matching}
 * @param minPriority {@code priority}
 * @param format the alert rendering options
 */
record Settings(
    boolean json, Engine.Matching matching, Priority minPriority, FalcoFormat.Options format) {

  private static final Set<String> KNOWN =
      Set.of(
          "json_output",
          "json_include_output_property",
          "json_include_tags_property",
          "json_include_message_property",
          "json_include_output_fields_property",
          "priority",
          "rule_matching",
          "time_format_iso_8601",
          "k8saudit.files",
          "k8saudit.checkpoint_dir",
          "k8saudit.webhook.listen");

  /** Reads the options; unknown keys are warned about on {@code err}, bad values are errors. */
  static Settings parse(Map<String, String> o, boolean jsonFlag, PrintWriter err) {
    for (String k : o.keySet()) {
      if (!KNOWN.contains(k)) {
        err.println("vigil: warning: unknown option -o " + k + " (ignored)");
      }
    }
    boolean json = jsonFlag || bool(o, "json_output", false);
    String m = o.getOrDefault("rule_matching", "first").strip().toLowerCase(Locale.ROOT);
    Engine.Matching matching =
        switch (m) {
          case "first" -> Engine.Matching.FIRST;
          case "all" -> Engine.Matching.ALL;
          default ->
              throw new UserError(
                  ExitCode.USAGE, "-o rule_matching: expected first or all, got '" + m + "'");
        };
    String p = o.getOrDefault("priority", "debug");
    Priority min =
        Priority.parse(p)
            .orElseThrow(() ->
                new UserError(
                    ExitCode.USAGE,
                    "-o priority: expected emergency, alert, critical, error, warning,"
                        + " notice, informational or debug, got '"
                        + p
                        + "'"));
    FalcoFormat.Options format =
        new FalcoFormat.Options(
            bool(o, "time_format_iso_8601", false),
            bool(o, "json_include_output_property", true),
            bool(o, "json_include_tags_property", true),
            bool(o, "json_include_message_property", false),
            bool(o, "json_include_output_fields_property", true),
            ZoneId.systemDefault());
    return new Settings(json, matching, min, format);
  }

  private static boolean bool(Map<String, String> o, String key, boolean dflt) {
    String v = o.get(key);
    if (v == null) {
      return dflt;
    }
    return switch (v.strip().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "1" -> true;
      case "false", "no", "0" -> false;
      default ->
          throw new UserError(
              ExitCode.USAGE, "-o " + key + ": expected true or false, got '" + v + "'");
    };
  }
}
