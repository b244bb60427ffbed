package dev.vigil.cli;

import dev.vigil.k8saudit.policy.lint.Check;
import dev.vigil.k8saudit.policy.lint.Finding;
import dev.vigil.k8saudit.policy.load.LoadReport;
import dev.vigil.output.JsonWriter;
import dev.vigil.rules.Severity;
import java.io.PrintWriter;
import java.util.List;

/** Lint findings as SARIF 2.1.0: one run, the tool's rules (every check), results with regions. */
final class SarifReport {
  static final String SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

  private SarifReport() {}

  static void write(LoadReport r, List<Finding> findings, PrintWriter out) {
    List<Check> checks = List.of(Check.values());
    try (JsonWriter j = JsonWriter.to(out, true)) {
      j.beginObject();
      j.field("$schema", SCHEMA);
      j.field("version", "2.1.0");
      j.name("runs").beginArray().beginObject();
      j.name("tool").beginObject().name("driver").beginObject();
      j.field("name", "vigil");
      j.field("informationUri", "https://github.com/vigil-dev/vigil");
      String v = SarifReport.class.getPackage().getImplementationVersion();
      j.field("version", v == null ? "0.1.0-SNAPSHOT" : v);
      j.name("rules").beginArray();
      for (Check c : checks) {
        j.beginObject();
        j.field("id", c.id());
        j.name("shortDescription").beginObject().field("text", c.title()).endObject();
        j.name("defaultConfiguration")
            .beginObject()
            .field("level", level(c.severity()))
            .endObject();
        j.endObject();
      }
      j.endArray();
      j.endObject().endObject();
      j.name("results").beginArray();
      for (Finding f : findings) {
        j.beginObject();
        j.field("ruleId", f.id());
        j.field("ruleIndex", checks.indexOf(f.check()));
        j.field("level", level(f.severity()));
        String text = f.message() + (f.hint().isEmpty() ? "" : ". Fix: " + f.hint());
        j.name("message").beginObject().field("text", text).endObject();
        j.name("locations").beginArray().beginObject();
        j.name("physicalLocation").beginObject();
        j.name("artifactLocation").beginObject().field("uri", uri(r.file())).endObject();
        j.name("region").beginObject();
        j.field("startLine", f.pos().line());
        j.field("startColumn", f.pos().column());
        j.endObject();
        j.endObject();
        j.endObject().endArray();
        j.endObject();
      }
      j.endArray();
      j.endObject().endArray();
      j.endObject();
    }
    out.println();
  }

  static String level(Severity s) {
    return switch (s) {
      case ERROR -> "error";
      case WARNING -> "warning";
      case INFO -> "note";
    };
  }

  /** A relative path as a URI reference (forward slashes, spaces escaped). */
  private static String uri(String file) {
    return file.replace('\\', '/').replace(" ", "%20");
  }
}
