package dev.vigil.cli;

import dev.vigil.cli.daemon.DaemonConfig;
import dev.vigil.cli.daemon.Generation;
import dev.vigil.k8saudit.K8sAuditSource;
import dev.vigil.k8saudit.event.AuditEvent;
import dev.vigil.k8saudit.fields.K8sAuditFields;
import dev.vigil.kernel.SyscallSource;
import dev.vigil.kernel.event.SyscallEvent;
import dev.vigil.kernel.fields.SyscallFields;
import dev.vigil.rules.Diagnostic;
import dev.vigil.rules.Engine;
import dev.vigil.rules.LoadResult;
import dev.vigil.rules.RulesFile;
import dev.vigil.rules.RulesLoader;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Prepares a daemon generation: reads the rules files the configuration names (or the {@code -r}
 * paths, which replace them as in Falco), loads them with the configuration's {@code
 * append_output}, and binds the syscall and k8s_audit engines with its priority, matching and rule
 * selection.
 */
final class DaemonRules implements Generation.Preparer {
  private final List<Path> override;
  private final String hostname;
  private final PrintWriter err;

  DaemonRules(List<Path> override, String hostname, PrintWriter err) {
    this.override = List.copyOf(override);
    this.hostname = hostname;
    this.err = err;
  }

  @Override
  public Generation.Prepared prepare(DaemonConfig c) {
    List<RulesFile> files;
    try {
      files = files(c);
    } catch (UserError e) {
      return new Generation.Prepared.Failed(List.of(e.getMessage()));
    }
    LoadResult loaded =
        new RulesLoader(Sources.all(), RulesLoader.BUILTIN_PLUGINS, c.appendOutput()).load(files);
    synchronized (err) {
      for (Diagnostic d : loaded.diagnostics()) {
        DiagnosticsPrinter.printText(d, err);
      }
      err.flush();
    }
    if (!loaded.ok()) {
      return new Generation.Prepared.Failed(
          List.of("the rules have " + loaded.errors().size() + " error(s)"));
    }
    Engine<SyscallEvent> syscall =
        Engine.bind(
            loaded.ruleset(),
            SyscallSource.info(),
            new SyscallFields(SyscallSource.info().eventTypes(), hostname),
            new Engine.Options(
                c.matching(),
                c.priority(),
                c.suggestedOutput() ? Defaults.CONTAINER_FIELDS : List.of(),
                c.selection()));
    Engine<AuditEvent> k8sAudit =
        Engine.bind(
            loaded.ruleset(),
            K8sAuditSource.info(),
            new K8sAuditFields(),
            new Engine.Options(c.matching(), c.priority(), List.of(), c.selection()));
    return new Generation.Prepared.Ready(new Generation(c, files, syscall, k8sAudit));
  }

  /**
   * The rules files in load order. {@code -r} paths must exist; a {@code rules_files} entry that
   * does not exist is skipped with a warning (Falco's default list names optional places).
   */
  private List<RulesFile> files(DaemonConfig c) {
    if (!override.isEmpty()) {
      RulesInput in = new RulesInput();
      in.paths = new ArrayList<>(override);
      return in.files();
    }
    List<RulesFile> out = new ArrayList<>();
    for (String entry : c.rulesFiles()) {
      if (entry.equals(DaemonConfig.BUNDLED)) {
        out.addAll(BundledRules.files());
        continue;
      }
      Path p = Path.of(entry);
      if (!Files.exists(p)) {
        synchronized (err) {
          err.println("vigil: warning: rules_files: " + entry + " does not exist (skipped)");
          err.flush();
        }
        continue;
      }
      RulesInput in = new RulesInput();
      in.paths = List.of(p);
      out.addAll(in.files());
    }
    return out;
  }
}
