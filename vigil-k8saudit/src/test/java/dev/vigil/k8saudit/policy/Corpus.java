package dev.vigil.k8saudit.policy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** The shared test corpus at {@code ../shared/corpus/k8s-audit} (the build passes its path). */
public final class Corpus {
  private Corpus() {}

  public static Path root() {
    String shared = System.getProperty("vigil.shared", "../shared");
    Path p = Path.of(shared, "corpus", "k8s-audit");
    if (!Files.isDirectory(p)) {
      throw new IllegalStateException(
          "the shared corpus is missing at "
              + p.toAbsolutePath()
              + " (expected ../shared beside the repository)");
    }
    return p;
  }

  public static Path path(String relative) {
    return root().resolve(relative);
  }

  public static byte[] bytes(String relative) {
    try {
      return Files.readAllBytes(path(relative));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An oracle file as plain maps and lists. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> oracle(String name) {
    try {
      String text = Files.readString(path("oracle/" + name));
      return (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every file under a corpus directory with one of the extensions, sorted. */
  public static List<Path> files(String dir, String... extensions) {
    try (var s = Files.walk(path(dir))) {
      return s.filter(Files::isRegularFile)
          .filter(p -> {
            for (String e : extensions) {
              if (p.getFileName().toString().endsWith(e)) {
                return true;
              }
            }
            return false;
          })
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @SuppressWarnings("unchecked")
  public static Map<String, Object> map(@Nullable Object o) {
    return o == null ? Map.of() : (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  public static List<Object> list(@Nullable Object o) {
    return o == null ? List.of() : (List<Object>) o;
  }

  @SuppressWarnings("unchecked")
  public static List<String> strings(@Nullable Object o) {
    return o == null ? List.of() : (List<String>) o;
  }

  public static boolean bool(Map<String, Object> m, String key) {
    return Boolean.TRUE.equals(m.get(key));
  }

  public static int integer(Map<String, Object> m, String key) {
    Object v = m.get(key);
    return v instanceof Number n ? n.intValue() : -1;
  }

  public static Object get(Map<String, Object> m, String key) {
    Object v = m.get(key);
    if (v == null) {
      throw new IllegalStateException("oracle entry has no " + key + ": " + m);
    }
    return v;
  }

  public static String str(Map<String, Object> m, String key) {
    Object v = m.get(key);
    return v == null ? "" : v.toString();
  }
}
