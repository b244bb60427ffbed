package dev.vigil.cli;

import dev.vigil.posture.Exemptions;
import dev.vigil.posture.Problem;
import dev.vigil.posture.Scanner;
import dev.vigil.posture.Severity;
import dev.vigil.posture.fix.Fixer;
import dev.vigil.posture.fix.WritablePaths;
import dev.vigil.posture.manifest.ManifestReader;
import dev.vigil.posture.manifest.SourceText;
import dev.vigil.posture.pss.Level;
import dev.vigil.posture.pss.PsaVersion;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
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
      description =
          "Refuse inputs larger than this, in MiB (default: no limit; inputs are read as streams,"
              + " one document at a time).")
  long maxMib;

  @Override
  public Integer call() {
    PrintWriter out = reportWriter(spec.commandLine().getOut());
    try {
      return scan(out, spec.commandLine().getErr());
    } finally {
      out.flush();
    }
  }

  /**
   * Where reports go: the process's stdout behind a buffer that is not flushed per line (a report
   * can have millions of lines, and the command's writer flushes each one), or the command's writer
   * when there is no such stream (tests).
   */
  private PrintWriter reportWriter(PrintWriter commandOut) {
    Optional<OutputStream> raw = ((VigilCommand) spec.root().userObject()).stdout;
    if (raw.isEmpty()) {
      return commandOut;
    }
    commandOut.flush();
    return new PrintWriter(
        new BufferedWriter(new OutputStreamWriter(raw.get(), StandardCharsets.UTF_8), 1 << 16),
        false);
  }

  private int scan(PrintWriter out, PrintWriter err) {
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
    if (maxMib < 0) {
      throw new UserError(ExitCode.USAGE, "--max-file-size must be 0 (no limit) or more");
    }
    Scanner.Options options = new Scanner.Options(level, version, exemptions(err));
    Scanner scanner = new Scanner(options, new ManifestReader());
    List<Path> inputs = ScanInput.expand(paths);
    if (fix != null) {
      ScanFix f =
          new ScanFix(
              scanner,
              new Fixer(new WritablePaths(writablePaths), version),
              ScanFix.mode(fix.write, fix.diff, fix.jsonPatch),
              threshold,
              out,
              err);
      for (Path p : inputs) {
        read(p, f::beginFile, f::problem, in -> f.scan(ScanInput.name(p), in), f::endFile);
      }
      return f.finish() ? ExitCode.FINDINGS : ExitCode.OK;
    }
    Format fm = json ? Format.JSON : format;
    ScanReport report =
        switch (fm) {
          case TEXT -> new ScanReport.Text(out, err, threshold);
          case JSON -> new ScanJson.Json(out, err, threshold, options);
          case SARIF -> new ScanJson.Sarif(out, err, threshold, version());
          case JUNIT -> new ScanJunit(out, err, threshold);
        };
    for (Path p : inputs) {
      read(
          p,
          report::beginFile,
          report::problem,
          in -> scanner.scan(ScanInput.name(p), in, report::section),
          report::endFile);
    }
    report.end();
    return report.failed() ? ExitCode.FINDINGS : ExitCode.OK;
  }

  /** Opens one input and hands it, or the problem of reading it, to a scan or a fix. */
  private void read(
      Path p,
      Consumer<String> begin,
      Consumer<Problem> problem,
      Consumer<Reader> scan,
      Runnable end) {
    long max = maxMib * 1024 * 1024;
    ScanInput.Opened in = ScanInput.open(p, max, System.in);
    begin.accept(in.name());
    in.problem().ifPresent(problem);
    if (in.reader().isPresent()) {
      try (Reader r = in.reader().get()) {
        scan.accept(r);
      } catch (UncheckedIOException e) {
        IOException cause = e.getCause();
        problem.accept(
            ScanInput.readFailure(in.name(), cause != null ? cause : new IOException(e), max));
      } catch (IOException e) {
        problem.accept(ScanInput.readFailure(in.name(), e, max));
      }
    }
    end.run();
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

  private static String version() {
    String v = ScanCommand.class.getPackage().getImplementationVersion();
    return v == null ? "development" : v;
  }
}
