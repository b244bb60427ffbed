package dev.vigil.cli;

import dev.vigil.posture.Location;
import dev.vigil.posture.Problem;
import dev.vigil.posture.Severity;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The inputs of {@code vigil scan}: files, directories (their .yaml, .yml and .json files, sorted,
 * recursively) and "-" for stdin, opened as UTF-8 readers so that they are read as streams. A path
 * that cannot be opened is a usage error (exit 2); input over an optional size limit or not in
 * UTF-8 is a problem of the input (exit 1).
 */
final class ScanInput {
  private ScanInput() {}

  static String name(Path path) {
    return path.toString().equals("-") ? "<stdin>" : path.toString();
  }

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

  /**
   * Opens an input for reading: a UTF-8 reader (a leading byte order mark skipped) that fails with
   * {@link CharacterCodingException} on bytes that are not UTF-8 and with {@link TooLarge} past
   * {@code maxBytes} (0: no limit). A file known to be too large is not opened: the problem is
   * returned instead.
   */
  static Opened open(Path path, long maxBytes, InputStream stdin) {
    String name = name(path);
    try {
      InputStream raw;
      if (name.equals("<stdin>")) {
        raw = stdin;
      } else {
        long size = Files.size(path);
        if (maxBytes > 0 && size > maxBytes) {
          return new Opened(name, Optional.empty(), Optional.of(tooLarge(name, size, maxBytes)));
        }
        raw = Files.newInputStream(path);
      }
      InputStream in = new BufferedInputStream(raw, 1 << 16);
      if (maxBytes > 0) {
        in = new Limited(in, maxBytes);
      }
      in.mark(3);
      byte[] bom = in.readNBytes(3);
      if (!(bom.length == 3
          && (bom[0] & 0xff) == 0xef
          && (bom[1] & 0xff) == 0xbb
          && (bom[2] & 0xff) == 0xbf)) {
        in.reset();
      }
      Reader reader = new Utf8Reader(in);
      return new Opened(name, Optional.of(reader), Optional.empty());
    } catch (IOException e) {
      throw new UserError(ExitCode.USAGE, "cannot open " + name + ": " + e.getMessage());
    }
  }

  /** An input opened for reading, or the problem that kept it from being opened. */
  record Opened(String name, Optional<Reader> reader, Optional<Problem> problem) {}

  /** What reading an input failed with, as a problem of the input. */
  static Problem readFailure(String name, IOException e, long maxBytes) {
    if (e instanceof TooLarge) {
      return tooLarge(name, -1, maxBytes);
    }
    if (e instanceof CharacterCodingException) {
      return new Problem(
          Severity.ERROR, "not-utf8", "the input is not valid UTF-8", new Location(name, 0, 0));
    }
    throw new UserError(ExitCode.RUNTIME, "cannot read " + name + ": " + e.getMessage());
  }

  private static Problem tooLarge(String name, long size, long max) {
    String what =
        size > 0
            ? String.format(Locale.ROOT, "the input is %.1f MiB, over", size / 1048576.0)
            : "the input is over";
    return new Problem(
        Severity.ERROR,
        "too-large",
        what + " the limit of " + max / 1048576 + " MiB (raise it with --max-file-size)",
        new Location(name, 0, 0));
  }

  /** Input read past the size limit. */
  static final class TooLarge extends IOException {
    private static final long serialVersionUID = 1L;

    TooLarge() {
      super("input over the size limit");
    }
  }

  /** A stream that fails once more than {@code max} bytes have been read from it. */
  private static final class Limited extends FilterInputStream {
    private final long max;
    private long read;
    private long mark;

    Limited(InputStream in, long max) {
      super(in);
      this.max = max;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count(n);
      }
      return n;
    }

    @Override
    public synchronized void mark(int limit) {
      super.mark(limit);
      mark = read;
    }

    @Override
    public synchronized void reset() throws IOException {
      super.reset();
      read = mark;
    }

    private void count(int n) throws TooLarge {
      read += n;
      if (read > max) {
        throw new TooLarge();
      }
    }
  }
}
