package dev.vigil.cli;

import dev.vigil.posture.Finding;
import dev.vigil.posture.Location;
import dev.vigil.posture.Problem;
import dev.vigil.posture.Scanner;
import dev.vigil.posture.Severity;
import dev.vigil.posture.manifest.SourceText;
import java.io.PrintWriter;
import java.util.EnumMap;
import org.jspecify.annotations.Nullable;

/**
 * Writes scan results as they come, one document at a time, so that nothing of an input is kept
 * once it is reported: text (compiler style, this class), JSON and SARIF ({@link ScanJson}) and
 * JUnit XML ({@link ScanJunit}, which holds one file's test cases until the file ends, since a test
 * suite's counts come first). Also tracks what decides the exit code.
 */
abstract class ScanReport {
  static final String TOOL_URI = "https://github.com/vigil-dev/vigil";

  protected final PrintWriter out;
  protected final PrintWriter err;
  protected final Severity failOn;
  private boolean failed;

  /** The kubeconfig context of a {@code --cluster} scan ("" for files): locations are objects. */
  protected String cluster = "";

  ScanReport(PrintWriter out, PrintWriter err, Severity failOn) {
    this.out = out;
    this.err = err;
    this.failOn = failOn;
  }

  /** Marks this a report on live objects of {@code context}, located as namespace/Kind/name. */
  final void cluster(String context) {
    cluster = context;
  }

  /** Whether anything seen so far makes the exit code 1. */
  final boolean failed() {
    return failed;
  }

  final void beginFile(String name) {
    onBeginFile(name);
  }

  /** A problem of the input as a whole (too large, not UTF-8). */
  final void problem(Problem p) {
    failed |= p.severity() == Severity.ERROR;
    onProblem(p, null);
  }

  final void section(Scanner.SectionResult r) {
    SourceText text = r.section().text();
    for (Problem p : r.section().problems()) {
      failed |= p.severity() == Severity.ERROR;
      onProblem(p, text);
    }
    for (Scanner.WorkloadResult w : r.workloads()) {
      for (Finding f : w.findings()) {
        failed |= !f.exempted() && f.severity().atLeast(failOn);
      }
      onWorkload(w, text);
    }
    onSection(r);
  }

  final void endFile() {
    onEndFile();
  }

  final void end() {
    onEnd();
    out.flush();
    err.flush();
  }

  abstract void onBeginFile(String name);

  /** {@code text} holds the problem's line when known. */
  abstract void onProblem(Problem p, @Nullable SourceText text);

  abstract void onWorkload(Scanner.WorkloadResult w, SourceText text);

  void onSection(Scanner.SectionResult r) {}

  abstract void onEndFile();

  abstract void onEnd();

  /** A problem on stderr: {@code file:line:col: error: message [code]} and its line. */
  static void printProblem(Problem p, @Nullable SourceText text, PrintWriter err) {
    err.println(
        p.location() + ": " + p.severity().label() + ": " + p.message() + " [" + p.code() + "]");
    if (text != null) {
      snippet(text, p.location(), err);
    }
  }

  /** The source line of {@code at}, with a caret under its column. */
  static void snippet(SourceText src, Location at, PrintWriter w) {
    if (at.line() < src.firstLine() || at.line() >= src.firstLine() + src.lineCount()) {
      return; // not a line of this text (an input-level problem)
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

  /** Compiler-style text: findings on stdout, problems on stderr, then a summary line. */
  static final class Text extends ScanReport {
    private final EnumMap<Severity, Integer> counts = new EnumMap<>(Severity.class);
    private int workloads;
    private int files;
    private int exempted;

    Text(PrintWriter out, PrintWriter err, Severity failOn) {
      super(out, err, failOn);
      for (Severity s : Severity.values()) {
        counts.put(s, 0);
      }
    }

    @Override
    void onBeginFile(String name) {
      files++;
    }

    @Override
    void onProblem(Problem p, @Nullable SourceText text) {
      printProblem(p, text, err);
    }

    @Override
    void onWorkload(Scanner.WorkloadResult w, SourceText text) {
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
        snippet(text, f.location(), out);
        if (!f.why().isEmpty()) {
          out.println("  why: " + f.why());
        }
        if (!f.fix().isEmpty()) {
          out.println("  fix: " + f.fix());
        }
      }
    }

    @Override
    void onEndFile() {}

    @Override
    void onEnd() {
      out.println(
          workloads
              + (workloads == 1 ? " workload" : " workloads")
              + " in "
              + (cluster.isEmpty()
                  ? files + (files == 1 ? " file" : " files")
                  : "cluster " + cluster)
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
  }
}
