package dev.vigil.cli;

import dev.vigil.output.JsonWriter;
import dev.vigil.rules.LoadResult;
import dev.vigil.rules.Location;
import dev.vigil.rules.Rule;
import dev.vigil.rules.Ruleset;
import dev.vigil.rules.ast.Ast;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** {@code vigil rules list} output, as a table or as JSON. */
final class RuleListing {
  private RuleListing() {}

  static void text(Ruleset rs, PrintWriter out) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"NAME", "SOURCE", "PRIORITY", "ENABLED", "EVENTS", "TAGS"});
    for (Rule r : rs.rules()) {
      rows.add(
          new String[] {
            r.name(),
            r.source(),
            r.priority().title(),
            r.enabled() ? "yes" : "no",
            events(r),
            String.join(",", r.tags())
          });
    }
    int[] widths = new int[6];
    for (String[] row : rows) {
      for (int i = 0; i < row.length - 1; i++) {
        widths[i] = Math.min(Math.max(widths[i], row[i].length()), i == 0 ? 60 : 40);
      }
    }
    for (String[] row : rows) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        String cell = row[i];
        if (i < row.length - 1) {
          if (cell.length() > widths[i]) {
            cell = cell.substring(0, widths[i] - 1) + "~";
          }
          sb.append(cell).append(" ".repeat(widths[i] - cell.length() + 2));
        } else {
          sb.append(cell);
        }
      }
      out.println(sb.toString().stripTrailing());
    }
    long enabled = rs.rules().stream().filter(Rule::enabled).count();
    out.println();
    out.println(
        rs.rules().size()
            + " rules ("
            + enabled
            + " enabled), "
            + rs.macros().size()
            + " macros, "
            + rs.lists().size()
            + " lists");
  }

  private static String events(Rule r) {
    if (r.events().size() > 6) {
      return r.events().size() + " event types";
    }
    return r.events().isEmpty() ? "(none)" : String.join(",", r.events());
  }

  static void json(LoadResult result, PrintWriter out) {
    Ruleset rs = result.ruleset();
    try (JsonWriter j = JsonWriter.to(out, true)) {
      j.beginObject();
      j.name("rules").beginArray();
      for (Rule r : rs.rules()) {
        j.beginObject();
        j.field("name", r.name());
        j.field("source", r.source());
        j.field("priority", r.priority().title());
        j.field("enabled", r.enabled());
        j.stringArray("tags", r.tags());
        j.field("desc", r.description());
        j.field("condition", r.condition().value());
        j.field("condition_compiled", r.compiled());
        j.stringArray("events", r.events());
        j.field("output", r.output().text().value());
        j.stringArray("exceptions", r.exceptions());
        location(j, r.trail());
        j.endObject();
      }
      j.endArray();
      j.name("macros").beginArray();
      for (Ruleset.Macro m : rs.macros()) {
        j.beginObject();
        j.field("name", m.name());
        j.field("used", m.used());
        j.field("condition", m.condition().value());
        j.field("condition_compiled", Ast.print(m.expanded()));
        j.endObject();
      }
      j.endArray();
      j.name("lists").beginArray();
      for (Ruleset.ListDef l : rs.lists()) {
        j.beginObject();
        j.field("name", l.name());
        j.field("used", l.used());
        j.stringArray("items", l.items());
        j.endObject();
      }
      j.endArray();
      DiagnosticsPrinter.writeJson(result, j);
      j.endObject();
    }
    out.println();
  }

  private static void location(JsonWriter j, List<Location> trail) {
    if (trail.isEmpty()) {
      return;
    }
    Location l = trail.getLast();
    j.field("file", l.file().name());
    l.position()
        .ifPresent(p -> {
          j.field("line", p.line());
          j.field("column", p.column());
        });
  }
}
