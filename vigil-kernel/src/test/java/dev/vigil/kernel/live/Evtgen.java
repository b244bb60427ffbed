package dev.vigil.kernel.live;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * falcosecurity/event-generator's declarative tests (schema: {@code
 * event-generator/test-jsonschemas/}): each test of a file, expanded into its cases.
 *
 * <p>A test's {@code cases} give values by strategy: {@code vector} one case with the values given,
 * {@code matrix} one case per combination of the value lists (the first key varies slowest). Every
 * {@code %{ item.KEY }} in the test is then replaced by the case's value: a string that is just the
 * template takes the value itself (a map, a list, null), one that embeds it takes its text. Scalars
 * stay text as written ({@code 0644} is read by the action as C does, octal); a plain {@code null},
 * {@code ~} or empty scalar is null.
 */
final class Evtgen {
  private static final Pattern TEMPLATE = Pattern.compile("%\\{\\s*item\\.([A-Za-z0-9_]+)\\s*}");
  private static final Pattern WHOLE = Pattern.compile("\\s*" + TEMPLATE.pattern() + "\\s*");

  /** A template as a plain (unquoted) value, which YAML cannot read: it gets quoted first. */
  private static final Pattern BARE =
      Pattern.compile("(?m)^(\\s*(?:- )?[A-Za-z0-9_.-]+:[ \\t]+)(%\\{[^}\\n]*})[ \\t]*$");

  private Evtgen() {}

  /**
   * One case of a test.
   *
   * @param file the YAML file name
   * @param test the test's name
   * @param index the case's position among the test's cases
   * @param values the case's values
   * @param spec the test with the values filled in (without {@code cases})
   */
  record Case(
      String file, String test, int index, Map<String, Object> values, Map<String, Object> spec) {

    /** A stable, unique name: {@code test[index]}. */
    String id() {
      return test + "[" + index + "]";
    }

    /** The id with the case's scalar values, for reports. */
    String label() {
      List<String> parts = new ArrayList<>();
      values.forEach((k, v) -> {
        if (v instanceof String s) {
          parts.add(k + "=" + s);
        }
      });
      return parts.isEmpty() ? id() : id() + " " + String.join(", ", parts);
    }

    String rule() {
      return str(spec.get("rule"));
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> map(String key) {
      Object v = spec.get(key);
      return v instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> list(String key) {
      Object v = spec.get(key);
      List<Map<String, Object>> out = new ArrayList<>();
      if (v instanceof List<?> l) {
        for (Object o : l) {
          out.add(o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of());
        }
      }
      return out;
    }
  }

  /** Every case of every {@code *.yaml} file under {@code dir}, in file-name order. */
  static List<Case> load(Path dir) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    List<Case> out = new ArrayList<>();
    for (Path f : files) {
      out.addAll(expand(f.getFileName().toString(), Files.readString(f)));
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  static List<Case> expand(String file, String text) {
    String quoted = BARE.matcher(text).replaceAll("$1\"$2\"");
    Node root =
        new Compose(LoadSettings.builder().setLabel(file).build())
            .composeString(quoted)
            .orElseThrow(() -> new IllegalArgumentException(file + ": empty"));
    Map<String, Object> doc = (Map<String, Object>) value(root);
    List<Case> out = new ArrayList<>();
    for (Object t : (List<Object>) doc.getOrDefault("tests", List.of())) {
      Map<String, Object> test = new LinkedHashMap<>((Map<String, Object>) t);
      Object cases = test.remove("cases");
      String name = str(test.get("name"));
      List<Map<String, Object>> combos = new ArrayList<>();
      if (cases == null) {
        combos.add(Map.of());
      } else {
        for (Object c : (List<Object>) cases) {
          combos.addAll(combinations((Map<String, Object>) c));
        }
      }
      for (int i = 0; i < combos.size(); i++) {
        Map<String, Object> values = combos.get(i);
        out.add(new Case(file, name, i, values, (Map<String, Object>) fill(test, values)));
      }
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> combinations(Map<String, Object> spec) {
    String strategy = str(spec.get("strategy"));
    Map<String, Object> values = (Map<String, Object>) spec.get("values");
    if (strategy.equals("vector")) {
      return List.of(values);
    }
    if (!strategy.equals("matrix")) {
      throw new IllegalArgumentException("unknown case strategy " + strategy);
    }
    List<Map<String, Object>> out = new ArrayList<>();
    out.add(new LinkedHashMap<>());
    for (Map.Entry<String, Object> e : values.entrySet()) {
      List<Map<String, Object>> next = new ArrayList<>();
      for (Map<String, Object> partial : out) {
        for (Object v : (List<Object>) e.getValue()) {
          Map<String, Object> m = new LinkedHashMap<>(partial);
          m.put(e.getKey(), v);
          next.add(m);
        }
      }
      out = next;
    }
    return out;
  }

  /** The node with every template replaced by the case's value. */
  private static Object fill(Object node, Map<String, Object> values) {
    return switch (node) {
      case Map<?, ?> m -> {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put((String) k, v == null ? null : fill(v, values)));
        yield out;
      }
      case List<?> l -> {
        List<Object> out = new ArrayList<>();
        l.forEach(v -> out.add(v == null ? null : fill(v, values)));
        yield out;
      }
      case String s -> {
        Matcher whole = WHOLE.matcher(s);
        if (whole.matches()) {
          yield valueOf(whole.group(1), values);
        }
        yield TEMPLATE
            .matcher(s)
            .replaceAll(r -> Matcher.quoteReplacement(str(valueOf(r.group(1), values))));
      }
      default -> node;
    };
  }

  private static Object valueOf(String key, Map<String, Object> values) {
    if (!values.containsKey(key)) {
      throw new IllegalArgumentException("no case value for item." + key);
    }
    return values.get(key);
  }

  /** A YAML node as maps, lists, strings and nulls. */
  private static Object value(Node n) {
    return switch (n) {
      case MappingNode m -> {
        Map<String, Object> out = new LinkedHashMap<>();
        for (NodeTuple t : m.getValue()) {
          out.put(((ScalarNode) t.getKeyNode()).getValue(), value(t.getValueNode()));
        }
        yield out;
      }
      case SequenceNode s -> {
        List<Object> out = new ArrayList<>();
        s.getValue().forEach(v -> out.add(value(v)));
        yield out;
      }
      case ScalarNode s -> {
        String v = s.getValue();
        boolean plain = s.getScalarStyle() == ScalarStyle.PLAIN;
        yield plain && (v.isEmpty() || v.equals("~") || v.toLowerCase(Locale.ROOT).equals("null"))
            ? null
            : v;
      }
      default -> throw new IllegalArgumentException("unsupported YAML node " + n);
    };
  }

  static String str(Object o) {
    return o == null ? "" : o.toString();
  }
}
