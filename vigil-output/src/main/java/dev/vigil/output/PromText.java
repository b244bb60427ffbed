package dev.vigil.output;

/**
 * Writes the Prometheus text exposition format (version 0.0.4): {@code # HELP} and {@code # TYPE}
 * lines, then samples with escaped label values.
 */
public final class PromText {
  /** The content type {@code /metrics} answers with. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final StringBuilder out = new StringBuilder(4096);

  /** Starts a metric family. {@code type}: counter, gauge, summary, untyped. */
  public PromText family(String name, String type, String help) {
    out.append("# HELP ").append(name).append(' ');
    escape(help, false);
    out.append('\n').append("# TYPE ").append(name).append(' ').append(type).append('\n');
    return this;
  }

  /** One integer sample; {@code labels} alternate names and values. */
  public PromText sample(String name, long value, String... labels) {
    labels(name, labels);
    out.append(' ').append(value).append('\n');
    return this;
  }

  /** One sample; {@code labels} alternate names and values. */
  public PromText sample(String name, double value, String... labels) {
    labels(name, labels);
    out.append(' ');
    if (Double.isNaN(value)) {
      out.append("NaN");
    } else if (Double.isInfinite(value)) {
      out.append(value > 0 ? "+Inf" : "-Inf");
    } else {
      out.append(value);
    }
    out.append('\n');
    return this;
  }

  private void labels(String name, String... labels) {
    if (labels.length % 2 != 0) {
      throw new IllegalArgumentException("labels come in name, value pairs");
    }
    out.append(name);
    if (labels.length > 0) {
      out.append('{');
      for (int i = 0; i < labels.length; i += 2) {
        if (i > 0) {
          out.append(',');
        }
        out.append(labels[i]).append("=\"");
        escape(labels[i + 1], true);
        out.append('"');
      }
      out.append('}');
    }
  }

  private void escape(String s, boolean quotes) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '"' -> out.append(quotes ? "\\\"" : "\"");
        default -> out.append(c);
      }
    }
  }

  @Override
  public String toString() {
    return out.toString();
  }
}
