package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format (0.0.4), for tests: every line must be a
 * HELP, a TYPE, or a sample of a declared family with well-formed labels and a number.
 */
final class PromParser {
  private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ") (.*)");
  private static final Pattern TYPE =
      Pattern.compile("# TYPE (" + NAME + ") (counter|gauge|summary|histogram|untyped)");
  private static final Pattern SAMPLE =
      Pattern.compile("(" + NAME + ")(\\{(.*)})? (-?[0-9.eE+-]+|NaN|[+-]Inf)");
  private static final Pattern LABEL =
      Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\[\\\\n\"])*)\"(,|$)");

  private PromParser() {}

  /** Samples by {@code name{label="v",...}} with labels sorted; asserts the format on the way. */
  static Map<String, Double> parse(String text) {
    Map<String, String> types = new HashMap<>();
    Map<String, Double> samples = new LinkedHashMap<>();
    for (String line : text.lines().toList()) {
      if (line.isEmpty()) {
        continue;
      }
      if (HELP.matcher(line).matches()) {
        continue;
      }
      Matcher t = TYPE.matcher(line);
      if (t.matches()) {
        assertThat(types).as("TYPE declared twice: %s", line).doesNotContainKey(t.group(1));
        types.put(t.group(1), t.group(2));
        continue;
      }
      Matcher m = SAMPLE.matcher(line);
      assertThat(m.matches()).as("not a sample line: %s", line).isTrue();
      String name = m.group(1);
      String family = name.replaceAll("_(count|sum|bucket)$", "");
      assertThat(types.containsKey(name) || types.containsKey(family))
          .as("sample of an undeclared family: %s", line)
          .isTrue();
      Map<String, String> labels = new TreeMap<>();
      String body = m.group(3);
      if (body != null && !body.isEmpty()) {
        Matcher l = LABEL.matcher(body);
        int pos = 0;
        while (pos < body.length()) {
          assertThat(l.find(pos) && l.start() == pos).as("bad labels in %s", line).isTrue();
          labels.put(l.group(1), l.group(2));
          pos = l.end();
        }
      }
      String key = name + (labels.isEmpty() ? "" : labels.toString());
      assertThat(samples).as("duplicate sample %s", key).doesNotContainKey(key);
      samples.put(key, Double.parseDouble(m.group(4).replace("Inf", "Infinity")));
    }
    return samples;
  }
}
