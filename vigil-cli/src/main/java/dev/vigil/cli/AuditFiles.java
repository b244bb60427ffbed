package dev.vigil.cli;

import dev.vigil.k8saudit.event.AuditEvent;
import dev.vigil.k8saudit.event.AuditReader;
import dev.vigil.k8saudit.event.InputProblem;
import dev.vigil.k8saudit.event.Prefilter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.ObjLongConsumer;

/**
 * Reads audit log files for the commands that take them ({@code replay --audit}, {@code audit
 * query}, {@code audit report}): every file must exist before anything is read (exit 2 otherwise);
 * problems in the events are printed to stderr as {@code file:line:col: message} (the first {@link
 * #SHOWN} of them, then a count) and make the command exit 1 at the end.
 */
final class AuditFiles {
  static final int SHOWN = 20;

  private final PrintWriter err;
  private long problems;
  private long events;

  AuditFiles(PrintWriter err) {
    this.err = err;
  }

  static void checkReadable(List<Path> files) {
    for (Path f : files) {
      if (f.toString().equals("-")) {
        continue;
      }
      if (!Files.exists(f)) {
        throw new UserError(ExitCode.USAGE, "cannot open audit log " + f + ": no such file");
      }
      if (Files.isDirectory(f)) {
        throw new UserError(ExitCode.USAGE, "cannot read audit log " + f + ": it is a directory");
      }
      if (!Files.isReadable(f)) {
        throw new UserError(ExitCode.USAGE, "cannot open audit log " + f + ": permission denied");
      }
    }
  }

  /** Reads every file in order ({@code -} is stdin), handing each event to {@code each}. */
  void read(List<Path> files, ObjLongConsumer<AuditEvent> each) {
    read(files, Prefilter.none(), each);
  }

  /**
   * Reads every file in order ({@code -} is stdin), handing each event to {@code each}, except the
   * lines {@code prefilter} rules out from their bytes: those are counted as events and not parsed
   * further.
   */
  void read(List<Path> files, Prefilter prefilter, ObjLongConsumer<AuditEvent> each) {
    AuditReader reader = new AuditReader();
    AuditReader.Sink sink =
        new AuditReader.Sink() {
          @Override
          public void event(AuditEvent event, long line) {
            each.accept(event, line);
          }

          @Override
          public Prefilter prefilter() {
            return prefilter;
          }

          @Override
          public void problem(InputProblem p) {
            if (problems++ < SHOWN) {
              err.println("vigil: " + p.render());
            }
          }
        };
    for (Path f : files) {
      try {
        AuditReader.Stats read =
            f.toString().equals("-")
                ? reader.read(System.in, "<stdin>", sink)
                : reader.read(f, sink);
        events += read.events();
      } catch (NoSuchFileException | AccessDeniedException e) {
        throw new UserError(ExitCode.USAGE, "cannot open audit log " + f + ": " + e.getMessage());
      } catch (IOException e) {
        throw new UserError(
            ExitCode.FINDINGS, "cannot read audit log " + f + ": " + e.getMessage());
      }
    }
    if (problems > SHOWN) {
      err.println("vigil: ... and " + (problems - SHOWN) + " more problems");
    }
    err.flush();
  }

  long problems() {
    return problems;
  }

  long events() {
    return events;
  }
}
