package dev.vigil.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code vigil audit policy check|lint|simulate|explain}. */
@Command(
    name = "policy",
    mixinStandardHelpOptions = true,
    description = {
      "Tools for audit.k8s.io/v1 Policy files, with kube-apiserver's exact semantics:",
      "check what kube-apiserver does with a policy, lint it, replay audit logs through it,",
      "and explain which rule decides a request."
    },
    footer = {
      "",
      "Examples:",
      "  vigil audit policy check /etc/kubernetes/audit-policy.yaml",
      "  vigil audit policy lint audit-policy.yaml --format sarif > lint.sarif",
      "  vigil audit policy simulate audit-policy.yaml /var/log/kubernetes/audit/audit.log",
      "  vigil audit policy explain audit-policy.yaml --request 'user=alice verb=get"
          + " resource=secrets namespace=prod'"
    })
final class AuditPolicyCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(
        spec.commandLine(), "a subcommand is required: check, lint, simulate or explain");
  }
}
