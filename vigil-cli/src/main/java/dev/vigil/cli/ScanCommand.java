package dev.vigil.cli;

import dev.vigil.output.JsonWriter;
import dev.vigil.posture.Exemptions;
import dev.vigil.posture.Finding;
import dev.vigil.posture.Problem;
import dev.vigil.posture.Scanner;
import dev.vigil.posture.Severity;
import dev.vigil.posture.fix.Fixer;
import dev.vigil.posture.fix.JsonPatch;
import dev.vigil.posture.fix.UnifiedDiff;
import dev.vigil.posture.fix.WritablePaths;
import dev.vigil.posture.manifest.ManifestReader;
import dev.vigil.posture.manifest.SourceText;
import dev.vigil.posture.pss.Level;
import dev.vigil.posture.pss.PsaVersion;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vigil scan}: Pod Security and immutability checks on manifests, and their fixes. */
@Command(
    name = "scan",
    mixinStandardHelpOptions = true,
    description = {
      "Check workload manifests for Pod Security and immutability; fix them.",
      "Pod Security Standards exactly as Pod Security Admission enforces them",
      "(per level and version, with PSA's messages), plus Vigil's immutability",
      "checks; optionally fixed with minimal YAML edits. Reads YAML or JSON:",
      "multi-document files, directories, '-' for stdin, the output of helm",
      "template and kustomize build. Pod Security violations are errors."
    },
    footer = {
      "",
      "Examples:",
      "  vigil scan deploy/                          # restricted, latest (v1.36)",
      "  helm template chart | vigil scan - --level baseline --psa-version v1.30",
      "  vigil scan app.yaml --format sarif > vigil.sarif",
      "  vigil scan app.yaml --fix --diff            # what the fix would change",
      "  vigil scan app.yaml --fix --write --writable-path /var/lib/app",
      "",
      "Exemptions: annotate a workload with vigil.dev/ignore: \"imm/mutableImageTag=reason, ...\"",
      "or list rules in --config FILE (see docs/posture.md).",
      "Exit codes: 0 no finding at or above --fail-on, 1 findings or invalid input,",
      "2 usage error or unreadable path."
    })
final class ScanCommand implements Callable<Integer> {
  enum Format {
    TEXT,
    JSON,
    SARIF,
    JUNIT
  }

  @Spec CommandSpec spec;

  @Parameters(
      paramLabel = "PATH",
      arity = "1..*",
      description = "Files, directories, or - for stdin.")
  List<String> paths = new ArrayList<>();

  @Option(
      names = "--level",
      paramLabel = "LEVEL",
      description = "baseline or restricted (default: restricted).")
  Level level = Level.RESTRICTED;

