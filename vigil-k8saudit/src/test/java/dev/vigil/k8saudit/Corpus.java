package dev.vigil.k8saudit;

import java.nio.file.Files;
import java.nio.file.Path;

/** The shared test corpus at {@code ../shared/corpus} (the build passes its path). */
public final class Corpus {
  private Corpus() {}

  public static Path root() {
    Path p = Path.of(System.getProperty("vigil.shared", "../shared"), "corpus");
    if (!Files.isDirectory(p)) {
      throw new IllegalStateException(
          "the shared corpus is missing at " + p.toAbsolutePath() + " (expected ../shared)");
    }
    return p;
  }

  public static Path events() {
    return root().resolve("k8s-audit/events");
  }

  public static Path falcoTraces() {
    return root().resolve("falco/falco-0.34.1-legacy-tests/trace_files/k8s_audit");
  }
}
