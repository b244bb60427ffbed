package dev.vigil.rules;

import java.util.ArrayList;
import java.util.List;

/**
 * The outcome of loading rules files: per-file diagnostics, in load order, and the ruleset compiled
 * from every file that loaded (empty if one failed).
 *
 * @param files one result per file given; files after a failing one are not loaded
 * @param ruleset the compiled rules
 */
public record LoadResult(List<FileResult> files, Ruleset ruleset) {
  public LoadResult {
    files = List.copyOf(files);
  }

  /**
   * One file's outcome.
   *
   * @param name the file name
   * @param loaded false when an earlier file failed and this one was not read
   * @param diagnostics its errors and warnings
   */
  public record FileResult(String name, boolean loaded, List<Diagnostic> diagnostics) {
    public FileResult {
      diagnostics = List.copyOf(diagnostics);
    }

    public boolean ok() {
      return loaded && diagnostics.stream().noneMatch(d -> d.severity() == Severity.ERROR);
    }

    public boolean hasWarnings() {
      return diagnostics.stream().anyMatch(d -> d.severity() == Severity.WARNING);
    }
  }

  /** True when every file loaded without errors. */
  public boolean ok() {
    return files.stream().allMatch(FileResult::ok);
  }

  public List<Diagnostic> diagnostics() {
    List<Diagnostic> all = new ArrayList<>();
    files.forEach(f -> all.addAll(f.diagnostics()));
    return all;
  }

  public List<Diagnostic> errors() {
    return diagnostics().stream().filter(d -> d.severity() == Severity.ERROR).toList();
  }

  public List<Diagnostic> warnings() {
    return diagnostics().stream().filter(d -> d.severity() == Severity.WARNING).toList();
  }
}