  @Option(
      names = "--psa-version",
      paramLabel = "VERSION",
      description =
          "Pod Security policy version: v1.0 to v1.37, or latest (= v1.36, the newest release).")
  String psaVersion = "latest";

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      description = "text, json, sarif or junit (default: text).")
  Format format = Format.TEXT;

  @Option(names = "--json", description = "Short for --format json.")
  boolean json;

  @Option(
      names = "--fail-on",
      paramLabel = "SEVERITY",
      description = "info, warning or error (default: error).")
  String failOn = "error";

  @ArgGroup(exclusive = false)
  FixOptions fix;

  static final class FixOptions {
    @Option(
        names = "--fix",
        required = true,
        description = "Print the fixed manifests (minimal edits).")
    boolean fix;

    @Option(names = "--write", description = "With --fix: edit the files in place.")
    boolean write;

    @Option(names = "--diff", description = "With --fix: print a unified diff instead.")
    boolean diff;

    @Option(
        names = "--json-patch",
        description = "With --fix: print JSON Patches (RFC 6902) instead.")
    boolean jsonPatch;
  }

  @Option(
      names = "--writable-path",
      paramLabel = "PATH",
      description =
          "A path the app writes: gets an emptyDir when --fix makes the root filesystem read-only (repeatable).")
  List<String> writablePaths = new ArrayList<>();

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "Exemptions file (see docs/posture.md).")
  String config = "";

  @Option(
      names = "--max-file-size",
      paramLabel = "MIB",
      description = "Largest input to read, in MiB (default: 64).")
  long maxMib = 64;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Severity threshold = severity(failOn);
    PsaVersion version =
        PsaVersion.parse(psaVersion)
            .orElseThrow(() ->
                new UserError(
                    ExitCode.USAGE,
                    "--psa-version must be latest or v1.N (v1.0 to v1."
                        + PsaVersion.NEWEST_KNOWN
                        + "), not '"
                        + psaVersion
                        + "'"));
    if (version.minor() > PsaVersion.NEWEST_KNOWN) {
      err.println(
          "vigil: policy version "
              + version
              + " is newer than the newest Vigil knows; evaluating v1."
              + PsaVersion.NEWEST_KNOWN
              + " as PSA would");
    }
    if (level == Level.PRIVILEGED) {
      throw new UserError(
          ExitCode.USAGE, "--level must be baseline or restricted (privileged has no checks)");
    }
    Scanner.Options options = new Scanner.Options(level, version, exemptions(err));
    Scanner scanner = new Scanner(options, new ManifestReader());
    List<ScanReport.Input> inputs = new ArrayList<>();
    for (Path p : ScanInput.expand(paths)) {
      ScanInput.Read read = ScanInput.read(p, maxMib * 1024 * 1024, System.in);
      Scanner.FileResult r = scanner.scan(read.source());
      List<Problem> problems = new ArrayList<>(read.problems());
      problems.addAll(r.problems());
      inputs.add(new ScanReport.Input(read.source(), problems, r));
    }
    if (fix != null) {
      return fix(inputs, scanner, version, threshold, out, err);
    }
    Format f = json ? Format.JSON : format;
    switch (f) {
      case TEXT -> {
        ScanReport.problemsText(inputs, err);
        ScanReport.text(inputs, threshold, out);
      }
      case JSON -> ScanReport.json(inputs, options, out);
      case SARIF -> ScanReport.sarif(inputs, version(), out);
      case JUNIT -> ScanReport.junit(inputs, threshold, out);
    }
    return exitCode(inputs, threshold);
  }

  private int fix(
      List<ScanReport.Input> inputs,
      Scanner scanner,
      PsaVersion version,
      Severity threshold,
      PrintWriter out,
      PrintWriter err) {
    Fixer fixer = new Fixer(new WritablePaths(writablePaths), version);
    List<ScanReport.Input> after = new ArrayList<>();
    List<Fixer.FileFix> fixes = new ArrayList<>();
    ScanReport.problemsText(inputs, err);
    for (ScanReport.Input in : inputs) {
      Fixer.FileFix ff = fixer.fix(in.result());
      fixes.add(ff);
      for (Fixer.WorkloadFix wf : ff.workloads()) {
        for (String note : wf.notes()) {
          err.println("vigil: " + in.source().name() + ": " + wf.workload() + ": " + note);
        }
      }
      Scanner.FileResult rescanned = scanner.scan(new SourceText(in.source().name(), ff.fixed()));
      after.add(new ScanReport.Input(rescanned.read().source(), in.problems(), rescanned));
    }
    if (fix.jsonPatch) {
      jsonPatches(fixes, out);
    } else if (fix.diff) {
      for (Fixer.FileFix ff : fixes) {
        out.print(UnifiedDiff.diff(ff.source().name(), ff.source().text(), ff.edits()));
      }
    } else if (fix.write) {
      for (int i = 0; i < fixes.size(); i++) {
        Fixer.FileFix ff = fixes.get(i);
        if (!ff.changed()) {
          continue;
        }
        if (ff.source().name().equals("<stdin>")) {
          out.print(ff.fixed());
          continue;
        }
        try {
          Files.writeString(Path.of(ff.source().name()), ff.fixed(), StandardCharsets.UTF_8);
          err.println("vigil: fixed " + ff.source().name() + " (" + ff.edits().size() + " edits)");
        } catch (IOException e) {
          throw new UserError(
              ExitCode.RUNTIME, "cannot write " + ff.source().name() + ": " + e.getMessage());
        }
      }
    } else {
      for (int i = 0; i < fixes.size(); i++) {
        String text = fixes.get(i).fixed();
        if (i > 0 && !text.startsWith("---")) {
          out.println("---");
        }
        out.print(text);
        if (!text.isEmpty() && !text.endsWith("\n")) {
          out.println();
        }
      }
    }
    for (ScanReport.Input in : after) {
      for (Scanner.WorkloadResult w : in.result().workloads()) {
        for (Finding f : w.findings()) {
          if (!f.exempted() && f.severity().atLeast(threshold)) {
            err.println("vigil: not fixed: " + f.location() + ": [" + f.id() + "] " + f.message());
          }
        }
      }
    }
    return exitCode(after, threshold);
  }

  private static void jsonPatches(List<Fixer.FileFix> fixes, PrintWriter out) {
    out.println("[");
    boolean first = true;
    for (Fixer.FileFix ff : fixes) {
      for (Fixer.WorkloadFix wf : ff.workloads()) {
        out.print(first ? "" : ",\n");
        first = false;
        String head =
            JsonWriter.string(j -> {
              j.beginObject();
              j.field("file", ff.source().name());
              j.field("document", wf.document());
              j.field("pointer", wf.pointer());
              j.field("workload", wf.workload());
            });
        out.print(
            head.substring(0, head.length() - 1)
                + ", \"patch\": "
                + JsonPatch.render(wf.patch()).replace("\n", "\n  ")
                + "}");
      }
    }
    out.println(first ? "]" : "\n]");
  }

  private Exemptions exemptions(PrintWriter err) {
    if (config.isEmpty()) {
      return Exemptions.NONE;
    }
    Path p = Path.of(config);
    String text;
    try {
      text = Files.readString(p, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UserError(
          ExitCode.USAGE, "cannot open configuration " + config + ": " + e.getMessage());
    }
    Exemptions.Parsed parsed = Exemptions.parse(new SourceText(config, text));
    if (!parsed.problems().isEmpty()) {
      for (Problem pr : parsed.problems()) {
        err.println(pr.location() + ": error: " + pr.message() + " [" + pr.code() + "]");
      }
      throw new UserError(ExitCode.FINDINGS, "invalid configuration " + config);
    }
    return parsed.exemptions();
  }

  private static Severity severity(String s) {
    try {
      return Severity.valueOf(s.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new UserError(
          ExitCode.USAGE, "--fail-on must be info, warning or error, not '" + s + "'");
    }
  }

  private static int exitCode(List<ScanReport.Input> inputs, Severity threshold) {
    for (ScanReport.Input in : inputs) {
      for (Problem p : in.problems()) {
        if (p.severity() == Severity.ERROR) {
          return ExitCode.FINDINGS;
        }
      }
      for (Scanner.WorkloadResult w : in.result().workloads()) {
        for (Finding f : w.findings()) {
          if (!f.exempted() && f.severity().atLeast(threshold)) {
            return ExitCode.FINDINGS;
          }
        }
      }
    }
    return ExitCode.OK;
  }

  private static String version() {
    String v = ScanCommand.class.getPackage().getImplementationVersion();
    return v == null ? "development" : v;
  }
}
