package dev.vigil.cli;

import dev.vigil.output.JsonWriter;
import dev.vigil.rules.Diagnostic;
import dev.vigil.rules.LoadResult;
import dev.vigil.rules.Location;
import dev.vigil.rules.text.Position;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Renders rules-loading diagnostics: as text in the compiler style ({@code file:line:col: severity:
 * message [CODE]}, the source line and a caret under the spot, then the location trail), and as
 * JSON for machines.
 */
final class DiagnosticsPrinter {
  private DiagnosticsPrinter() {}

  static void printText(Diagnostic d, PrintWriter w) {
    Optional<Position> pos = d.position();
    String where = pos.map(Position::toString).orElse(d.fileName());
    w.println(
        where + ": " + d.severity().label() + ": " + d.message() + " [" + d.code().name() + "]");
    pos.ifPresent(p -> {
      String line = p.file().lineText(p.line());
      String num = String.valueOf(p.line());
      String shown = clip(line, p.column());
      int caret = caretColumn(line, p.column());
      w.println("  " + num + " | " + shown);
      w.println("  " + " ".repeat(num.length()) + " | " + " ".repeat(caret) + "^");
    });
    d.hint().ifPresent(h -> w.println("  hint: " + h));
    String trail = trail(d.trail());
    if (!trail.isEmpty()) {
      w.println("  in " + trail);
    }
  }

  /** Long lines (a 10 MB condition) are cut around the spot. */
  private static String clip(String line, int column) {
    if (line.length() <= 160) {
      return expandTabs(line);
    }
    int from = Math.max(0, column - 80);
    int to = Math.min(line.length(), from + 160);
    return (from > 0 ? "..." : "")
        + expandTabs(line.substring(from, to))
        + (to < line.length() ? "..." : "");
  }

  private static int caretColumn(String line, int column) {
    int from = line.length() <= 160 ? 0 : Math.max(0, column - 80);
    int prefix = from > 0 ? 3 : 0;
    String before = line.substring(from, Math.clamp(column - 1, from, line.length()));
    return prefix + expandTabs(before).length();
  }

  private static String expandTabs(String s) {
    return s.replace('\t', ' ');
  }

  private static String trail(List<Location> trail) {
    List<String> parts = new ArrayList<>();
    for (Location l : trail) {
      if (l.kind().equals("rules content")) {
        continue;
      }
      parts.add(
          l.describe()
              + l.position().map(p -> " (" + p.line() + ":" + p.column() + ")").orElse(""));
    }
    return String.join(" > ", parts);
  }

  /** Falco's per-file verdict: Ok, Ok with warnings, Invalid. */
  static String verdict(LoadResult.FileResult f) {
    if (!f.loaded()) {
      return "Not loaded (an earlier file failed)";
    }
    if (!f.ok()) {
      return "Invalid";
    }
    return f.hasWarnings() ? "Ok, with warnings" : "Ok";
  }

  static void writeJson(Diagnostic d, JsonWriter j) {
    j.beginObject();
    j.field("code", d.code().name());
    j.field("codedesc", d.code().text());
    j.field("severity", d.severity().label());
    j.field("message", d.message());
    j.field("file", d.fileName());
    Optional<Position> pos = d.position();
    if (pos.isPresent()) {
      j.field("line", pos.get().line());
      j.field("column", pos.get().column());
      j.field("snippet", pos.get().file().lineText(pos.get().line()));
    }
    d.hint().ifPresent(h -> j.field("hint", h));
    j.name("context").beginArray();
    for (Location l : d.trail()) {
      j.beginObject();
      j.field("kind", l.kind());
      if (!l.name().isEmpty()) {
        j.field("name", l.name());
      }
      j.field("file", l.file().name());
      l.position()
          .ifPresent(p -> {
            j.field("line", p.line());
            j.field("column", p.column());
          });
      j.endObject();
    }
    j.endArray();
    j.endObject();
  }

  static void writeJson(LoadResult result, JsonWriter j) {
    j.name("results").beginArray();
    for (LoadResult.FileResult f : result.files()) {
      j.beginObject();
      j.field("name", f.name());
      j.field("loaded", f.loaded());
      j.field("successful", f.ok());
      j.field("status", verdict(f));
      j.name("errors").beginArray();
      f.diagnostics().stream()
          .filter(d -> d.severity() == dev.vigil.rules.Severity.ERROR)
          .forEach(d -> writeJson(d, j));
      j.endArray();
      j.name("warnings").beginArray();
      f.diagnostics().stream()
          .filter(d -> d.severity() != dev.vigil.rules.Severity.ERROR)
          .forEach(d -> writeJson(d, j));
      j.endArray();
      j.endObject();
    }
    j.endArray();
    j.field("successful", result.ok());
  }
}
