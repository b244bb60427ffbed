package dev.vigil.output;

import dev.vigil.rules.Alert;
import dev.vigil.rules.AlertValue;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

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

  private static final int MAX_CACHED_RULES = 10_000;

  private final Options options;
  private final DateTimeFormatter clock;
  private final Map<String, String[]> sortedNames = new ConcurrentHashMap<>();

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
    return new String(jsonBytes(a, hostname), StandardCharsets.UTF_8);
  }

  /**
   * The JSON object, on one line, as UTF-8: the form the file, stdout and program outputs write,
   * rendered without a detour through chars. {@code output_fields} are in key order, as Falco's
   * JSON library writes them.
   */
  public byte[] jsonBytes(Alert a, String hostname) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
    try (JsonWriter j = JsonWriter.to(out)) {
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
        writeSorted(a, j);
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
    return out.toByteArray();
  }

  /**
   * The output fields sorted by name, plus {@code evt.time} when the output does not name it. A
   * rule's alerts carry the same field names every time, so the sorted order is kept per rule name
   * and checked against each alert's fields (a mismatch, say two sources with a rule of the same
   * name, sorts afresh).
   */
  private void writeSorted(Alert a, JsonWriter j) {
    Map<String, AlertValue> fields = a.fields();
    String[] names = sortedNames.get(a.rule());
    @Nullable AlertValue @Nullable [] values = names == null ? null : valuesIn(names, fields);
    if (names == null || values == null) {
      boolean addTime = !fields.containsKey("evt.time");
      names = fields.keySet().toArray(new String[fields.size() + (addTime ? 1 : 0)]);
      if (addTime) {
        names[names.length - 1] = "evt.time";
      }
      Arrays.sort(names);
      if (sortedNames.size() >= MAX_CACHED_RULES) {
        sortedNames.clear();
      }
      sortedNames.put(a.rule(), names);
      @Nullable AlertValue[] fresh = new AlertValue[names.length];
      for (int i = 0; i < names.length; i++) {
        fresh[i] = fields.get(names[i]);
      }
      values = fresh;
    }
    for (int i = 0; i < names.length; i++) {
      j.name(names[i]);
      AlertValue v = values[i];
      if (v == null) {
        j.rawNumber(Long.toString(a.time()));
      } else {
        value(v, j);
      }
    }
  }

  /**
   * The values of {@code names} in {@code fields}, or null unless the names are exactly the fields'
   * keys (plus {@code evt.time}, whose value is then null).
   */
  private static @Nullable AlertValue @Nullable [] valuesIn(
      String[] names, Map<String, AlertValue> fields) {
    @Nullable AlertValue[] values = new AlertValue[names.length];
    int found = 0;
    for (int i = 0; i < names.length; i++) {
      AlertValue v = fields.get(names[i]);
      if (v != null) {
        found++;
      } else if (!names[i].equals("evt.time")) {
        return null;
      }
      values[i] = v;
    }
    return found == fields.size() ? values : null;
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
