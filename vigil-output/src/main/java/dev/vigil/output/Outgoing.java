package dev.vigil.output;

import dev.vigil.rules.Alert;
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
      j = format.json(alert, rendering.hostname());
      json = j;
    }
    return j;
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
