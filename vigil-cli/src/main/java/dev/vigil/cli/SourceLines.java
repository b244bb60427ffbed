package dev.vigil.cli;

import dev.vigil.k8saudit.policy.load.PolicyLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The lines of a text file, for showing findings in context (malformed UTF-8 replaced). */
final class SourceLines {
  private final List<String> lines;

  private SourceLines(List<String> lines) {
    this.lines = lines;
  }

  static SourceLines of(Path file) {
    try {
      if (Files.size(file) > PolicyLoader.MAX_BYTES) {
        return new SourceLines(List.of());
      }
      byte[] b = Files.readAllBytes(file);
      return new SourceLines(new String(b, StandardCharsets.UTF_8).lines().toList());
    } catch (IOException e) {
      return new SourceLines(List.of());
    }
  }

  /** Line {@code n} (1-based), or {@code ""}. */
  String line(int n) {
    return n >= 1 && n <= lines.size() ? lines.get(n - 1) : "";
  }
}
