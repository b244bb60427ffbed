package dev.vigil.cli;

import dev.vigil.k8saudit.policy.Policy;
import dev.vigil.k8saudit.policy.PolicyRule;
import dev.vigil.k8saudit.policy.load.LoadReport;
import dev.vigil.k8saudit.policy.load.RawPolicy;
import dev.vigil.k8saudit.policy.simulate.Summary;
import dev.vigil.k8saudit.policy.simulate.Summary.LevelRow;
import dev.vigil.k8saudit.policy.simulate.Summary.Result;
import dev.vigil.k8saudit.policy.simulate.Summary.RuleRow;
import dev.vigil.k8saudit.policy.simulate.Summary.Top;
import dev.vigil.output.JsonWriter;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The simulation summary as text tables or as one JSON object. */
final class SimulateReport {
  private SimulateReport() {}

  static void text(Summary s, LoadReport a, Optional<LoadReport> b, PrintWriter out) {
    out.println(
        String.format(
            Locale.ROOT,
            "Policy %s (kube-apiserver %s) over %s log file%s: %s events (%s), %s line%s skipped",
            a.file(),
            a.version(),
            s.files(),
            s.files() == 1 ? "" : "s",
            Numbers.grouped(s.events()),
            size(s.eventBytes()),
            Numbers.grouped(s.skipped()),
            s.skipped() == 1 ? "" : "s"));
    out.println();
    rules(s.policy(), a, s.events(), out);
    out.println();
    levels(s.policy(), out);
    out.println();
    volume(s, s.policy(), out);
    if (b.isPresent() && s.compare().isPresent()) {
      out.println();
      compare(s, b.get(), s.compare().get(), out);
    }
    out.println();
    top("top users", s.identities(), b.isPresent(), out);
    out.println();
    top("top resources", s.resources(), b.isPresent(), out);
  }

  private static void rules(Result r, LoadReport report, long events, PrintWriter out) {
    Policy p = report.policy().orElseThrow();
    out.println(
        String.format(
            Locale.ROOT,
            " %-10s %-15s %5s %12s %6s %12s %11s  %s",
            "rule",
            "level",
            "line",
            "events",
            "share",
            "written",
            "log volume",
            "selects"));
    for (RuleRow row : r.rules()) {
      boolean none = row.rule() < 0;
      String name = none ? "(no rule)" : "rules[" + row.rule() + "]";
      String line = none ? "" : String.valueOf(line(report, row.rule()));
      String selects = none ? "requests no rule matches" : selects(p.rules().get(row.rule()));
      out.println(
          String.format(
              Locale.ROOT,
              " %-10s %-15s %5s %12s %6s %12s %11s  %s",
              name,
              row.level(),
              line,
              Numbers.grouped(row.events()),
              percent(row.events(), events),
              Numbers.grouped(row.written()),
              size(row.bytes()),
              selects));
    }
  }

  private static void levels(Result r, PrintWriter out) {
    out.println(
        String.format(
            Locale.ROOT, " %-15s %12s %12s %11s", "level", "events", "written", "log volume"));
    for (LevelRow row : r.levels()) {
      out.println(
          String.format(
              Locale.ROOT,
              " %-15s %12s %12s %11s",
              row.level(),
              Numbers.grouped(row.events()),
              Numbers.grouped(row.written()),
              size(row.bytes())));
    }
  }

  private static void volume(Summary s, Result r, PrintWriter out) {
    out.println(
        String.format(
            Locale.ROOT,
            "The policy writes %s of %s events (%s): %s of log, %s of the %s read.",
            Numbers.grouped(r.written()),
            Numbers.grouped(s.events()),
            percent(r.written(), s.events()),
            size(r.writtenBytes()),
            percent(r.writtenBytes(), s.eventBytes()),
            size(s.eventBytes())));
    if (r.underRecorded() > 0) {
      out.println(
          String.format(
              Locale.ROOT,
              "%s written events were logged at a lower level than the policy's: their bodies are"
                  + " not in the input, so the volume is underestimated.",
              Numbers.grouped(r.underRecorded())));
    }
    if (s.fromObjectRef() > 0) {
      out.println(
          String.format(
              Locale.ROOT,
              "%s events had no requestURI and were evaluated from their objectRef.",
              Numbers.grouped(s.fromObjectRef())));
    }
  }

  private static void compare(Summary s, LoadReport b, Result rb, PrintWriter out) {
    Result ra = s.policy();
    out.println("Compared with " + b.file() + ":");
    out.println(
        String.format(
            Locale.ROOT, " %-16s %16s %16s %9s", "", "this policy", "other policy", "change"));
    out.println(
        String.format(
            Locale.ROOT,
            " %-16s %16s %16s %9s",
            "events written",
            Numbers.grouped(ra.written()),
            Numbers.grouped(rb.written()),
            change(ra.written(), rb.written())));
    out.println(
        String.format(
            Locale.ROOT,
            " %-16s %16s %16s %9s",
            "log volume",
            size(ra.writtenBytes()),
            size(rb.writtenBytes()),
            change(ra.writtenBytes(), rb.writtenBytes())));
    if (s.changes().isEmpty()) {
      out.println(" Every event gets the same level under both policies.");
    } else {
      out.println(" Level changes (this policy -> other policy):");
      for (Summary.LevelChange c : s.changes()) {
        out.println(
            String.format(
                Locale.ROOT,
                "   %-15s -> %-15s %12s events",
                c.from(),
                c.to(),
                Numbers.grouped(c.events())));
      }
    }
    out.println();
    out.println("Rules of " + b.file() + ":");
    rules(rb, b, s.events(), out);
  }

