package dev.vigil.cli;

import dev.vigil.cli.daemon.DaemonConfig;
import dev.vigil.output.FalcoFormat;
import dev.vigil.rules.Alert;
import java.io.PrintWriter;
import java.util.Map;
import java.util.TreeMap;

/**
 * Prints alerts as Falco does (text or JSON) and counts them per rule: {@code replay}'s output,
 * which goes to stdout only, whatever outputs the configuration enables.
 */
final class AlertSink {
  private static final String NL = System.lineSeparator();

  private final PrintWriter out;
  private final FalcoFormat format;
  private final boolean json;
  private final String hostname;
  private final Map<String, long[]> byRule = new TreeMap<>();
  private long total;

  AlertSink(PrintWriter out, DaemonConfig config, String hostname) {
    this.out = out;
    this.format = new FalcoFormat(config.format());
    this.json = config.json();
    this.hostname = hostname;
  }

  /**
   * Prints an alert. Written with {@code print}, not {@code println}, so that the command's
   * auto-flushing writer buffers alerts instead of making a system call for each: the command
   * flushes when the replay ends (or fails).
   */
  synchronized void accept(Alert a) {
    out.print(json ? format.json(a, hostname) : format.text(a));
    out.print(NL);
    byRule.computeIfAbsent(a.rule(), k -> new long[1])[0]++;
    total++;
  }

  synchronized long total() {
    return total;
  }

  /** One line per rule: count and name. */
  synchronized void printCounts(PrintWriter err) {
    byRule.forEach((rule, n) -> err.printf("  %6d  %s%n", n[0], rule));
  }
}
