package dev.vigil.cli;

import dev.vigil.cli.daemon.ConfigDiagnostic;
import dev.vigil.cli.daemon.ConfigLoader;
import dev.vigil.cli.daemon.DaemonConfig;
import dev.vigil.cli.daemon.Generation;
import dev.vigil.output.JsonWriter;
import dev.vigil.output.SinkConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code vigil config check}. */
@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    description = "Check the daemon's configuration (vigil.yaml).")
final class ConfigCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(
        spec.commandLine(), "a subcommand is required: check");
  }

  @Command(
      name = "check",
      mixinStandardHelpOptions = true,
      description = {
        "Validate vigil.yaml as 'vigil run' would read it, without starting anything.",
        "Reads the file, its config_files overlays and the -o options, checks every key",
        "and value (unknown keys are warnings, with a suggestion), then loads the rules",
        "it names. Exit 0 when it would start (warnings allowed), 1 on errors, 2 when",
        "the file cannot be read."
      },
      footer = {
        "",
        "Examples:",
        "  vigil config check -c /etc/vigil/vigil.yaml",
        "  vigil config check -c /etc/falco/falco.yaml -o json_output=true --json"
      })
  static final class Check implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ConfigInput config;
    @Mixin RulesInput rules;

    @picocli.CommandLine.Option(
        names = "--format",
        paramLabel = "FORMAT",
        description = "Output format: text or json (default: text).")
    OutputFormat.Format format = OutputFormat.Format.TEXT;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      boolean json = format == OutputFormat.Format.JSON;
      ConfigLoader.Result r =
          ConfigLoader.load(java.util.Optional.ofNullable(config.file), config.options);
      List<String> ruleErrors = new ArrayList<>();
      if (r.ok()) {
        StringWriter ruleDiags = new StringWriter();
        PrintWriter rw = json ? new PrintWriter(ruleDiags) : err;
        DaemonConfig c = r.config().orElseThrow();
        if (new DaemonRules(rules.paths, Hostname.get(), rw).prepare(c)
            instanceof Generation.Prepared.Failed f) {
          ruleErrors.addAll(f.errors());
        }
      }
      String name = config.file == null ? "(defaults)" : config.file.toString();
      boolean ok = r.ok() && ruleErrors.isEmpty();
      if (json) {
        try (JsonWriter j = JsonWriter.to(out, true)) {
          j.beginObject().field("file", name).field("ok", ok);
          j.name("diagnostics").beginArray();
          for (ConfigDiagnostic d : r.diagnostics()) {
            j.beginObject()
                .field("severity", d.error() ? "error" : "warning")
                .field("source", d.source())
                .field("line", d.line())
                .field("col", d.col())
                .field("message", d.message())
                .endObject();
          }
          j.endArray();
          j.stringArray("rule_errors", ruleErrors);
          j.name("outputs").beginArray();
          r.config().ifPresent(c -> c.outputs().forEach(o -> j.value(o.name())));
          j.endArray();
          j.endObject();
        }
        out.println();
      } else {
        ConfigInput.print(r.diagnostics(), err);
        ruleErrors.forEach(e -> err.println("vigil: " + e));
        boolean warnings = r.diagnostics().stream().anyMatch(d -> !d.error());
        out.println(name + ": " + (ok ? (warnings ? "Ok, with warnings" : "Ok") : "Invalid"));
        r.config()
            .ifPresent(c ->
                out.println(
                    "outputs: "
                        + String.join(", ", c.outputs().stream().map(SinkConfig::name).toList())));
      }
      if (r.unreadable()) {
        return ExitCode.USAGE;
      }
      return ok ? ExitCode.OK : ExitCode.FINDINGS;
    }
  }
}
