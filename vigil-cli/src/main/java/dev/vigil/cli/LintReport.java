package dev.vigil.cli;

import dev.vigil.k8saudit.policy.lint.Finding;
import dev.vigil.k8saudit.policy.load.LoadReport;
import dev.vigil.output.JsonWriter;
import dev.vigil.rules.Severity;
import java.io.PrintWriter;
import java.util.List;

/** Lint findings as text (compiler style, with the source line and a caret) and as JSON. */
final class LintReport {
  private LintReport() {}

  static void text(LoadReport r, List<Finding> findings, SourceLines src, PrintWriter out) {
    for (Finding f : findings) {
      out.println(
          r.file()
              + ":"
              + f.pos().line()
              + ":"
              + f.pos().column()
              + ": "
              + f.severity().label()
              + ": "
              + f.message()
              + " ["
              + f.id()
              + "]");
      String line = src.line(f.pos().line());
      if (!line.isEmpty()) {
        String num = String.valueOf(f.pos().line());
        String shown = line.length() > 160 ? line.substring(0, 160) + "..." : line;
        int caret = Math.min(f.pos().column() - 1, shown.length());
        out.println("  " + num + " | " + shown.replace('\t', ' '));
        out.println("  " + " ".repeat(num.length()) + " | " + " ".repeat(Math.max(caret, 0)) + "^");
      }
      if (!f.hint().isEmpty()) {
        out.println("  hint: " + f.hint());
      }
    }
    if (!findings.isEmpty()) {
      out.println();
    }
    out.println(
        count(findings, Severity.ERROR, "error")
            + ", "
            + count(findings, Severity.WARNING, "warning")
            + ", "
            + count(findings, Severity.INFO, "info")
            + " (kube-apiserver "
            + r.version()
            + ": "
            + r.outcome()
            + ")");
  }

  private static String count(List<Finding> findings, Severity s, String word) {
    long n = findings.stream().filter(f -> f.severity() == s).count();
    return n + " " + word + (n == 1 ? "" : "s");
  }

  static void json(LoadReport r, List<Finding> findings, PrintWriter out) {
    try (JsonWriter j = JsonWriter.to(out, true)) {
      j.beginObject();
      j.name("kubeApiserver").beginObject();
      KubeJson.write(r, j);
      j.endObject();
      j.name("findings").beginArray();
      for (Finding f : findings) {
        j.beginObject();
        j.field("id", f.id());
        j.field("severity", f.severity().label());
        j.field("file", r.file());
        j.field("line", f.pos().line());
        j.field("column", f.pos().column());
        if (f.rule().isPresent()) {
          j.field("rule", f.rule().getAsInt());
        }
        j.field("message", f.message());
        j.field("hint", f.hint());
        j.endObject();
      }
      j.endArray();
      j.name("summary").beginObject();
      for (Severity s : Severity.values()) {
        j.field(s.label(), findings.stream().filter(f -> f.severity() == s).count());
      }
      j.endObject();
      j.endObject();
    }
    out.println();
  }
}
