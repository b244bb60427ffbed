package dev.vigil.cli;

import dev.vigil.cli.daemon.ConfigLoader;
import dev.vigil.cli.daemon.Daemon;
import dev.vigil.cli.daemon.DaemonConfig;
import dev.vigil.cli.daemon.Generation;
import dev.vigil.output.Delivery;
import dev.vigil.output.OutputStats;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A daemon in its own JVM, with Vigil's SIGHUP handler installed, flooding itself with matching
 * synthetic events until it has reloaded {@code args[1]} times: the test sends the signals. Prints
 * {@code started}, then {@code alerts N flushed B reloads R dropped D} once everything is flushed.
 */
public final class SighupHarness {
  private SighupHarness() {}

  private static int depth(Daemon d) {
    return d.outputs().stats().stream().mapToInt(OutputStats::depth).max().orElse(0);
  }

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
      if (n % 1000 == 0) {
        if (d.reloads() >= reloads) {
          break;
        }
        // the claim is about reloads: stay below the queue's bound, whose overflow is dropped by
        // design (and counted), however slow the machine's disk is today
        while (depth(d) > Delivery.DEFAULT_CAPACITY / 2) {
          Thread.sleep(1);
        }
      }
    }
    boolean flushed = d.shutdown();
    long dropped = d.outputs().stats().stream().mapToLong(OutputStats::dropped).sum();
    out.println(
        "alerts " + n + " flushed " + flushed + " reloads " + d.reloads() + " dropped " + dropped);
    out.flush();
    System.exit(0);
  }
}
