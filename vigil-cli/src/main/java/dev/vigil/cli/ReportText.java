package dev.vigil.cli;

import dev.vigil.k8saudit.report.Denial;
import dev.vigil.k8saudit.report.Report;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code audit report} as text. */
final class ReportText {
  private static final int TOP = 20;

  private ReportText() {}

  static String time(long ns) {
    if (ns == Long.MAX_VALUE || ns == Long.MIN_VALUE) {
      return "-";
    }
    return TIME.format(
        Instant.ofEpochSecond(
            Math.floorDiv(ns, 1_000_000_000L), Math.floorMod(ns, 1_000_000_000L)));
  }

  private static final java.time.format.DateTimeFormatter TIME =
      java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
          .withZone(java.time.ZoneOffset.UTC);

  static String object(Report.Item it) {
    if (it.namespace().isEmpty()) {
      return it.name();
    }
    return it.name().isEmpty() ? it.namespace() : it.namespace() + "/" + it.name();
  }

  static List<Map.Entry<String, Report.Identity>> byActivity(Report r) {
    List<Map.Entry<String, Report.Identity>> ids = new ArrayList<>(r.identities().entrySet());
    ids.sort((a, b) -> Long.compare(b.getValue().requests, a.getValue().requests));
    return ids;
  }

  static void write(Report r, PrintWriter out) {
    out.printf(
        "%d events, %d requests, from %s to %s%n",
        r.events(), r.requests(), time(r.first()), time(r.last()));
    out.println();
    out.println("Activity per identity (most active first):");
    out.printf("  %-48s %9s %7s %7s  %s%n", "IDENTITY", "REQUESTS", "WRITES", "DENIED", "VERBS");
    List<Map.Entry<String, Report.Identity>> ids = byActivity(r);
    for (Map.Entry<String, Report.Identity> e : ids.subList(0, Math.min(TOP, ids.size()))) {
      Report.Identity id = e.getValue();
      out.printf(
          "  %-48s %9d %7d %7d  %s%n", e.getKey(), id.requests, id.writes, id.denied, id.verbs);
    }
    if (ids.size() > TOP) {
      out.printf("  ... and %d more identities%n", ids.size() - TOP);
    }
    out.println();
    out.println("Unauthorized attempts:");
    if (r.denialCounts().isEmpty()) {
      out.println("  none");
    }
    for (Denial d : Denial.values()) {
      Long n = r.denialCounts().get(d);
      if (n == null) {
        continue;
      }
      out.printf("  %s: %d%n", AuditReportCommand.cause(d), n);
      items(r.denials(d), n, out);
    }
    section(out, "Secret access", r.secrets(), r.secretCount());
    section(out, "Exec, attach and port-forward sessions", r.sessions(), r.sessionCount());
    section(out, "Destructive actions (successful deletes)", r.destructive(), r.destructiveCount());
    out.println();
    out.println("Identities, by the time of their first request:");
    r.firstUsers().forEach((u, t) -> out.printf("  %s  %s%n", time(t), u));
    out.println();
    out.println("Source addresses, by the time of their first request:");
    r.firstIps().forEach((ip, t) -> out.printf("  %s  %s%n", time(t), ip));
  }

  private static void section(PrintWriter out, String title, List<Report.Item> items, long n) {
    out.println();
    out.printf("%s: %d%n", title, n);
    items(items, n, out);
  }

  private static void items(List<Report.Item> items, long total, PrintWriter out) {
    for (Report.Item it : items.subList(0, Math.min(TOP, items.size()))) {
      out.printf(
          "    %s  %-28s %-7s %-30s %-30s %d%s%n",
          time(it.time()),
          it.user().isEmpty() ? "(unauthenticated)" : it.user(),
          it.verb(),
          it.resource().isEmpty() ? it.uri() : it.resource(),
          object(it),
          it.code(),
          it.detail().isEmpty() ? "" : "  " + it.detail());
    }
    if (total > Math.min(TOP, items.size())) {
      out.printf("    ... %d more%n", total - Math.min(TOP, items.size()));
    }
  }
}
