package dev.vigil.output;

import dev.vigil.rules.Alert;
import dev.vigil.rules.AlertValue;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.TreeMap;

/**
 * Alerts rendered as Falco renders them, so that log scrapers and falcosidekick read Vigil's output
 * unchanged: the text line {@code <time>: <Priority> <output>} and the JSON object {@code
 * {hostname, output, output_fields, priority, rule, source, tags, time}} with sorted keys.
 */
public final class FalcoFormat {

  /**
   * Falco's output options.
   *
   * @param isoTime {@code time_format_iso_8601}: UTC ISO time in the text line
   * @param includeOutput {@code json_include_output_property}
   * @param includeTags {@code json_include_tags_property}
   * @param includeMessage {@code json_include_message_property}
   * @param includeOutputFields {@code json_include_output_fields_property}
   * @param zone the time zone of the text line's clock time
   */
  public record Options(
      boolean isoTime,
      boolean includeOutput,
      boolean includeTags,
      boolean includeMessage,
      boolean includeOutputFields,
      ZoneId zone) {
    public static Options defaults() {
      return new Options(false, true, true, false, true, ZoneId.systemDefault());
    }
  }

  private static final DateTimeFormatter ISO_SECONDS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

  private final Options options;
  private final DateTimeFormatter clock;

  public FalcoFormat(Options options) {
    this.options = options;
    this.clock = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(options.zone());
  }

  /** The text line: {@code 14:05:32.123456789: Warning ...}, control characters escaped. */
  public String text(Alert a) {
    return escapeControls(prefix(a) + a.output());
  }

  private String prefix(Alert a) {
    return time(a.time()) + ": " + a.priority().title() + " ";
  }

  /** The time as the text line prints it: local clock time, or UTC ISO 8601. */
  public String time(long ns) {
    long s = Math.floorDiv(ns, 1_000_000_000L);
    String frac = nanos(ns);
    Instant at = Instant.ofEpochSecond(s);
    return options.isoTime()
        ? ISO_SECONDS.format(at) + "." + frac + "+0000"
        : clock.format(at) + "." + frac;
  }

  /** The JSON time: UTC ISO 8601 with nanoseconds and {@code Z}. */
  public static String isoTime(long ns) {
    return ISO_SECONDS.format(Instant.ofEpochSecond(Math.floorDiv(ns, 1_000_000_000L)))
        + "."
        + nanos(ns)
        + "Z";
  }

  /** The nine fractional digits of a time in nanoseconds (no String.format: alerts are many). */
  private static String nanos(long ns) {
    char[] d = new char[9];
    long f = Math.floorMod(ns, 1_000_000_000L);
    for (int i = 8; i >= 0; i--) {
      d[i] = (char) ('0' + f % 10);
      f /= 10;
    }
    return new String(d);
  }

  /** The JSON object, on one line. */
  public String json(Alert a, String hostname) {
    StringWriter sw = new StringWriter();
    try (JsonWriter j = JsonWriter.to(sw, false)) {
      j.beginObject();
      j.field("hostname", hostname);
      if (options.includeMessage()) {
        j.field("message", a.output());
      }
      if (options.includeOutput()) {
        j.field("output", prefix(a) + a.output());
      }
      if (options.includeOutputFields()) {
        j.name("output_fields").beginObject();
        Map<String, AlertValue> fields = new TreeMap<>(a.fields());
        fields.putIfAbsent("evt.time", new AlertValue.Num(Long.toString(a.time())));
        fields.forEach((k, v) -> {
          j.name(k);
          value(v, j);
        });
        j.endObject();
      }
      j.field("priority", a.priority().title());
      j.field("rule", a.rule());
      j.field("source", a.source());
      if (options.includeTags()) {
        j.stringArray("tags", a.tags());
      }
      j.field("time", isoTime(a.time()));
      j.endObject();
    }
    return sw.toString();
  }

  private static void value(AlertValue v, JsonWriter j) {
    switch (v) {
      case AlertValue.Text t -> j.value(t.value());
      case AlertValue.Num n -> j.rawNumber(n.decimal());
      case AlertValue.Bool b -> j.value(b.value());
      case AlertValue.Values l -> {
        j.beginArray();
        l.values().forEach(j::value);
        j.endArray();
      }
      case AlertValue.Missing m -> j.nullValue();
    }
  }

  /** Escapes control characters as a JSON string would, keeping everything else as is. */
  static String escapeControls(String s) {
    StringBuilder out = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      String rep =
          switch (c) {
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '\t' -> "\\t";
            case '\b' -> "\\b";
            case '\f' -> "\\f";
            default -> c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : null;
          };
      if (rep != null && out == null) {
        out = new StringBuilder(s.length() + 16).append(s, 0, i);
      }
      if (out != null) {
        if (rep != null) {
          out.append(rep);
        } else {
          out.append(c);
        }
      }
    }
    return out == null ? s : out.toString();
  }
}