  private static void top(String title, List<Top> rows, boolean compare, PrintWriter out) {
    String head =
        String.format(
            Locale.ROOT, " %-48s %12s %12s %11s", title, "events", "written", "log volume");
    out.println(
        compare ? head + String.format(Locale.ROOT, " %12s %11s", "other", "other vol") : head);
    for (Top t : rows) {
      String key = t.key().length() > 48 ? t.key().substring(0, 45) + "..." : t.key();
      String row =
          String.format(
              Locale.ROOT,
              " %-48s %12s %12s %11s",
              key,
              Numbers.grouped(t.events()),
              Numbers.grouped(t.written()),
              size(t.bytes()));
      out.println(
          compare
              ? row
                  + String.format(
                      Locale.ROOT,
                      " %12s %11s",
                      Numbers.grouped(t.writtenCompare()),
                      size(t.bytesCompare()))
              : row);
    }
  }

  static void json(Summary s, LoadReport a, Optional<LoadReport> b, PrintWriter out) {
    try (JsonWriter j = JsonWriter.to(out, false)) {
      j.beginObject().name("summary").beginObject();
      j.field("k8sVersion", a.version().toString());
      j.field("files", s.files());
      j.field("events", s.events());
      j.field("eventBytes", s.eventBytes());
      j.field("skipped", s.skipped());
      j.field("fromObjectRef", s.fromObjectRef());
      j.name("policy");
      result(s.policy(), a, j);
      if (b.isPresent() && s.compare().isPresent()) {
        j.name("compare");
        result(s.compare().get(), b.get(), j);
        j.name("levelChanges").beginArray();
        for (Summary.LevelChange c : s.changes()) {
          j.beginObject().field("from", c.from().text()).field("to", c.to().text());
          j.field("events", c.events()).endObject();
        }
        j.endArray();
      }
      tops("topUsers", s.identities(), b.isPresent(), j);
      tops("topResources", s.resources(), b.isPresent(), j);
      j.endObject().endObject();
    }
    out.println();
  }

  private static void result(Result r, LoadReport report, JsonWriter j) {
    j.beginObject();
    j.field("file", report.file());
    j.field("written", r.written());
    j.field("writtenBytes", r.writtenBytes());
    j.field("underRecorded", r.underRecorded());
    j.name("rules").beginArray();
    for (RuleRow row : r.rules()) {
      j.beginObject();
      if (row.rule() < 0) {
        j.name("rule").nullValue();
      } else {
        j.field("rule", row.rule());
        j.field("line", line(report, row.rule()));
      }
      j.field("level", row.level().text());
      j.field("events", row.events()).field("written", row.written()).field("bytes", row.bytes());
      j.endObject();
    }
    j.endArray();
    j.name("levels").beginArray();
    for (LevelRow row : r.levels()) {
      j.beginObject().field("level", row.level().text()).field("events", row.events());
      j.field("written", row.written()).field("bytes", row.bytes()).endObject();
    }
    j.endArray();
    j.endObject();
  }

  private static void tops(String name, List<Top> rows, boolean compare, JsonWriter j) {
    j.name(name).beginArray();
    for (Top t : rows) {
      j.beginObject().field("key", t.key()).field("events", t.events());
      j.field("written", t.written()).field("bytes", t.bytes());
      if (compare) {
        j.field("compareWritten", t.writtenCompare()).field("compareBytes", t.bytesCompare());
      }
      j.endObject();
    }
    j.endArray();
  }

  static int line(LoadReport r, int rule) {
    Optional<RawPolicy> raw = r.raw();
    return raw.isPresent() && rule < raw.get().rules().size()
        ? raw.get().rules().get(rule).pos().line()
        : 0;
  }

  /** A short description of what a rule selects. */
  static String selects(PolicyRule r) {
    List<String> parts = new ArrayList<>();
    add(parts, "users", r.users());
    add(parts, "groups", r.userGroups());
    add(parts, "verbs", r.verbs());
    if (!r.resources().isEmpty()) {
      List<String> res = new ArrayList<>();
      r.resources()
          .forEach(g -> {
            String group = g.group().isEmpty() ? "" : "." + g.group();
            if (g.resources().isEmpty()) {
              res.add("*" + group);
            } else {
              g.resources().forEach(x -> res.add(x + group));
            }
          });
      add(parts, "resources", res);
    }
    add(parts, "namespaces", r.namespaces());
    add(parts, "urls", r.nonResourceURLs());
    String s = parts.isEmpty() ? "everything" : String.join(" ", parts);
    return s.length() > 70 ? s.substring(0, 67) + "..." : s;
  }

  private static void add(List<String> parts, String name, List<String> values) {
    if (!values.isEmpty()) {
      parts.add(name + "=" + String.join(",", values));
    }
  }

  static String size(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = bytes;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return Numbers.oneDecimal(v) + " " + units[u];
  }

  static String percent(long part, long whole) {
    return whole == 0 ? "-" : Numbers.oneDecimal(100.0 * part / whole) + "%";
  }

  private static String change(long from, long to) {
    if (from == 0) {
      return to == 0 ? "0%" : "new";
    }
    return Numbers.signedOneDecimal(100.0 * (to - from) / from) + "%";
  }
}
