package dev.vigil.cli;

import dev.vigil.k8saudit.report.Denial;
import dev.vigil.k8saudit.report.Report;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vigil audit report}: who did what in audit logs. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = {
      "Summarise audit logs: activity per identity, requests over time, unauthorized attempts",
      "by cause (authentication 401; authorizer 403; admission rejection; refused",
      "impersonation), Secret access, exec/attach/port-forward sessions, destructive actions,",
      "and identities and source addresses in the order they first appear. Each request is",
      "counted once (its ResponseComplete event, or ResponseStarted for 401s and sessions)."
    },
    footer = {
      "",
      "Examples:",
      "  vigil audit report /var/log/kubernetes/audit/audit.log",
      "  vigil audit report audit-*.log.gz --format html > report.html",
      "  vigil audit report audit.log --json | jq '.unauthorized'",
      "",
      "Exit codes: 0 success, 1 some events could not be read, 2 usage error or a file that",
      "cannot be opened."
    })
final class AuditReportCommand implements Callable<Integer> {
  /** Output formats. */
  enum Format {
    text,
    json,
    html
  }

  @Spec CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "Audit logs, read in order.")
  List<Path> files = new ArrayList<>();

  @Option(names = "--format", paramLabel = "FORMAT", description = "text (default), json or html.")
  Format format = Format.text;

  @Option(names = "--json", description = "Same as --format json.")
  boolean json;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    AuditFiles.checkReadable(files);
    Report report = new Report();
    AuditFiles reader = new AuditFiles(err);
    reader.read(files, (e, line) -> report.add(e));
    switch (json ? Format.json : format) {
      case text -> ReportText.write(report, out);
      case json -> ReportJson.write(report, out);
      case html -> ReportHtml.write(report, files, out);
    }
    out.flush();
    return reader.problems() > 0 ? ExitCode.FINDINGS : ExitCode.OK;
  }

  static String cause(Denial d) {
    return switch (d) {
      case AUTHENTICATION -> "authentication failed (401)";
      case AUTHORIZATION -> "denied by the authorizer (403, decision forbid)";
      case ADMISSION -> "rejected by admission (403 after authorization allowed it)";
      case IMPERSONATION -> "impersonation refused (403)";
      case OTHER_FORBIDDEN -> "other 403";
    };
  }
}
