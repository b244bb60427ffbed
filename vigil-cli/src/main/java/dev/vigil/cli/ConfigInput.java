package dev.vigil.cli;

import dev.vigil.cli.daemon.ConfigDiagnostic;
import dev.vigil.cli.daemon.ConfigLoader;
import dev.vigil.cli.daemon.DaemonConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** The {@code -c FILE}, {@code -o key=value} and {@code --json} options of the daemon commands. */
final class ConfigInput {
  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      description =
          "vigil.yaml (or a falco.yaml): Falco's configuration keys (default: built-in"
              + " defaults).")
  @Nullable Path file;

  @Option(
      names = "-o",
      paramLabel = "KEY=VALUE",
      description =
          "Set a configuration key, Falco style: a.b=v, list[0].x=v, list[]=v (appends);"
              + " the value is YAML. Repeatable; wins over the file.")
  List<String> options = new ArrayList<>();

  @Option(names = "--json", description = "Short for -o json_output=true.")
  boolean json;

  @Option(
      names = {"-U", "--unbuffered"},
      description =
          "Do not buffer stdout: flush as alerts are written (Falco's -U; -o buffered_outputs=false).")
  boolean unbuffered;

  List<String> allOptions() {
    List<String> all = new ArrayList<>(options);
    if (json) {
      all.add("json_output=true");
    }
    if (unbuffered) {
      all.add("buffered_outputs=false");
    }
    return all;
  }

  ConfigLoader.Result load() {
    return ConfigLoader.load(Optional.ofNullable(file), allOptions());
  }

  /** Loads, printing diagnostics with their source lines; errors end the command. */
  DaemonConfig loadOrExit(PrintWriter err) {
    ConfigLoader.Result r = load();
    print(r.diagnostics(), err);
    if (r.unreadable()) {
      throw new UserError(ExitCode.USAGE, "cannot read the configuration; not starting");
    }
    return r.config()
        .orElseThrow(
            () -> new UserError(ExitCode.FINDINGS, "the configuration has errors; not starting"));
  }

  /** {@code file:line:col: error: message}, then the source line and a caret under the spot. */
  static void print(List<ConfigDiagnostic> diags, PrintWriter err) {
    for (ConfigDiagnostic d : diags) {
      err.println(d.render());
      sourceLine(d)
          .ifPresent(line -> {
            String n = Integer.toString(d.line());
            err.println("  " + n + " | " + line);
            err.println(
                "  " + " ".repeat(n.length()) + " | " + " ".repeat(Math.max(0, d.col() - 1)) + "^");
          });
    }
    err.flush();
  }

  private static Optional<String> sourceLine(ConfigDiagnostic d) {
    if (d.line() <= 0) {
      return Optional.empty();
    }
    try {
      List<String> lines = Files.readAllLines(Path.of(d.source()));
      return d.line() <= lines.size() ? Optional.of(lines.get(d.line() - 1)) : Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
