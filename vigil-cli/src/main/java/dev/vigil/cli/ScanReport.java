package dev.vigil.cli;

import dev.vigil.output.JsonWriter;
import dev.vigil.posture.Finding;
import dev.vigil.posture.Location;
import dev.vigil.posture.Problem;
import dev.vigil.posture.Scanner;
import dev.vigil.posture.Severity;
import dev.vigil.posture.manifest.SourceText;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Renders scan results: text (compiler style), JSON, SARIF 2.1.0 and JUnit XML. */
final class ScanReport {
  static final String TOOL_URI = "https://github.com/vigil-dev/vigil";

  private ScanReport() {}

  /** A scanned input and its problems (read problems plus those of reading the file). */
  record Input(SourceText source, List<Problem> problems, Scanner.FileResult result) {}

  // ---- text

  static void text(List<Input> inputs, Severity failOn, PrintWriter out) {
    int workloads = 0;
    java.util.EnumMap<Severity, Integer> counts = new java.util.EnumMap<>(Severity.class);
    for (Severity s : Severity.values()) {
      counts.put(s, 0);
    }
    int exempted = 0;
    for (Input in : inputs) {
      for (Scanner.WorkloadResult w : in.result().workloads()) {
        workloads++;
        for (Finding f : w.findings()) {
          if (f.exempted()) {
            exempted++;
            continue;
          }
          counts.merge(f.severity(), 1, Integer::sum);
          out.println(
              f.location()
                  + ": "
                  + f.severity().label()
                  + ": ["
                  + f.id()
                  + "] "
                  + f.message()
                  + " ("
                  + f.workload()
                  + ")");
          snippet(in.source(), f.location(), out);
          if (!f.why().isEmpty()) {
            out.println("  why: " + f.why());
          }
          if (!f.fix().isEmpty()) {
            out.println("  fix: " + f.fix());
          }
        }
      }
    }
    out.println(
        workloads
            + (workloads == 1 ? " workload" : " workloads")
            + " in "
            + inputs.size()
            + (inputs.size() == 1 ? " file" : " files")
            + ": "
            + counts.get(Severity.ERROR)
            + " errors, "
            + counts.get(Severity.WARNING)
            + " warnings, "
            + counts.get(Severity.INFO)
            + " info"
            + (exempted > 0 ? ", " + exempted + " exempted" : "")
            + " (failing on "
            + failOn.label()
            + ")");
  }

  static void problemsText(List<Input> inputs, PrintWriter err) {
    for (Input in : inputs) {
      for (Problem p : in.problems()) {
        err.println(
            p.location()
                + ": "
                + p.severity().label()
                + ": "
                + p.message()
                + " ["
                + p.code()
                + "]");
        snippet(in.source(), p.location(), err);
      }
    }
  }

  static void snippet(SourceText src, Location at, PrintWriter w) {
    if (at.line() <= 0) {
      return;
    }
    String line = src.lineText(at.line());
    if (line.length() > 160) {
      line = line.substring(0, 160) + "...";
    }
    String num = String.valueOf(at.line());
    w.println("  " + num + " | " + line.replace('\t', ' '));
    w.println(
        "  "
            + " ".repeat(num.length())
            + " | "
            + " ".repeat(Math.max(0, Math.min(at.column() - 1, 160)))
            + "^");
  }

  // ---- JSON

