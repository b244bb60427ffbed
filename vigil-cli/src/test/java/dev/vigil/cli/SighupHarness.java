package dev.vigil.cli;

import dev.vigil.cli.daemon.ConfigLoader;
import dev.vigil.cli.daemon.Daemon;
import dev.vigil.cli.daemon.DaemonConfig;
import dev.vigil.cli.daemon.Generation;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A daemon in its own JVM, with Vigil's SIGHUP handler installed, flooding itself with matching
 * synthetic events until it has reloaded {@code args[1]} times: the test sends the signals. Prints
 * {@code started}, then {@code alerts N} once everything is flushed.
 */
public final class SighupHarness {
  private SighupHarness() {}

  public static void main(String[] args) throws Exception {
    Path yaml = Path.of(args[0]);
    int reloads = Integer.parseInt(args[1]);
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    DaemonConfig c = ConfigLoader.load(Optional.of(yaml), List.of()).config().orElseThrow();
    DaemonRules rules = new DaemonRules(List.of(), "node-1", err);
    Generation g = ((Generation.Prepared.Ready) rules.prepare(c)).generation();
    Daemon d =
        Daemon.start(
            g,
            () -> ConfigLoader.load(Optional.of(yaml), List.of()),
            rules,
            out,
            "node-1",
            "test",
            true);
    Events ev = new Events();
    out.println("started");
    long n = 0;
    long end = System.nanoTime() + 60_000_000_000L;
    while (System.nanoTime() < end) {
      d.onSyscall(ev.open("/etc/shadow"));
      n++;
      if (n % 1000 == 0 && d.reloads() >= reloads) {
        break;
      }
    }
    boolean flushed = d.shutdown();
    out.println("alerts " + n + " flushed " + flushed + " reloads " + d.reloads());
    out.flush();
    System.exit(0);
  }
}
