package dev.vigil.cli;

import dev.vigil.k8saudit.event.AuditEvent;
import dev.vigil.k8saudit.event.AuditReader;
import dev.vigil.k8saudit.event.ByteOutput;
import dev.vigil.k8saudit.event.InputProblem;
import dev.vigil.k8saudit.event.ParallelReader;
import dev.vigil.k8saudit.event.Prefilter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Reads audit log files for {@code audit query} with output written as bytes: plain JSON lines
 * files on every worker's thread ({@link ParallelReader}), anything else (gzip, stdin, JSON
 * documents, small files) on the calling thread with the first worker. Either way the output and
 * the problems come out in file order, the problems as {@link AuditFiles} prints them.
 */
final class QueryFiles {
  /** Output collected on the sequential path before it is written. */
  private static final int FLUSH = 1 << 16;

  private final PrintWriter err;
  private final ParallelReader parallel;
  private long problems;
  private long events;

  QueryFiles(PrintWriter err, ParallelReader parallel) {
    this.err = err;
    this.parallel = parallel;
  }

  /** Reads every file in order ({@code -} is stdin) with {@code workers}, output to {@code out}. */
  void read(List<Path> files, List<? extends ParallelReader.Worker> workers, OutputStream out) {
    for (Path f : files) {
      try {
        Optional<AuditReader.Stats> done =
            f.toString().equals("-")
                ? Optional.empty()
                : parallel.read(f, workers, this::problem, out);
        if (done.isPresent()) {
          events += done.get().events();
        } else {
          sequential(f, workers.getFirst(), out);
        }
      } catch (NoSuchFileException | AccessDeniedException e) {
        throw new UserError(ExitCode.USAGE, "cannot open audit log " + f + ": " + e.getMessage());
      } catch (IOException e) {
        throw new UserError(
            ExitCode.FINDINGS, "cannot read audit log " + f + ": " + e.getMessage());
      }
    }
    if (problems > AuditFiles.SHOWN) {
      err.println("vigil: ... and " + (problems - AuditFiles.SHOWN) + " more problems");
    }
    err.flush();
  }

  private void sequential(Path f, ParallelReader.Worker worker, OutputStream out)
      throws IOException {
    ByteOutput buf = new ByteOutput(FLUSH + (FLUSH >> 2));
    AuditReader.Sink sink =
        new AuditReader.Sink() {
          @Override
          public void event(AuditEvent event, long line) {
            worker.event(event, buf);
            if (buf.size() >= FLUSH) {
              drain(buf, out);
            }
          }

          @Override
          public void problem(InputProblem p) {
            QueryFiles.this.problem(p);
          }

          @Override
          public Prefilter prefilter() {
            return worker.prefilter();
          }
        };
    AuditReader reader = new AuditReader();
    AuditReader.Stats read =
        f.toString().equals("-") ? reader.read(System.in, "<stdin>", sink) : reader.read(f, sink);
    events += read.events();
    drain(buf, out);
  }

  private static void drain(ByteOutput buf, OutputStream out) {
    try {
      buf.drainTo(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void problem(InputProblem p) {
    if (problems++ < AuditFiles.SHOWN) {
      err.println("vigil: " + p.render());
    }
  }

  long problems() {
    return problems;
  }

  long events() {
    return events;
  }
}