  static void json(List<Input> inputs, Scanner.Options options, PrintWriter out) {
    try (JsonWriter j = JsonWriter.to(out, true)) {
      j.beginObject();
      j.field("level", options.level().label());
      j.field("psa_version", options.version().toString());
      j.name("files").beginArray();
      for (Input in : inputs) {
        j.beginObject();
        j.field("name", in.source().name());
        j.field("documents", in.result().read().documents());
        j.name("problems").beginArray();
        for (Problem p : in.problems()) {
          j.beginObject();
          j.field("code", p.code());
          j.field("severity", p.severity().label());
          j.field("message", p.message());
          location(j, p.location());
          j.endObject();
        }
        j.endArray();
        j.name("workloads").beginArray();
        for (Scanner.WorkloadResult w : in.result().workloads()) {
          j.beginObject();
          j.field("workload", w.workload().ref());
          j.field("kind", w.workload().kind());
          j.field("name", w.workload().name());
          j.field("namespace", w.workload().namespace());
          if (!w.workload().origin().isEmpty()) {
            j.field("origin", w.workload().origin());
          }
          location(j, w.workload().location());
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
            location(j, f.location());
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
        j.endArray();
        j.endObject();
      }
      j.endArray();
      j.endObject();
    }
    out.println();
  }

  private static void location(JsonWriter j, Location l) {
    j.field("file", l.file());
    if (l.line() > 0) {
      j.field("line", l.line());
      j.field("column", l.column());
    }
  }

  // ---- SARIF 2.1.0

  static void sarif(List<Input> inputs, String version, PrintWriter out) {
    Map<String, Finding> rules = new LinkedHashMap<>();
    for (Input in : inputs) {
      for (Scanner.WorkloadResult w : in.result().workloads()) {
        for (Finding f : w.findings()) {
          rules.putIfAbsent(f.id(), f);
        }
      }
    }
    try (JsonWriter j = JsonWriter.to(out, true)) {
      j.beginObject();
      j.field("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
      j.field("version", "2.1.0");
      j.name("runs").beginArray().beginObject();
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
      j.name("results").beginArray();
      for (Input in : inputs) {
        for (Scanner.WorkloadResult w : in.result().workloads()) {
          for (Finding f : w.findings()) {
            j.beginObject();
            j.field("ruleId", f.id());
            j.field("level", level(f.severity()));
            j.name("message")
                .beginObject()
                .field("text", f.message() + " (" + f.workload() + ")")
                .endObject();
            j.name("locations").beginArray().beginObject();
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
            j.name("logicalLocations")
                .beginArray()
                .beginObject()
                .field("fullyQualifiedName", f.workload())
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
      }
      j.endArray();
      j.endObject().endArray();
      j.endObject();
    }
    out.println();
  }

  private static String level(Severity s) {
    return switch (s) {
      case ERROR -> "error";
      case WARNING -> "warning";
      case INFO -> "note";
    };
  }

  // ---- JUnit XML

  /**
   * One test suite per input; one test case per workload and check that failed, one per clean
   * workload.
   */
  static void junit(List<Input> inputs, Severity failOn, PrintWriter out) {
    out.println("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
    out.println("<testsuites name=\"vigil scan\">");
    for (Input in : inputs) {
      StringBuilder cases = new StringBuilder();
      int tests = 0;
      int failures = 0;
      for (Problem p : in.problems()) {
        tests++;
        if (p.severity().atLeast(failOn)) {
          failures++;
          cases
              .append("    <testcase classname=\"")
              .append(x(in.source().name()))
              .append("\" name=\"")
              .append(x("input: " + p.code()))
              .append("\">\n      <failure type=\"")
              .append(x(p.code()))
              .append("\" message=\"")
              .append(x(p.message()))
              .append("\">")
              .append(x(p.location() + ": " + p.message()))
              .append("</failure>\n    </testcase>\n");
        }
      }
      for (Scanner.WorkloadResult w : in.result().workloads()) {
        boolean any = false;
        for (Finding f : w.findings()) {
          if (f.exempted() || !f.severity().atLeast(failOn)) {
            continue;
          }
          any = true;
          tests++;
          failures++;
          cases
              .append("    <testcase classname=\"")
              .append(x(in.source().name()))
              .append("\" name=\"")
              .append(x(w.workload().ref() + " " + f.id()))
              .append("\">\n      <failure type=\"")
              .append(x(f.id()))
              .append("\" message=\"")
              .append(x(f.message()))
              .append("\">")
              .append(
                  x(f.location() + ": " + f.message() + "\nwhy: " + f.why() + "\nfix: " + f.fix()))
              .append("</failure>\n    </testcase>\n");
        }
        if (!any) {
          tests++;
          cases
              .append("    <testcase classname=\"")
              .append(x(in.source().name()))
              .append("\" name=\"")
              .append(x(w.workload().ref()))
              .append("\"/>\n");
        }
      }
      out.println(
          "  <testsuite name=\""
              + x(in.source().name())
              + "\" tests=\""
              + tests
              + "\" failures=\""
              + failures
              + "\" errors=\"0\" skipped=\"0\">");
      out.print(cases);
      out.println("  </testsuite>");
    }
    out.println("</testsuites>");
  }

  private static String x(String s) {
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\n' -> b.append("&#10;");
        default -> {
          if (c >= 0x20 || c == '\t') {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
  }
}
