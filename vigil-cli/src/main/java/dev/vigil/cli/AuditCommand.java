package dev.vigil.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code vigil audit}: Kubernetes audit tools. */
@Command(name = "audit", mixinStandardHelpOptions = true, description = "Kubernetes audit tools.")
final class AuditCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(
        spec.commandLine(), "a subcommand is required: policy, query or report");
  }
}
