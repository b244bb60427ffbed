package dev.vigil.kernel.compat;

import dev.vigil.rules.RulesFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The shared test corpus at {@code ../shared/corpus} (the build passes its path). */
final class Corpus {
  private Corpus() {}

  static Path root() {
    String shared = System.getProperty("vigil.shared", "../shared");
    Path p = Path.of(shared, "corpus");
    if (!Files.isDirectory(p)) {
      throw new IllegalStateException(
          "the shared corpus is missing at "
              + p.toAbsolutePath()
              + " (expected ../shared beside the repository)");
    }
    return p;
  }

  static Path falco(String name) {
    return root().resolve("falco").resolve(name);
  }

  static RulesFile rulesFile(String name) {
    Path p = falco(name);
    try {
      return new RulesFile(name, Files.readString(p));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
