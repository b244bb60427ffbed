package dev.vigil.cli.daemon;

import dev.vigil.k8saudit.event.AuditEvent;
import dev.vigil.kernel.event.SyscallEvent;
import dev.vigil.rules.Engine;
import dev.vigil.rules.RulesFile;
import java.util.List;

/**
 * One loaded configuration: the settings, the rules files read and the engines bound from them (one
 * per source). A reload builds a new generation completely before the daemon switches to it.
 */
public record Generation(
    DaemonConfig config,
    List<RulesFile> rulesFiles,
    Engine<SyscallEvent> syscall,
    Engine<AuditEvent> k8sAudit) {
  public Generation {
    rulesFiles = List.copyOf(rulesFiles);
  }

  /**
   * Turns a configuration into a generation: reads the rules files and binds the engines. The
   * composition root supplies it, since it knows the sources and the bundled rules.
   */
  public interface Preparer {
    /** The generation, or the errors that prevent it (already printed as diagnostics). */
    Prepared prepare(DaemonConfig config);
  }

  /** A preparation's outcome. */
  public sealed interface Prepared {
    record Ready(Generation generation) implements Prepared {}

    record Failed(List<String> errors) implements Prepared {
      public Failed {
        errors = List.copyOf(errors);
      }
    }
  }
}
