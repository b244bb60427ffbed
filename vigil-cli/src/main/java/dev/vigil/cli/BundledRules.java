package dev.vigil.cli;

import dev.vigil.rules.RulesFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Vigil's own default rules, bundled in the jar from the repository's {@code rules/} directory.
 * {@code rules/INDEX} lists the files in load order.
 */
final class BundledRules {
  private BundledRules() {}

  static List<String> names() {
    List<String> names = new ArrayList<>();
    for (String line : resource("INDEX").split("\n", -1)) {
      String l = line.strip();
      if (!l.isEmpty() && !l.startsWith("#")) {
        names.add(l);
      }
    }
    return names;
  }

  static List<RulesFile> files() {
    List<RulesFile> out = new ArrayList<>();
    for (String n : names()) {
      out.add(new RulesFile("bundled:rules/" + n, resource(n)));
    }
    return out;
  }

  private static String resource(String name) {
    try (InputStream in = BundledRules.class.getResourceAsStream("/rules/" + name)) {
      if (in == null) {
        throw new IllegalStateException("bundled rules file missing from the jar: " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
