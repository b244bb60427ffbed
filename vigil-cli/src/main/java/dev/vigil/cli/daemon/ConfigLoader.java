package dev.vigil.cli.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Loads the daemon's configuration as Falco does: the main file ({@code -c}), then each {@code
 * config_files} entry (files, or the {@code .yaml}/{@code .yml} files of a directory in name order;
 * no nesting) merged with its strategy, then the {@code -o} options in order; then the typed
 * reading. Without {@code -c} the built-in defaults are the starting point.
 */
public final class ConfigLoader {
  /** Largest configuration file read. */
  static final long MAX_BYTES = 4L << 20;

  private ConfigLoader() {}

  /**
   * The outcome: the configuration (when there are no errors) and every diagnostic.
   *
   * @param unreadable true when a file could not be read at all (a usage-level failure)
   */
  public record Result(
      Optional<DaemonConfig> config, List<ConfigDiagnostic> diagnostics, boolean unreadable) {
    public Result {
      diagnostics = List.copyOf(diagnostics);
    }

    public boolean ok() {
      return config.isPresent();
    }
  }

  /** Loads {@code main} (empty: the defaults) with {@code options} ({@code key=value}) on top. */
  public static Result load(Optional<Path> main, List<String> options) {
    List<ConfigDiagnostic> diags = new ArrayList<>();
    List<Path> files = new ArrayList<>();
    Node.MapNode root = Node.MapNode.empty(Origin.builtIn());
    try {
      if (main.isPresent()) {
        root = file(main.get(), files);
        overlays(root, main.get(), files, diags);
      }
      for (String o : options) {
        Overrides.set(root, o);
      }
    } catch (Yaml.SyntaxError e) {
      diags.add(e.diagnostic);
      return new Result(Optional.empty(), diags, false);
    } catch (Unreadable e) {
      diags.add(new ConfigDiagnostic(true, e.path.toString(), 0, 0, e.reason));
      return new Result(Optional.empty(), diags, true);
    }
    DaemonConfig config = new ConfigReader(diags).read(root, files);
    boolean errors = diags.stream().anyMatch(ConfigDiagnostic::error);
    return new Result(errors ? Optional.empty() : Optional.of(config), diags, false);
  }

  private static final class Unreadable extends Exception {
    private static final long serialVersionUID = 1L;
    final transient Path path;

    final String reason;

    Unreadable(Path path, String message) {
      super(message, null, false, false);
      this.path = path;
      this.reason = message;
    }
  }

  private static Node.MapNode file(Path p, List<Path> files) throws Unreadable, Yaml.SyntaxError {
    String text;
    try {
      if (Files.size(p) > MAX_BYTES) {
        throw new Unreadable(
            p, "cannot read configuration file: larger than " + MAX_BYTES + " bytes");
      }
      text = Files.readString(p, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new Unreadable(p, "cannot open configuration file: no such file");
    } catch (IOException e) {
      throw new Unreadable(p, "cannot read configuration file: " + e.getMessage());
    }
    files.add(p);
    Node n = Yaml.parse(p.toString(), text);
    if (n instanceof Node.MapNode m) {
      return m;
    }
    Origin at = n.origin();
    throw new Yaml.SyntaxError(
        new ConfigDiagnostic(
            true, at.source(), at.line(), at.col(), "the configuration must be a mapping of keys"));
  }

  /** Falco's {@code config_files}: paths or {path, strategy}; missing entries are skipped. */
  private static void overlays(
      Node.MapNode root, Path main, List<Path> files, List<ConfigDiagnostic> diags)
      throws Unreadable, Yaml.SyntaxError {
    Node.Entry e = root.entries().get("config_files");
    if (e == null || !(e.value() instanceof Node.ListNode list)) {
      if (e != null && !(e.value() instanceof Node.Scalar s && s.isNull())) {
        Origin at = e.value().origin();
        diags.add(
            new ConfigDiagnostic(
                true, at.source(), at.line(), at.col(), "config_files: expected a list"));
      }
      return;
    }
    for (Node item : List.copyOf(list.items())) {
      String path;
      Overrides.Strategy strategy = Overrides.Strategy.APPEND;
      Origin at = item.origin();
      switch (item) {
        case Node.Scalar s -> path = s.text();
        case Node.MapNode m -> {
          Section sec = new Section(m, "config_files[]", diags);
          path = sec.string("path", "");
          String st = sec.string("strategy", "append");
          try {
            strategy = Overrides.Strategy.parse(st);
          } catch (IllegalArgumentException ex) {
            diags.add(
                new ConfigDiagnostic(
                    true,
                    at.source(),
                    at.line(),
                    at.col(),
                    "config_files: strategy must be append, override or add-only, got '"
                        + st
                        + "'"));
          }
          sec.finish();
        }
        case Node.ListNode l -> {
          diags.add(
              new ConfigDiagnostic(
                  true, at.source(), at.line(), at.col(), "config_files: expected a path"));
          continue;
        }
      }
      Path p = Path.of(path);
      if (!p.isAbsolute() && main.toAbsolutePath().getParent() != null) {
        p = main.toAbsolutePath().getParent().resolve(p);
      }
      for (Path f : expand(p)) {
        if (f.toAbsolutePath().normalize().equals(main.toAbsolutePath().normalize())) {
          continue;
        }
        Node.MapNode overlay = file(f, files);
        if (overlay.entries().containsKey("config_files")) {
          Origin o = overlay.entries().get("config_files").keyOrigin();
          diags.add(
              new ConfigDiagnostic(
                  false,
                  o.source(),
                  o.line(),
                  o.col(),
                  "config_files in an included file is ignored (no nested includes, as in Falco)"));
          overlay.entries().remove("config_files");
        }
        Overrides.merge(root, overlay, strategy);
      }
    }
  }

  private static List<Path> expand(Path p) throws Unreadable {
    if (!Files.exists(p)) {
      return List.of();
    }
    if (!Files.isDirectory(p)) {
      return List.of(p);
    }
    try (Stream<Path> s = Files.list(p)) {
      return s.filter(Files::isRegularFile)
          .filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new Unreadable(p, "cannot read configuration directory: " + e.getMessage());
    }
  }
}
