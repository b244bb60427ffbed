package dev.vigil.cli;

import dev.vigil.posture.Location;
import dev.vigil.posture.Problem;
import dev.vigil.posture.Severity;
import dev.vigil.posture.manifest.SourceText;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The inputs of {@code vigil scan}: files, directories (their .yaml, .yml and .json files, sorted,
 * recursively) and "-" for stdin. A path that cannot be opened is a usage error (exit 2); a file
 * over the size limit or not in UTF-8 is a problem of the input (exit 1).
 */
final class ScanInput {
  /** One input, read, or the problem that kept it from being read. */
  record Read(SourceText source, List<Problem> problems, Path path) {}

  private ScanInput() {}

  static List<Path> expand(List<String> paths) {
    List<Path> out = new ArrayList<>();
    for (String p : paths) {
      if (p.equals("-")) {
        out.add(Path.of("-"));
        continue;
      }
      Path path = Path.of(p);
      if (Files.isDirectory(path)) {
        try (Stream<Path> s = Files.walk(path)) {
          s.filter(Files::isRegularFile)
              .filter(f -> {
                String n = f.getFileName().toString().toLowerCase(Locale.ROOT);
                return n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json");
              })
              .sorted()
              .forEach(out::add);
        } catch (IOException e) {
          throw new UserError(ExitCode.USAGE, "cannot read directory " + p + ": " + e.getMessage());
        }
      } else if (!Files.isReadable(path)) {
        throw new UserError(
            ExitCode.USAGE,
            "cannot open "
                + p
                + ": "
                + (Files.exists(path) ? "permission denied" : "no such file"));
      } else {
        out.add(path);
      }
    }
    return out;
  }

  static Read read(Path path, long maxBytes, InputStream stdin) {
    String name = path.toString().equals("-") ? "<stdin>" : path.toString();
    byte[] bytes;
    try {
      if (name.equals("<stdin>")) {
        bytes = stdin.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
      } else {
        long size = Files.size(path);
        if (size > maxBytes) {
          return tooLarge(name, path, size, maxBytes);
        }
        bytes = Files.readAllBytes(path);
      }
    } catch (IOException e) {
      throw new UserError(ExitCode.USAGE, "cannot open " + name + ": " + e.getMessage());
    }
    if (bytes.length > maxBytes) {
      return tooLarge(name, path, bytes.length, maxBytes);
    }
    try {
      String text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
      if (text.startsWith("\uFEFF")) {
        text = text.substring(1);
      }
      return new Read(new SourceText(name, text), List.of(), path);
    } catch (CharacterCodingException e) {
      return new Read(
          new SourceText(name, ""),
          List.of(
              new Problem(
                  Severity.ERROR,
                  "not-utf8",
                  "the input is not valid UTF-8",
                  new Location(name, 0, 0))),
          path);
    }
  }

  private static Read tooLarge(String name, Path path, long size, long max) {
    return new Read(
        new SourceText(name, ""),
        List.of(
            new Problem(
                Severity.ERROR,
                "too-large",
                String.format(
                    Locale.ROOT,
                    "the input is %.1f MiB, over the limit of %d MiB (raise it with --max-file-size)",
                    size / 1048576.0,
                    max / 1048576),
                new Location(name, 0, 0))),
        path);
  }
}
