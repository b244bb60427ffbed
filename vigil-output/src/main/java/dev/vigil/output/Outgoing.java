package dev.vigil.output;

import dev.vigil.rules.Alert;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * An alert on its way to the outputs, rendered lazily and at most once per form whichever output
 * asks first (the renderings are immutable strings, so a benign race only renders twice).
 */
final class Outgoing {
  private final Alert alert;
  private final FalcoFormat format;
  private final Rendering rendering;
  private @Nullable String text;
  private @Nullable String json;
  private byte @Nullable [] jsonBytes;

  Outgoing(Alert alert, FalcoFormat format, Rendering rendering) {
    this.alert = alert;
    this.format = format;
    this.rendering = rendering;
  }

  Alert alert() {
    return alert;
  }

  String hostname() {
    return rendering.hostname();
  }

  /** Falco's text line. */
  String text() {
    String t = text;
    if (t == null) {
      t = format.text(alert);
      text = t;
    }
    return t;
  }

  /** Falco's JSON object, whatever {@code json_output} says. */
  String json() {
    String j = json;
    if (j == null) {
      j = new String(jsonBytes(), StandardCharsets.UTF_8);
      json = j;
    }
    return j;
  }

  /** Falco's JSON object as UTF-8 (shared: callers must not modify it). */
  private byte[] jsonBytes() {
    byte[] b = jsonBytes;
    if (b == null) {
      b = format.jsonBytes(alert, rendering.hostname());
      jsonBytes = b;
    }
    return b;
  }

  /** {@link #line()} as UTF-8, for the outputs that write bytes (shared: do not modify). */
  byte[] lineBytes() {
    return rendering.json() ? jsonBytes() : text().getBytes(StandardCharsets.UTF_8);
  }

  /** The line stdout, file, program, HTTP and syslog outputs carry: JSON or text. */
  String line() {
    return rendering.json() ? json() : text();
  }

  boolean isJson() {
    return rendering.json();
  }

  /** The text line's time, as the text line shows it. */
  String textTime() {
    return format.time(alert.time());
  }
}
