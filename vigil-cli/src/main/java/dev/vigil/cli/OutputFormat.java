package dev.vigil.cli;

import picocli.CommandLine.Option;

/** {@code --format text|json} and its shorthand {@code --json}. */
final class OutputFormat {
  enum Format {
    TEXT,
    JSON
  }

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      description = "Output format: text or json (default: text).")
  Format format = Format.TEXT;

  @Option(names = "--json", description = "Short for --format json.")
  boolean json;

  boolean isJson() {
    return json || format == Format.JSON;
  }
}
