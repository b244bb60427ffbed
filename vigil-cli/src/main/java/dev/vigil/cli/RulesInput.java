package dev.vigil.cli;

import dev.vigil.rules.RulesFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import picocli.CommandLine.Option;

/**
 * The {@code -r FILE|DIR} option shared by commands that load rules, and how Falco expands it:
 * files in the order given; a directory contributes its regular {@code .yaml}/{@code .yml} files
 * (not recursively), sorted by path. Without {@code -r}, Vigil's bundled rules load.
 */
final class RulesInput {
  /** Largest rules file Vigil reads. */
  static final long MAX_FILE_BYTES = 64L * 1024 * 1024;

  @Option(
      names = {"-r", "--rules"},
      paramLabel = "FILE|DIR",
      description =
          "Rules file or directory, repeatable, loaded in order (replaces the bundled rules).")
  List<Path> paths = new ArrayList<>();

  /** The files to load, read into memory; unreadable input is a usage-level failure. */
  List<RulesFile> files() {
    if (paths.isEmpty()) {
      return BundledRules.files();
    }
    List<RulesFile> out = new ArrayList<>();
    for (Path p : paths) {
      if (Files.isDirectory(p)) {
        for (Path f : directory(p)) {
          out.add(read(f));
        }
      } else {
        out.add(read(p));
      }
    }
    return out;
  }

  private static List<Path> directory(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(Files::isRegularFile)
          .filter(RulesInput::isYaml)
          .sorted((a, b) -> a.toString().compareTo(b.toString()))
          .toList();
    } catch (IOException e) {
      throw new UserError(ExitCode.USAGE, "cannot read rules directory " + dir + ": " + reason(e));
    }
  }

  private static boolean isYaml(Path p) {
    String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
    return n.endsWith(".yaml") || n.endsWith(".yml");
  }

  static RulesFile read(Path p) {
    try {
      if (!Files.exists(p)) {
        throw new UserError(ExitCode.USAGE, "cannot open rules file " + p + ": no such file");
      }
      if (Files.size(p) > MAX_FILE_BYTES) {
        throw new UserError(
            ExitCode.FINDINGS,
            "rules file "
                + p
                + " is "
                + Files.size(p)
                + " bytes; the limit is "
                + MAX_FILE_BYTES
                + " bytes");
      }
      return new RulesFile(p.toString(), decode(p, Files.readAllBytes(p)));
    } catch (NoSuchFileException e) {
      throw new UserError(ExitCode.USAGE, "cannot open rules file " + p + ": no such file");
    } catch (IOException e) {
      throw new UserError(ExitCode.USAGE, "cannot open rules file " + p + ": " + reason(e));
    }
  }

  static RulesFile read(String name, InputStream in) throws IOException {
    return new RulesFile(name, decode(Path.of(name), in.readAllBytes()));
  }

  private static String decode(Path p, byte[] bytes) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new UserError(ExitCode.FINDINGS, "rules file " + p + " is not valid UTF-8 text");
    }
  }

  private static String reason(IOException e) {
    String m = e.getMessage();
    return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
  }
}
