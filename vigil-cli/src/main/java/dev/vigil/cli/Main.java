package dev.vigil.cli;

import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine;

/** The {@code vigil} entry point. */
public final class Main {
  /** Deeply nested rules are parsed on a thread with room to recurse (the parser bounds depth). */
  private static final long STACK_SIZE = 256L * 1024 * 1024;

  private Main() {}

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    int code = run(args, out, err, Optional.of(System.out));
    out.flush();
    err.flush();
    System.exit(code);
  }

  /** Runs the command line in process (tests call this) and returns the exit code. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    return run(args, out, err, Optional.empty());
  }

  /**
   * Runs the command line; {@code stdout}, when given, is the byte stream behind {@code out}, for
   * commands that write large outputs as bytes (after flushing {@code out}).
   */
  static int run(String[] args, PrintWriter out, PrintWriter err, Optional<OutputStream> stdout) {
    AtomicInteger code = new AtomicInteger(ExitCode.RUNTIME);
    Thread t =
        new Thread(null, () -> code.set(execute(args, out, err, stdout)), "vigil-main", STACK_SIZE);
    t.start();
    try {
      t.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    out.flush();
    err.flush();
    return code.get();
  }

  static int execute(
      String[] args, PrintWriter out, PrintWriter err, Optional<OutputStream> stdout) {
    CommandLine cl = configure(CommandTree.forArgs(args), out, err);
    ((VigilCommand) cl.getCommand()).stdout = stdout;
    try {
      return cl.execute(args);
    } catch (StackOverflowError | OutOfMemoryError e) {
      err.println("vigil: the input is too large or too deeply nested to process (" + e + ")");
      return ExitCode.FINDINGS;
    }
  }

  /** Streams, enum spelling and error handling for a model (see {@link CommandTree}). */
  static CommandLine configure(CommandLine cl, PrintWriter out, PrintWriter err) {
    cl.setOut(out);
    cl.setErr(err);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      if (ex instanceof UserError u) {
        commandLine.getErr().println("vigil: " + u.getMessage());
        return u.exitCode();
      }
      commandLine.getErr().println("vigil: internal error: " + ex);
      if (System.getenv("VIGIL_DEBUG") != null) {
        ex.printStackTrace(commandLine.getErr());
      } else {
        commandLine.getErr().println("(set VIGIL_DEBUG=1 for details)");
      }
      return ExitCode.RUNTIME;
    });
    return cl;
  }
}
