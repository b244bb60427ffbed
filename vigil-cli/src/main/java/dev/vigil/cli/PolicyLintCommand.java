package dev.vigil.cli;

import dev.vigil.k8saudit.policy.lint.Finding;
import dev.vigil.k8saudit.policy.lint.Linter;
import dev.vigil.k8saudit.policy.load.LoadReport;
import dev.vigil.rules.Severity;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vigil audit policy lint}: everything check says, and what kube-apiserver never says. */
@Command(
    name = "lint",
    mixinStandardHelpOptions = true,
    description = {
      "Lint an audit policy: kube-apiserver's own errors and warnings, then what it never says —",
      "rules that can never match (resource names, API groups, literal *), rules shadowed by",
      "earlier ones, Secrets and tokens logged with their payloads, lost 401 events, removed",
      "API groups, no catch-all. Every finding has an id, a severity, file:line:col and a fix.",
      "Exit 1 when a finding is at or above --fail-on."
    },
    footer = {
      "",
      "Examples:",
      "  vigil audit policy lint audit-policy.yaml",
      "  vigil audit policy lint audit-policy.yaml --fail-on warning",
      "  vigil audit policy lint audit-policy.yaml --k8s-version 1.35 --format sarif > lint.sarif"
    })
final class PolicyLintCommand implements Callable<Integer> {
  enum Format {
    TEXT,
    JSON,
    SARIF
  }

  enum FailOn {
    INFO,
    WARNING,
    ERROR
  }

  @Spec CommandSpec spec;
  @Mixin PolicyInput input;

  @Parameters(index = "0", paramLabel = "POLICY", description = "The audit policy file.")
  Path policy;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      description = "Output format: ${COMPLETION-CANDIDATES} (default: text).")
  Format format = Format.TEXT;

  @Option(names = "--json", description = "Short for --format json.")
  boolean json;

  @Option(
      names = "--fail-on",
      paramLabel = "SEVERITY",
      description =
          "Exit 1 when a finding has this severity or above: ${COMPLETION-CANDIDATES}"
              + " (default: error).")
  FailOn failOn = FailOn.ERROR;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    LoadReport report = input.load(policy);
    List<Finding> findings = Linter.lint(report);
    Format f = json ? Format.JSON : format;
    switch (f) {
      case TEXT -> LintReport.text(report, findings, SourceLines.of(policy), out);
      case JSON -> LintReport.json(report, findings, out);
      case SARIF -> SarifReport.write(report, findings, out);
    }
    Severity threshold =
        switch (failOn) {
          case INFO -> Severity.INFO;
          case WARNING -> Severity.WARNING;
          case ERROR -> Severity.ERROR;
        };
    boolean fail = findings.stream().anyMatch(x -> x.severity().compareTo(threshold) >= 0);
    return fail ? ExitCode.FINDINGS : ExitCode.OK;
  }
}
