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
import org.jspecify.annotations.Nullable;
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
      "  vigil scan --cluster --context prod -n shop    # live workloads, via the API",
      "  vigil scan --admission-webhook --cert tls.crt --key tls.key --level baseline",
      "",
      "Exemptions: annotate a workload with vigil.dev/ignore: \"imm/mutableImageTag=reason, ...\"",
      "or list rules in --config FILE (see docs/posture.md).",
      "Exit codes: 0 no finding at or above --fail-on, 1 findings or invalid input,",
      "2 usage error, unreadable path, or (--cluster) credentials refused or a kind not",
      "listable; 3 (--cluster) API server unreachable or its answer unusable."
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
      arity = "0..*",
      description = "Files, directories, or - for stdin.")
  List<String> paths = new ArrayList<>();

  @Option(
      names = "--level",
      paramLabel = "LEVEL",
      description =
          "baseline or restricted (default: restricted; with --cluster, each namespace's"
              + " pod-security.kubernetes.io/enforce label, else restricted).")
  @Nullable Level level;

  @Option(
      names = "--cluster",
      description = "Scan the live workloads of a cluster through the Kubernetes API.")
  boolean cluster;

  @Option(
      names = "--kubeconfig",
      paramLabel = "FILE",
      description = "With --cluster: the kubeconfig (default: $KUBECONFIG, then ~/.kube/config).")
  String kubeconfig = "";

  @Option(
      names = "--context",
      paramLabel = "NAME",
      description = "With --cluster: the kubeconfig context (default: its current context).")
  String context = "";

  @Option(
      names = {"-n", "--namespace"},
      paramLabel = "NAMESPACE",
      description = "With --cluster: only this namespace.")
  String namespace = "";

  @Option(
      names = {"-A", "--all-namespaces"},
      description = "With --cluster: every namespace (the default).")
  boolean allNamespaces;

  @ArgGroup(exclusive = false)
  @Nullable AdmissionOptions admission;

  static final class AdmissionOptions {
    @Option(
        names = "--admission-webhook",
        required = true,
        description =
            "Serve a validating admission webhook (admission.k8s.io/v1 AdmissionReview over"
                + " HTTPS) that denies pods violating --level and warns on immutability.")
    boolean enabled;

    @Option(
        names = "--cert",
        required = true,
        paramLabel = "FILE",
        description = "With --admission-webhook: the server certificate chain (PEM).")
    String cert = "";

    @Option(
        names = "--key",
        required = true,
        paramLabel = "FILE",
        description = "With --admission-webhook: the server's private key (PEM).")
    String key = "";

    @Option(
        names = "--listen",
        paramLabel = "ADDR:PORT",
        description = "With --admission-webhook: where to listen (default: 0.0.0.0:8443).")
    String listen = "0.0.0.0:8443";
  }

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
  @Nullable FixOptions fix;

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
    checkModes();
    Level lvl = level == null ? Level.RESTRICTED : level;
    Scanner.Options options = new Scanner.Options(lvl, version, exemptions(err));
    Format fm = json ? Format.JSON : format;
    if (admission != null) {
      return AdmissionCommand.serve(admission, options, err);
    }
    if (cluster) {
      return new ScanCluster(kubeconfig, context, allNamespaces ? "" : namespace)
          .run(
              Optional.ofNullable(level),
              version,
              options.exemptions(),
              report(fm, out, err, threshold, options),
              err);
    }
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
    ScanReport report = report(fm, out, err, threshold, options);
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

  private static ScanReport report(
      Format fm, PrintWriter out, PrintWriter err, Severity threshold, Scanner.Options options) {
    return switch (fm) {
      case TEXT -> new ScanReport.Text(out, err, threshold);
      case JSON -> new ScanJson.Json(out, err, threshold, options);
      case SARIF -> new ScanJson.Sarif(out, err, threshold, version());
      case JUNIT -> new ScanJunit(out, err, threshold);
    };
  }

  /** Files, --cluster and --admission-webhook exclude one another; their options go with them. */
  private void checkModes() {
    int modes = (paths.isEmpty() ? 0 : 1) + (cluster ? 1 : 0) + (admission != null ? 1 : 0);
    if (modes == 0) {
      throw new UserError(
          ExitCode.USAGE,
          "give manifests to scan (PATH... or - for stdin), --cluster or --admission-webhook");
    }
    if (modes > 1) {
      throw new UserError(
          ExitCode.USAGE, "scan either PATH..., --cluster or --admission-webhook, not several");
    }
    if (!cluster
        && (!kubeconfig.isEmpty() || !context.isEmpty() || !namespace.isEmpty() || allNamespaces)) {
      throw new UserError(ExitCode.USAGE, "--kubeconfig, --context, -n and -A go with --cluster");
    }
    if (!namespace.isEmpty() && allNamespaces) {
      throw new UserError(ExitCode.USAGE, "-n NAMESPACE and --all-namespaces exclude each other");
    }
    if (fix != null && paths.isEmpty()) {
      throw new UserError(ExitCode.USAGE, "--fix edits manifests: give PATH... (not --cluster)");
    }
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
