package dev.vigil.cli;

import dev.vigil.cli.daemon.ConfigLoader;
import dev.vigil.cli.daemon.DaemonConfig;
import dev.vigil.cli.daemon.Generation;
import dev.vigil.event.EventTypes;
import dev.vigil.kernel.Capture;
import dev.vigil.kernel.OpenFilter;
import dev.vigil.kernel.SyscallSource;
import dev.vigil.kernel.capture.CaptureWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vigil capture -w FILE}: record live events for replay. */
@Command(
    name = "capture",
    mixinStandardHelpOptions = true,
    description = {
      "Record this machine's syscalls into a capture file, for replay.",
      "The file holds the process table at the start, every event, and what the",
      "state learned while capturing (container metadata, user names), so that",
      "'vigil replay' reproduces a live run's alerts exactly. It records the event",
      "types the rules need (bundled or -r) plus process and fd tracking."
    },
    footer = {
      "",
      "Examples:",
      "  vigil capture -w /tmp/incident.vcap --duration 60s",
      "  vigil capture -w all.vcap -r /etc/falco/falco_rules.yaml",
      "  vigil replay -r /etc/falco/falco_rules.yaml --capture all.vcap"
    })
final class CaptureCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin RulesInput input;

  @Option(
      names = {"-w", "--write"},
      paramLabel = "FILE",
      required = true,
      description = "The capture file to write (replaced if it exists).")
  Path file = Path.of("");

  @Option(
      names = "--duration",
      paramLabel = "DURATION",
      description = "Stop after this long (e.g. 30s, 5m; default: until stopped).")
  String duration = "";

  @Option(
      names = "--ring-size",
      paramLabel = "MiB",
      description = "Size of the kernel ring buffer in MiB, a power of two (default 8).")
  int ringMiB = 8;

  @Option(
      names = "--open-filter",
      description =
          "Keep opens of regular files that no loaded rule can match (and their closes) in the"
              + " kernel instead of sending every open of the selected event types.")
  boolean openFilter;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    long durationNanos = RunCommand.parseDuration(duration);
    String hostname = Hostname.get();
    DaemonConfig defaults = ConfigLoader.load(Optional.empty(), List.of()).config().orElseThrow();
    SyscallRules rules;
    switch (new DaemonRules(input.paths, hostname, err).prepare(defaults)) {
      case Generation.Prepared.Failed f -> {
        err.println("vigil: the rules have errors; not starting");
        err.flush();
        return ExitCode.FINDINGS;
      }
      case Generation.Prepared.Ready r -> rules = SyscallRules.of(r.generation().syscall());
    }
    Set<String> events = new LinkedHashSet<>(rules.events());
    EventTypes types = SyscallSource.info().eventTypes();
    CaptureWriter writer;
    try {
      writer =
          new CaptureWriter(
              file, types, hostname, kernelRelease(), new VigilCommand.Version().getVersion()[0]);
    } catch (IOException e) {
      throw new UserError(ExitCode.USAGE, "cannot write " + file + ": " + e.getMessage());
    }
    return Live.run(
        new Capture.Options(
            events,
            (long) ringMiB << 20,
            true,
            openFilter ? rules.openFilter() : OpenFilter.none()),
        e -> {},
        writer,
        durationNanos,
        err,
        r -> finish(r, writer, err));
  }

  private int finish(Live.Result r, CaptureWriter writer, PrintWriter err) {
    try {
      writer.finish(r.stats().drops());
    } catch (IOException e) {
      err.println("vigil: writing " + file + " failed: " + e.getMessage());
      return ExitCode.RUNTIME;
    }
    if (r.failure().isPresent()) {
      err.println("vigil: cannot start capture: " + r.failure().get());
      err.flush();
      return ExitCode.RUNTIME;
    }
    long size = 0;
    try {
      size = Files.size(file);
    } catch (IOException e) {
      // reported as 0
    }
    err.printf(
        "vigil: wrote %s: %d events in %.1f s (%d bytes), %d dropped in the kernel%n",
        file, writer.events(), r.seconds(), size, r.stats().drops());
    err.flush();
    return ExitCode.OK;
  }

  private static String kernelRelease() {
    try {
      return Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip();
    } catch (IOException e) {
      return "";
    }
  }
}
