package dev.vigil.cli;

import dev.vigil.kernel.SyscallSource;
import dev.vigil.kernel.capture.CaptureFormatException;
import dev.vigil.kernel.capture.Replay;
import dev.vigil.rules.LoadResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vigil replay}: evaluate rules over recorded events. */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    description = {
      "Evaluate rules offline over a capture file, deterministically.",
      "Prints the alerts the rules raise over the recorded events, as 'vigil run'",
      "would have printed them live (text, or Falco's JSON with -o json_output=true)."
    },
    footer = {
      "",
      "Examples:",
      "  vigil replay --capture /tmp/incident.vcap",
      "  vigil replay -r /etc/falco/falco_rules.yaml --capture incident.vcap --json"
    })
final class ReplayCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin RulesInput input;

  @Option(
      names = "--capture",
      paramLabel = "FILE",
      required = true,
      description = "A capture file written by 'vigil capture'.")
  Path file = Path.of("");

  @Option(
      names = "-o",
      paramLabel = "KEY=VALUE",
      description = "A configuration option, as for 'vigil run'.")
  Map<String, String> options = new TreeMap<>();

  @Option(names = "--json", description = "Short for -o json_output=true.")
  boolean json;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Settings s = Settings.parse(options, json, err);
    if (!Files.isReadable(file)) {
      throw new UserError(ExitCode.USAGE, "cannot open capture file " + file);
    }
    LoadResult loaded = RulesCommand.load(input, false, err);
    if (!loaded.ok()) {
      err.println("vigil: the rules have errors; not replaying");
      err.flush();
      return ExitCode.FINDINGS;
    }
    try {
      String hostname = Replay.hostname(file);
      SyscallRules rules = SyscallRules.bind(loaded.ruleset(), s, hostname);
      AlertSink sink = new AlertSink(out, s, hostname);
      Replay.Summary sum =
          Replay.run(file, SyscallSource.info().eventTypes(), e -> rules.evaluate(e, sink));
      out.flush();
      if (!sum.complete()) {
        err.println(
            "vigil: warning: "
                + file
                + " has no end record: the capture was interrupted; replayed what it holds");
      }
      err.printf(
          "vigil: replayed %d events from %s, %d alerts%s%n",
          sum.events(),
          sum.hostname().isEmpty() ? file : sum.hostname(),
          sink.total(),
          sum.kernelDrops() > 0 ? " (the capture lost " + sum.kernelDrops() + " events)" : "");
      sink.printCounts(err);
      err.flush();
      return ExitCode.OK;
    } catch (NoSuchFileException e) {
      throw new UserError(ExitCode.USAGE, "cannot open capture file " + file);
    } catch (IOException e) {
      throw new UserError(ExitCode.USAGE, "cannot read " + file + ": " + e.getMessage());
    } catch (CaptureFormatException e) {
      out.flush();
      err.println("vigil: " + file + ": " + e.getMessage());
      err.flush();
      return ExitCode.FINDINGS;
    }
  }
}
