package dev.vigil.cli;

import dev.vigil.posture.Finding;
import dev.vigil.posture.Problem;
import dev.vigil.posture.Scanner;
import dev.vigil.posture.Severity;
import dev.vigil.posture.manifest.SourceText;
import java.io.PrintWriter;
import org.jspecify.annotations.Nullable;

/**
 * JUnit XML: one test suite per input; one failing test case per problem and per workload and check
 * at or above {@code --fail-on}, one passing test case per clean workload. A suite's counts come
 * before its cases, so one file's cases are held (as text) until the file ends.
 */
final class ScanJunit extends ScanReport {
  private StringBuilder cases = new StringBuilder();
  private String file = "";
  private int tests;
  private int failures;

  ScanJunit(PrintWriter out, PrintWriter err, Severity failOn) {
    super(out, err, failOn);
    out.println("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
    out.println("<testsuites name=\"vigil scan\">");
  }

  @Override
  void onBeginFile(String name) {
    file = name;
    cases = new StringBuilder();
    tests = 0;
    failures = 0;
  }

  @Override
  void onProblem(Problem p, @Nullable SourceText text) {
    if (p.severity().atLeast(failOn)) {
      tests++; // a problem below --fail-on (a note) is no test case
      failures++;
      cases
          .append("    <testcase classname=\"")
          .append(x(file))
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

  @Override
  void onWorkload(Scanner.WorkloadResult w, SourceText text) {
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
          .append(x(file))
          .append("\" name=\"")
          .append(x(w.workload().ref() + " " + f.id()))
          .append("\">\n      <failure type=\"")
          .append(x(f.id()))
          .append("\" message=\"")
          .append(x(f.message()))
          .append("\">")
          .append(x(f.location() + ": " + f.message() + "\nwhy: " + f.why() + "\nfix: " + f.fix()))
          .append("</failure>\n    </testcase>\n");
    }
    if (!any) {
      tests++;
      cases
          .append("    <testcase classname=\"")
          .append(x(file))
          .append("\" name=\"")
          .append(x(w.workload().ref()))
          .append("\"/>\n");
    }
  }

  @Override
  void onEndFile() {
    out.println(
        "  <testsuite name=\""
            + x(file)
            + "\" tests=\""
            + tests
            + "\" failures=\""
            + failures
            + "\" errors=\"0\" skipped=\"0\">");
    out.print(cases);
    out.println("  </testsuite>");
    cases = new StringBuilder();
  }

  @Override
  void onEnd() {
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
