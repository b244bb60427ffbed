package dev.vigil.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/** The top-level {@code vigil} command. */
@Command(
    name = "vigil",
    mixinStandardHelpOptions = true,
    versionProvider = VigilCommand.Version.class,
    description = {
      "Runtime security for Linux hosts and Kubernetes clusters.",
      "Falco-format rules over syscalls and Kubernetes audit events."
    },
    footer = {
      "",
      "Examples:",
      "  vigil run -o json_output=true",
      "  vigil run -c /etc/vigil/vigil.yaml",
      "  vigil config check -c /etc/vigil/vigil.yaml",
      "  vigil alerts query --since 1h --priority warning",
      "  vigil capture -w /tmp/incident.vcap --duration 60s",
      "  vigil replay --capture /tmp/incident.vcap --json",
      "  vigil rules validate -r /etc/falco/falco_rules.yaml -r /etc/falco/rules.d",
      "  vigil rules list --json",
      "  vigil rules explain --rule 'Terminal shell in container'",
      "  vigil fields --source syscall",
      "  vigil scan deploy/ --level restricted --fix --diff",
      "  vigil audit policy lint audit-policy.yaml",
      "  vigil audit query 'ka.verb=delete and ka.target.resource=secrets' audit.log",
      "",
      "Exit codes: 0 success, 1 errors or findings in the input, 2 usage error or unreadable"
          + " input, 3 runtime failure."
    })
final class VigilCommand implements Runnable {

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  /** The byte stream behind stdout, when running as the real program (not in tests). */
  java.util.Optional<java.io.OutputStream> stdout = java.util.Optional.empty();

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(
        spec.commandLine(), "a command is required (see 'vigil --help')");
  }

  /** {@code vigil --version}. */
  static final class Version implements IVersionProvider {
    /** Vigil's version, or {@code development} when not run from the packaged jar. */
    static String number() {
      String v = VigilCommand.class.getPackage().getImplementationVersion();
      return v == null ? "development" : v;
    }

    @Override
    public String[] getVersion() {
      String v = VigilCommand.class.getPackage().getImplementationVersion();
      return new String[] {
        "vigil " + (v == null ? "development build" : v),
        "rules engine compatible with Falco engine version "
            + dev.vigil.rules.load.Reader.ENGINE_VERSION
            + " (Falco 0.44)"
      };
    }
  }
}
