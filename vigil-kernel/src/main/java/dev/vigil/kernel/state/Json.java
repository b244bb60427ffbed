package dev.vigil.kernel.state;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A small strict JSON reader for the runtime metadata files the state reads (runc's state.json, OCI
 * config.json, docker's config.v2.json): objects become {@code Map}, arrays {@code List}, numbers
 * {@code Double}, plus {@code String}, {@code Boolean} and {@code null}. Depth-limited.
 */
final class Json {
  private static final int MAX_DEPTH = 64;

  private final String s;
  private int i;

  private Json(String s) {
    this.s = s;
  }

  /** The parsed value, or empty if {@code text} is not valid JSON. */
  static Optional<Object> parse(String text) {
    try {
      Json j = new Json(text);
      j.ws();
      Object v = j.value(0);
      j.ws();
      return j.i == text.length() ? Optional.ofNullable(v) : Optional.empty();
    } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
      return Optional.empty();
    }
  }

  /** {@code root.a.b...} as a map, or an empty map. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> obj(@Nullable Object root, String... path) {
    Object v = at(root, path);
    return v instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(@Nullable Object root, String... path) {
    Object v = at(root, path);
    return v instanceof List<?> l ? (List<Object>) l : List.of();
  }

  static String str(@Nullable Object root, String... path) {
    return at(root, path) instanceof String s ? s : "";
  }

  static boolean bool(@Nullable Object root, String... path) {
    return at(root, path) instanceof Boolean b && b;
  }

  private static @Nullable Object at(@Nullable Object root, String... path) {
    Object v = root;
    for (String p : path) {
      if (!(v instanceof Map<?, ?> m)) {
        return null;
      }
      v = m.get(p);
    }
    return v;
  }

  private void ws() {
    while (i < s.length() && " \t\r\n".indexOf(s.charAt(i)) >= 0) {
      i++;
    }
  }

  private @Nullable Object value(int depth) {
    if (depth > MAX_DEPTH) {
      throw new IllegalArgumentException("too deep");
    }
    char c = s.charAt(i);
    return switch (c) {
      case '{' -> object(depth);
      case '[' -> array(depth);
      case '"' -> string();
      case 't' -> literal("true", true);
      case 'f' -> literal("false", false);
      case 'n' -> literal("null", null);
      default -> number();
    };
  }

  private @Nullable Object literal(String word, @Nullable Object v) {
    if (!s.startsWith(word, i)) {
      throw new IllegalArgumentException("bad literal");
    }
    i += word.length();
    return v;
  }

  private Map<String, Object> object(int depth) {
    Map<String, Object> m = new LinkedHashMap<>();
    i++;
    ws();
    if (s.charAt(i) == '}') {
      i++;
      return m;
    }
    while (true) {
      ws();
      String k = string();
      ws();
      expect(':');
      ws();
      Object v = value(depth + 1);
      if (v != null) {
        m.put(k, v);
      }
      ws();
      if (s.charAt(i) == ',') {
        i++;
        continue;
      }
      expect('}');
      return m;
    }
  }

  private List<Object> array(int depth) {
    List<Object> l = new ArrayList<>();
    i++;
    ws();
    if (s.charAt(i) == ']') {
      i++;
      return l;
    }
    while (true) {
      ws();
      Object v = value(depth + 1);
      if (v != null) {
        l.add(v);
      }
      ws();
      if (s.charAt(i) == ',') {
        i++;
        continue;
      }
      expect(']');
      return l;
    }
  }

  private void expect(char c) {
    if (s.charAt(i) != c) {
      throw new IllegalArgumentException("expected " + c);
    }
    i++;
  }

  private String string() {
    expect('"');
    StringBuilder sb = new StringBuilder();
    while (true) {
      char c = s.charAt(i++);
      if (c == '"') {
        return sb.toString();
      }
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      char e = s.charAt(i++);
      switch (e) {
        case 'n' -> sb.append('\n');
        case 't' -> sb.append('\t');
        case 'r' -> sb.append('\r');
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'u' -> {
          sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
          i += 4;
        }
        default -> sb.append(e);
      }
    }
  }

  private Double number() {
    int start = i;
    while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
      i++;
    }
    if (start == i) {
      throw new IllegalArgumentException("unexpected character");
    }
    return Double.parseDouble(s.substring(start, i));
  }
}
