package dev.vigil.cli.daemon;

/** Where a configuration value came from: a file position, or a {@code -o} option. */
record Origin(String source, int line, int col) {
  static Origin option(String text) {
    return new Origin("-o " + text, 0, 0);
  }

  static Origin builtIn() {
    return new Origin("(default)", 0, 0);
  }
}
