package dev.vigil.cli;

import dev.vigil.k8saudit.event.JsonText;
import dev.vigil.k8saudit.report.Denial;
import dev.vigil.k8saudit.report.Report;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code audit report --json}: the same sections as JSON (times in RFC 3339). */
final class ReportJson {
  private ReportJson() {}

  static void write(Report r, PrintWriter out) {
    StringBuilder sb = new StringBuilder("{");
    sb.append("\"events\":").append(r.events()).append(",\"requests\":").append(r.requests());
    sb.append(",\"from\":");
    JsonText.quote(sb, ReportText.time(r.first())).append(",\"to\":");
    JsonText.quote(sb, ReportText.time(r.last()));
    sb.append(",\"identities\":[");
    boolean first = true;
    for (Map.Entry<String, Report.Identity> e : ReportText.byActivity(r)) {
      Report.Identity id = e.getValue();
      sb.append(first ? "" : ",").append("{\"identity\":");
      JsonText.quote(sb, e.getKey());
      sb.append(",\"requests\":").append(id.requests).append(",\"writes\":").append(id.writes);
      sb.append(",\"denied\":").append(id.denied).append(",\"first_seen\":");
      JsonText.quote(sb, ReportText.time(id.firstSeen)).append(",\"verbs\":{");
      boolean f2 = true;
      for (Map.Entry<String, Long> v : id.verbs.entrySet()) {
        JsonText.quote(sb.append(f2 ? "" : ","), v.getKey()).append(':').append(v.getValue());
        f2 = false;
      }
      sb.append("}}");
      first = false;
    }
    sb.append("],\"unauthorized\":{");
    first = true;
    for (Denial d : Denial.values()) {
      Long n = r.denialCounts().get(d);
      if (n == null) {
        continue;
      }
      JsonText.quote(sb.append(first ? "" : ","), d.name().toLowerCase(Locale.ROOT));
      sb.append(":{\"count\":").append(n).append(",\"requests\":");
      items(sb, r.denials(d));
      sb.append('}');
      first = false;
    }
    sb.append("},\"secret_access\":{\"count\":").append(r.secretCount()).append(",\"requests\":");
    items(sb, r.secrets());
    sb.append("},\"sessions\":{\"count\":").append(r.sessionCount()).append(",\"requests\":");
    items(sb, r.sessions());
    sb.append("},\"destructive\":{\"count\":")
        .append(r.destructiveCount())
        .append(",\"requests\":");
    items(sb, r.destructive());
    sb.append("},\"first_seen_identities\":");
    firsts(sb, r.firstUsers());
    sb.append(",\"first_seen_source_ips\":");
    firsts(sb, r.firstIps());
    out.println(sb.append('}'));
  }

  private static void firsts(StringBuilder sb, Map<String, Long> m) {
    sb.append('[');
    boolean first = true;
    for (Map.Entry<String, Long> e : m.entrySet()) {
      sb.append(first ? "" : ",").append("{\"name\":");
      JsonText.quote(sb, e.getKey()).append(",\"time\":");
      JsonText.quote(sb, ReportText.time(e.getValue())).append('}');
      first = false;
    }
    sb.append(']');
  }

  static void items(StringBuilder sb, List<Report.Item> items) {
    sb.append('[');
    for (int i = 0; i < items.size(); i++) {
      Report.Item it = items.get(i);
      sb.append(i > 0 ? "," : "").append("{\"time\":");
      JsonText.quote(sb, ReportText.time(it.time())).append(",\"user\":");
      JsonText.quote(sb, it.user()).append(",\"verb\":");
      JsonText.quote(sb, it.verb()).append(",\"resource\":");
      JsonText.quote(sb, it.resource()).append(",\"namespace\":");
      JsonText.quote(sb, it.namespace()).append(",\"name\":");
      JsonText.quote(sb, it.name()).append(",\"uri\":");
      JsonText.quote(sb, it.uri()).append(",\"code\":").append(it.code()).append(",\"source_ip\":");
      JsonText.quote(sb, it.sourceIp()).append(",\"detail\":");
      JsonText.quote(sb, it.detail()).append('}');
    }
    sb.append(']');
  }
}
