package dev.vigil.output;

import dev.vigil.rules.Alert;
import dev.vigil.rules.AlertValue;
import dev.vigil.rules.Priority;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Slack incoming-webhook message for an alert, in the shape falcosidekick posts: a text line, and
 * one attachment colored by priority with the output text and/or one field per output field, rule,
 * priority, source, host name and tags. Mattermost and Rocket.Chat accept the same payload.
 */
final class SlackPayload {
  private static final Pattern FIELD =
      Pattern.compile("\\{\\{\\s*(?:\\.(\\w+)|index\\s+\\.OutputFields\\s+\"([^\"]+)\")\\s*}}");

  private SlackPayload() {}

  static String color(Priority p) {
    return switch (p) {
      case EMERGENCY -> "#e20b0b";
      case ALERT -> "#ff5400";
      case CRITICAL -> "#ff9000";
      case ERROR -> "#ffc700";
      case WARNING -> "#ffff00";
      case NOTICE -> "#5bffb5";
      case INFORMATIONAL -> "#68c2ff";
      case DEBUG -> "#ccfff2";
    };
  }

  static String build(SinkConfig.Slack c, Outgoing o) {
    Alert a = o.alert();
    String text = o.text();
    return JsonWriter.string(j -> {
      j.beginObject();
      j.field("text", c.messageFormat().isEmpty() ? text : template(c.messageFormat(), o));
      if (!c.username().isEmpty()) {
        j.field("username", c.username());
      }
      if (!c.icon().isEmpty()) {
        j.field("icon_url", c.icon());
      }
      if (!c.channel().isEmpty()) {
        j.field("channel", c.channel());
      }
      j.name("attachments").beginArray().beginObject();
      j.field("fallback", text);
      j.field("color", color(a.priority()));
      if (c.format() != SinkConfig.SlackFormat.FIELDS) {
        j.field("text", text);
      }
      if (c.format() != SinkConfig.SlackFormat.TEXT) {
        j.name("fields").beginArray();
        field(j, "rule", a.rule(), false);
        field(j, "priority", a.priority().title(), true);
        field(j, "source", a.source(), true);
        field(j, "hostname", o.hostname(), true);
        if (!a.tags().isEmpty()) {
          field(j, "tags", String.join(", ", a.tags()), true);
        }
        for (Map.Entry<String, AlertValue> f : new TreeMap<>(a.fields()).entrySet()) {
          field(j, f.getKey(), f.getValue().text(), true);
        }
        field(j, "time", FalcoFormat.isoTime(a.time()), false);
        j.endArray();
      }
      if (!c.footer().isEmpty()) {
        j.field("footer", c.footer());
      }
      j.field("ts", Math.floorDiv(a.time(), 1_000_000_000L));
      j.endObject().endArray();
      j.endObject();
    });
  }

  private static void field(JsonWriter j, String title, String value, boolean isShort) {
    j.beginObject().field("title", title).field("value", value).field("short", isShort).endObject();
  }

  /**
   * falcosidekick's {@code messageformat}: Go template references to {@code .Rule}, {@code
   * .Priority}, {@code .Output}, {@code .Source}, {@code .Hostname}, {@code .Time} and {@code index
   * .OutputFields "name"} are filled in; other text stays as written.
   */
  static String template(String format, Outgoing o) {
    Alert a = o.alert();
    Matcher m = FIELD.matcher(format);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String name = m.group(1);
      String value;
      if (name == null) {
        AlertValue v = a.fields().get(m.group(2));
        value = v == null ? "<NA>" : v.text();
      } else {
        value =
            switch (name) {
              case "Rule" -> a.rule();
              case "Priority" -> a.priority().title();
              case "Output" -> o.text();
              case "Source" -> a.source();
              case "Hostname" -> o.hostname();
              case "Time" -> FalcoFormat.isoTime(a.time());
              case "Tags" -> String.join(", ", a.tags());
              default -> m.group();
            };
      }
      m.appendReplacement(sb, Matcher.quoteReplacement(value));
    }
    m.appendTail(sb);
    return sb.toString();
  }
}
