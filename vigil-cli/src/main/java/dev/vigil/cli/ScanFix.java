package dev.vigil.cli;

import dev.vigil.output.JsonWriter;
import dev.vigil.posture.Finding;
import dev.vigil.posture.Problem;
import dev.vigil.posture.Scanner;
import dev.vigil.posture.Severity;
import dev.vigil.posture.fix.Fixer;
import dev.vigil.posture.fix.JsonPatch;
import dev.vigil.posture.fix.UnifiedDiff;
import dev.vigil.posture.manifest.SourceText;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.jspecify.annotations.Nullable;

/**
 * {@code vigil scan --fix}, one document at a time: each document is checked, fixed and checked
 * again as fixed, and its fixed text (or diff, or JSON Patches) is written before the next is read.
 * Only the document at hand and a few lines of diff context are held, whatever the input's size.
 * {@code --write} writes a temporary file beside the input and moves it over the input at the end,
 * so an input is never left half written.
 */
final class ScanFix {
  enum Mode {
    PRINT,
    WRITE,
    DIFF,
    JSON_PATCH
  }

  static Mode mode(boolean write, boolean diff, boolean jsonPatch) {
    return jsonPatch ? Mode.JSON_PATCH : diff ? Mode.DIFF : write ? Mode.WRITE : Mode.PRINT;
  }

  private final Scanner scanner;
  private final Fixer fixer;
  private final Mode mode;
  private final Severity failOn;
  private final PrintWriter out;
  private final PrintWriter err;
  private boolean failed;
  private int files;
  private final boolean patches;
  private boolean firstPatch = true;

  // the current input
  private String name = "";
  private UnifiedDiff.@Nullable Writer diff;
  private @Nullable Path temp;
  private @Nullable Writer tempOut;
  private int edits;

  /** The input could not be read to its end: it is not written. */
  private boolean broken;

  /** Where the next fixed document starts in the fixed text. */
  private int fixedLine;

  private int fixedChar;
  private int fixedCp;
  private boolean atLineStart = true;
  private boolean firstText;

  ScanFix(
      Scanner scanner, Fixer fixer, Mode mode, Severity failOn, PrintWriter out, PrintWriter err) {
    this.scanner = scanner;
    this.fixer = fixer;
    this.mode = mode;
    this.failOn = failOn;
    this.out = out;
    this.err = err;
    this.patches = mode == Mode.JSON_PATCH;
    if (patches) {
      out.println("[");
    }
  }

  void beginFile(String file) {
    name = file;
    files++;
    edits = 0;
    broken = false;
    fixedLine = 1;
    fixedChar = 0;
    fixedCp = 0;
    firstText = true;
    diff = mode == Mode.DIFF ? new UnifiedDiff.Writer(file, out) : null;
    if (mode == Mode.WRITE && !file.equals("<stdin>")) {
      try {
        Path target = Path.of(file).toAbsolutePath();
        temp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".vigil");
        tempOut = Files.newBufferedWriter(temp, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UserError(
            ExitCode.RUNTIME, "cannot write beside " + file + ": " + e.getMessage());
      }
    }
  }

  void problem(Problem p) {
    failed |= p.severity() == Severity.ERROR;
    broken = true;
    ScanReport.printProblem(p, null, err);
  }

  void scan(String file, Reader in) {
    scanner.scan(file, in, this::section);
  }

  private void section(Scanner.SectionResult r) {
    SourceText text = r.section().text();
    broken |= !r.section().whole(); // its text was not kept: --write would drop it
    for (Problem p : r.section().problems()) {
      failed |= p.severity() == Severity.ERROR;
      ScanReport.printProblem(p, text, err);
    }
    Fixer.SectionFix f = fixer.fix(r);
    edits += f.edits().size();
    for (Fixer.WorkloadFix wf : f.workloads()) {
      for (String note : wf.notes()) {
        err.println("vigil: " + name + ": " + wf.workload() + ": " + note);
      }
      if (patches) {
        patch(wf);
      }
    }
    switch (mode) {
      case PRINT -> print(f.fixed());
      case WRITE -> write(f.fixed());
      case DIFF -> {
        UnifiedDiff.Writer d = diff;
        if (d != null) {
          d.add(text.text(), text.firstLine() - 1, f.edits());
        }
      }
      case JSON_PATCH -> {}
    }
    recheck(f.fixed(), text.lineBreak());
  }

  /** One workload's JSON Patch, with where the workload is. */
  private void patch(Fixer.WorkloadFix wf) {
    String head =
        JsonWriter.string(j -> {
          j.beginObject();
          j.field("file", name);
          j.field("document", wf.document());
          j.field("pointer", wf.pointer());
          j.field("workload", wf.workload());
        });
    out.print(firstPatch ? "" : ",\n");
    firstPatch = false;
    out.print(
        head.substring(0, head.length() - 1)
            + ", \"patch\": "
            + JsonPatch.render(wf.patch()).replace("\n", "\n  ")
            + "}");
  }

  /** Checks a fixed document again: what is still failing is reported and fails the run. */
  private void recheck(String fixed, String lineBreak) {
    SourceText window = new SourceText(name, fixed, fixedChar, fixedCp, fixedLine, lineBreak);
    scanner.scan(
        window,
        r -> {
          for (Scanner.WorkloadResult w : r.workloads()) {
            for (Finding f : w.findings()) {
              if (!f.exempted() && f.severity().atLeast(failOn)) {
                failed = true;
                err.println(
                    "vigil: not fixed: " + f.location() + ": [" + f.id() + "] " + f.message());
              }
            }
          }
        });
    fixedChar += fixed.length();
    fixedCp += fixed.codePointCount(0, fixed.length());
    for (int i = fixed.indexOf('\n'); i >= 0; i = fixed.indexOf('\n', i + 1)) {
      fixedLine++;
    }
  }

  private void print(String text) {
    if (text.isEmpty()) {
      return;
    }
    if (firstText && files > 1) {
      if (!atLineStart) {
        out.println();
      }
      if (!text.startsWith("---")) {
        out.println("---");
      }
    }
    firstText = false;
    out.print(text);
    atLineStart = text.endsWith("\n");
  }

  private void write(String text) {
    if (tempOut == null) {
      print(text); // stdin: the fixed text goes to stdout
      return;
    }
    try {
      tempOut.write(text);
    } catch (IOException e) {
      throw new UserError(ExitCode.RUNTIME, "cannot write beside " + name + ": " + e.getMessage());
    }
  }

  void endFile() {
    if (diff != null) {
      diff.finish();
      diff = null;
    }
    if (temp != null && tempOut != null) {
      Path t = temp;
      try {
        tempOut.close();
        if (edits > 0 && !broken) {
          Path target = Path.of(name);
          try {
            Files.setPosixFilePermissions(t, Files.getPosixFilePermissions(target));
          } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the new file keeps default permissions
          }
          Files.move(
              t, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
          err.println("vigil: fixed " + name + " (" + edits + " edits)");
        } else {
          Files.delete(t);
        }
      } catch (IOException e) {
        throw new UserError(ExitCode.RUNTIME, "cannot write " + name + ": " + e.getMessage());
      } finally {
        temp = null;
        tempOut = null;
      }
    }
  }

  /** Ends the output; true when the fixed manifests still fail (the exit code is 1). */
  boolean finish() {
    if (patches) {
      out.println(firstPatch ? "]" : "\n]");
    }
    if (mode == Mode.PRINT && !atLineStart) {
      out.println();
    }
    out.flush();
    err.flush();
    return failed;
  }
}
