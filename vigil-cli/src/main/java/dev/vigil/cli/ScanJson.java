package dev.vigil.cli;

import dev.vigil.output.JsonWriter;
import dev.vigil.posture.Finding;
import dev.vigil.posture.Location;
import dev.vigil.posture.Problem;
import dev.vigil.posture.Scanner;
import dev.vigil.posture.Severity;
import dev.vigil.posture.manifest.SourceText;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * JSON and SARIF 2.1.0, streamed: each workload is written as soon as its document is checked. In
 * JSON a file's {@code workloads} come first, then its {@code problems} and {@code documents}; in
 * SARIF the run's {@code results} come before its {@code tool} (whose rules are those the results
 * used). JSON members have no order, so readers see the same data.
 */
final class ScanJson {
  private ScanJson() {}

  static void location(JsonWriter j, Location l) {
    j.field("file", l.file());
    if (l.line() > 0) {
      j.field("line", l.line());
      j.field("column", l.column());
    }
  }

  /** Vigil's JSON: per file its workloads with their findings, its problems, its documents. */
  static final class Json extends ScanReport {
    private final JsonWriter j;
    private final List<Problem> problems = new ArrayList<>();
    private int documents;

    Json(PrintWriter out, PrintWriter err, Severity failOn, Scanner.Options options) {
      super(out, err, failOn);
      j = JsonWriter.to(out, true);
      j.beginObject();
      j.field("level", options.level().label());
      j.field("psa_version", options.version().toString());
      j.name("files").beginArray();
    }

    @Override
    void onBeginFile(String name) {
      j.beginObject();
      j.field("name", name);
      j.name("workloads").beginArray();
      problems.clear();
      documents = 0;
    }

    @Override
    void onProblem(Problem p, @Nullable SourceText text) {
      problems.add(p); // few: one per document at most, and without nodes
    }

    @Override
    void onSection(Scanner.SectionResult r) {
      documents += r.section().documents();
    }

    @Override
    void onWorkload(Scanner.WorkloadResult w, SourceText text) {
      j.beginObject();
      j.field("workload", w.workload().ref());
      j.field("kind", w.workload().kind());
      j.field("name", w.workload().name());
      j.field("namespace", w.workload().namespace());
      if (!w.workload().origin().isEmpty()) {
        j.field("origin", w.workload().origin());
      }
      if (cluster.isEmpty()) {
        location(j, w.workload().location());
      } else {
        j.field(
            "object",
            w.workload().namespace() + "/" + w.workload().kind() + "/" + w.workload().name());
      }
      j.field("psa_allowed", w.psaMessage().isEmpty());
      if (!w.psaMessage().isEmpty()) {
        j.field("psa_message", w.psaMessage());
      }
      j.name("findings").beginArray();
      for (Finding f : w.findings()) {
        j.beginObject();
        j.field("id", f.id());
        j.field("severity", f.severity().label());
        j.field("title", f.title());
        j.field("message", f.message());
        objectOrLocation(f.location());
        j.field("why", f.why());
        j.field("fix", f.fix());
        if (f.exempted()) {
          j.field("exempted", f.exemption());
        }
        j.endObject();
      }
      j.endArray();
      j.endObject();
    }

    /** A live object's {@code namespace/Kind/name} as {@code object}; a file position otherwise. */
    private void objectOrLocation(Location l) {
      if (cluster.isEmpty()) {
        location(j, l);
      } else {
        j.field("object", l.file());
      }
    }

    @Override
    void onEndFile() {
      j.endArray();
      j.name("problems").beginArray();
      for (Problem p : problems) {
        j.beginObject();
        j.field("code", p.code());
        j.field("severity", p.severity().label());
        j.field("message", p.message());
        objectOrLocation(p.location());
        j.endObject();
      }
      j.endArray();
      j.field("documents", documents);
      j.endObject();
    }

    @Override
    void onEnd() {
      j.endArray();
      if (!cluster.isEmpty()) {
        j.field("cluster", cluster);
      }
      j.endObject();
      j.close();
      out.println();
    }
  }

  /**
   * SARIF 2.1.0: one result per finding, with physical and logical locations and suppressions for
   * exemptions. Problems of the input go to stderr, as in text.
   */
  static final class Sarif extends ScanReport {
    private final JsonWriter j;
    private final String version;
    private final Map<String, Finding> rules = new LinkedHashMap<>();

    Sarif(PrintWriter out, PrintWriter err, Severity failOn, String version) {
      super(out, err, failOn);
      this.version = version;
      j = JsonWriter.to(out, true);
      j.beginObject();
      j.field("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
      j.field("version", "2.1.0");
      j.name("runs").beginArray().beginObject();
      j.name("results").beginArray();
    }

    @Override
    void onBeginFile(String name) {}

    @Override
    void onProblem(Problem p, @Nullable SourceText text) {
      printProblem(p, text, err);
    }

    @Override
    void onWorkload(Scanner.WorkloadResult w, SourceText text) {
      for (Finding f : w.findings()) {
        rules.putIfAbsent(f.id(), f);
        j.beginObject();
        j.field("ruleId", f.id());
        j.field("level", level(f.severity()));
        j.name("message")
            .beginObject()
            .field("text", f.message() + " (" + f.workload() + ")")
            .endObject();
        j.name("locations").beginArray().beginObject();
        if (cluster.isEmpty()) { // a live object has no file, only its logical location
          j.name("physicalLocation").beginObject();
          j.name("artifactLocation").beginObject().field("uri", f.location().file()).endObject();
          if (f.location().line() > 0) {
            j.name("region")
                .beginObject()
                .field("startLine", f.location().line())
                .field("startColumn", f.location().column())
                .endObject();
          }
          j.endObject();
        }
        j.name("logicalLocations")
            .beginArray()
            .beginObject()
            .field("fullyQualifiedName", cluster.isEmpty() ? f.workload() : f.location().file())
            .field("kind", "object")
            .endObject()
            .endArray();
        j.endObject().endArray();
        if (f.exempted()) {
          j.name("suppressions")
              .beginArray()
              .beginObject()
              .field("kind", "external")
              .field("justification", f.exemption())
              .endObject()
              .endArray();
        }
        j.endObject();
      }
    }

    @Override
    void onEndFile() {}

    @Override
    void onEnd() {
      j.endArray();
      j.name("tool").beginObject().name("driver").beginObject();
      j.field("name", "vigil");
      j.field("version", version);
      j.field("informationUri", TOOL_URI);
      j.name("rules").beginArray();
      for (Finding f : rules.values()) {
        j.beginObject();
        j.field("id", f.id());
        j.name("shortDescription").beginObject().field("text", f.title()).endObject();
        j.name("fullDescription")
            .beginObject()
            .field("text", f.why().isEmpty() ? f.title() : f.why())
            .endObject();
        j.name("help").beginObject().field("text", f.fix()).endObject();
        j.name("defaultConfiguration")
            .beginObject()
            .field("level", level(f.severity()))
            .endObject();
        j.endObject();
      }
      j.endArray();
      j.endObject().endObject();
      j.endObject().endArray();
      j.endObject();
      j.close();
      out.println();
    }

    private static String level(Severity s) {
      return switch (s) {
        case ERROR -> "error";
        case WARNING -> "warning";
        case INFO -> "note";
      };
    }
  }
}
