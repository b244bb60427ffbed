package dev.vigil.kernel.compat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** Reads the compatibility tables under {@code src/test/resources/compat}. */
final class Tables {
  private Tables() {}

  static Object load(String path) {
    try (InputStream in = Tables.class.getResourceAsStream("/compat/" + path)) {
      if (in == null) {
        throw new IllegalStateException("missing table " + path);
      }
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      Object doc = new Load(LoadSettings.builder().build()).loadFromString(text);
      if (doc == null) {
        throw new IllegalStateException("empty table " + path);
      }
      return doc;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A table that is a sequence of mappings. */
  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> entries(String path) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Object o : (List<Object>) load(path)) {
      out.add((Map<String, Object>) o);
    }
    return out;
  }

  static String str(Map<String, Object> m, String key) {
    Object v = m.get(key);
    return v == null ? "" : String.valueOf(v);
  }

  static boolean bool(Map<String, Object> m, String key) {
    return Boolean.TRUE.equals(m.get(key));
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Map<String, Object> m, String key) {
    Object v = m.get(key);
    return v instanceof List<?> l ? (List<Object>) l : List.of();
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Map<String, Object> m, String key) {
    Object v = m.get(key);
    return v instanceof Map<?, ?> x ? (Map<String, Object>) x : Map.of();
  }
}
