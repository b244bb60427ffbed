package dev.vigil.cli.daemon;

import dev.vigil.rules.Priority;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Typed reading of one mapping of the configuration. Each getter marks its key as known; {@link
 * #finish} warns about the keys nobody asked for (with a suggestion when one is close). Bad values
 * are errors at the value's position, and the default is used so reading can go on.
 */
final class Section {
  private final Node.MapNode map;
  private final String path;
  private final List<ConfigDiagnostic> diagnostics;
  private final Set<String> known = new HashSet<>();

  Section(Node.MapNode map, String path, List<ConfigDiagnostic> diagnostics) {
    this.map = map;
    this.path = path;
    this.diagnostics = diagnostics;
  }

  Origin origin() {
    return map.origin();
  }

  /** Keys read elsewhere, or accepted and ignored. */
  void accept(String... keys) {
    known.addAll(List.of(keys));
  }

  /** Accepts the keys every output's queue takes (read only when the output is enabled). */
  void acceptDelivery() {
    accept("queue_capacity", "rate", "max_burst", "max_retries", "minimum_priority");
  }

  boolean has(String key) {
    known.add(key);
    Node.Entry e = map.entries().get(key);
    return e != null && !(e.value() instanceof Node.Scalar s && s.isNull());
  }

  Optional<Node> node(String key) {
    known.add(key);
    Node.Entry e = map.entries().get(key);
    if (e == null || (e.value() instanceof Node.Scalar s && s.isNull())) {
      return Optional.empty();
    }
    return Optional.of(e.value());
  }

  Optional<Origin> keyOrigin(String key) {
    Node.Entry e = map.entries().get(key);
    return e == null ? Optional.empty() : Optional.of(e.keyOrigin());
  }

  void error(Origin at, String message) {
    diagnostics.add(new ConfigDiagnostic(true, at.source(), at.line(), at.col(), message));
  }

  void warn(Origin at, String message) {
    diagnostics.add(new ConfigDiagnostic(false, at.source(), at.line(), at.col(), message));
  }

  String name(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  /** A nested mapping ({@code key: {...}}); missing or null is an empty one. */
  Section section(String key) {
    Optional<Node> n = node(key);
    if (n.isPresent() && n.get() instanceof Node.MapNode m) {
      return new Section(m, name(key), diagnostics);
    }
    n.ifPresent(v -> error(v.origin(), name(key) + ": expected a mapping, got " + Node.kind(v)));
    return new Section(Node.MapNode.empty(map.origin()), name(key), diagnostics);
  }

  private <T> T scalar(String key, T dflt, String expected, Function<String, Optional<T>> parse) {
    Optional<Node> n = node(key);
    if (n.isEmpty()) {
      return dflt;
    }
    if (n.get() instanceof Node.Scalar s) {
      Optional<T> v = parse.apply(s.text().strip());
      if (v.isPresent()) {
        return v.get();
      }
      error(s.origin(), name(key) + ": expected " + expected + ", got '" + s.text() + "'");
      return dflt;
    }
    error(n.get().origin(), name(key) + ": expected " + expected + ", got " + Node.kind(n.get()));
    return dflt;
  }

  String string(String key, String dflt) {
    return scalar(key, dflt, "a string", Optional::of);
  }

  boolean bool(String key, boolean dflt) {
    return scalar(
        key,
        dflt,
        "true or false",
        s ->
            switch (s.toLowerCase(Locale.ROOT)) {
              case "true" -> Optional.of(true);
              case "false" -> Optional.of(false);
              default -> Optional.empty();
            });
  }

  long integer(String key, long dflt, long min, long max) {
    return scalar(
        key,
        dflt,
        "a whole number from " + min + " to " + max,
        s -> {
          try {
            long v = Long.parseLong(s);
            return v >= min && v <= max ? Optional.of(v) : Optional.empty();
          } catch (NumberFormatException e) {
            return Optional.empty();
          }
        });
  }

  double number(String key, double dflt) {
    return scalar(
        key,
        dflt,
        "a number of 0 or more",
        s -> {
          try {
            double v = Double.parseDouble(s);
            return v >= 0 && Double.isFinite(v) ? Optional.of(v) : Optional.empty();
          } catch (NumberFormatException e) {
            return Optional.empty();
          }
        });
  }

  Priority priority(String key, Priority dflt) {
    return scalar(
        key,
        dflt,
        "emergency, alert, critical, error, warning, notice, informational or debug",
        Priority::parse);
  }

  /** A duration: a number with ms, s, m, h or d; a bare number is {@code bareUnit}. */
  Duration duration(String key, Duration dflt, Duration bareUnit) {
    return scalar(
        key, dflt, "a duration such as 500ms, 30s, 5m, 1h or 7d", s -> parseDuration(s, bareUnit));
  }

  static Optional<Duration> parseDuration(String s, Duration bareUnit) {
    String v = s.strip().toLowerCase(Locale.ROOT);
    String[][] units = {
      {"ms", "1"}, {"s", "1000"}, {"m", "60000"}, {"h", "3600000"}, {"d", "86400000"}
    };
    try {
      for (String[] u : units) {
        if (v.endsWith(u[0]) && !(u[0].equals("s") && v.endsWith("ms"))) {
          double n = Double.parseDouble(v.substring(0, v.length() - u[0].length()).strip());
          return n < 0
              ? Optional.empty()
              : Optional.of(Duration.ofMillis((long) (n * Long.parseLong(u[1]))));
        }
      }
      double n = Double.parseDouble(v);
      return n < 0
          ? Optional.empty()
          : Optional.of(Duration.ofNanos((long) (n * bareUnit.toNanos())));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** A list of strings; a single string is a list of one. */
  List<String> strings(String key, List<String> dflt) {
    Optional<Node> n = node(key);
    if (n.isEmpty()) {
      return dflt;
    }
    List<String> out = new ArrayList<>();
    switch (n.get()) {
      case Node.Scalar s -> out.add(s.text());
      case Node.ListNode l -> {
        for (Node i : l.items()) {
          if (i instanceof Node.Scalar s && !s.isNull()) {
            out.add(s.text());
          } else {
            error(i.origin(), name(key) + ": expected a string, got " + Node.kind(i));
          }
        }
      }
      case Node.MapNode m -> error(m.origin(), name(key) + ": expected a list, got a mapping");
    }
    return out;
  }

  /** Warns about keys not read, with a did-you-mean among the known ones. */
  void finish() {
    map.entries()
        .forEach((k, e) -> {
          if (!known.contains(k)) {
            String hint = closest(k, known).map(c -> " (did you mean '" + c + "'?)").orElse("");
            warn(e.keyOrigin(), "unknown key '" + name(k) + "' (ignored)" + hint);
          }
        });
  }

  static Optional<String> closest(String k, Set<String> candidates) {
    String best = null;
    int bestD = Integer.MAX_VALUE;
    for (String c : candidates) {
      int d = distance(k, c);
      if (d < bestD) {
        bestD = d;
        best = c;
      }
    }
    return best != null && bestD <= Math.max(2, k.length() / 4)
        ? Optional.of(best)
        : Optional.empty();
  }

  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
