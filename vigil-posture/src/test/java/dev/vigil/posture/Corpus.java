package dev.vigil.posture;

import dev.vigil.posture.manifest.ManifestReader;
import dev.vigil.posture.manifest.ReadResult;
import dev.vigil.posture.manifest.SourceText;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the shared corpus is, and reading its files. */
final class Corpus {
  static final Path ROOT =
      Path.of(System.getProperty("vigil.shared", "../../shared")).resolve("corpus/posture");

  private Corpus() {}

  static String text(Path p) {
    try {
      return Files.readString(p, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ReadResult read(Path p) {
    return new ManifestReader().read(new SourceText(p.toString(), text(p)));
  }

  static ReadResult read(String name, String text) {
    return new ManifestReader().read(new SourceText(name, text));
  }
}
