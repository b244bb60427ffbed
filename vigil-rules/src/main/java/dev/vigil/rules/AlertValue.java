package dev.vigil.rules;

import java.util.List;

/** A field value in an alert's {@code output_fields}, typed for JSON. */
public sealed interface AlertValue {
  /** The value as the text output prints it ({@code <NA>} when missing). */
  String text();

  record Text(String value) implements AlertValue {
    @Override
    public String text() {
      return value;
    }
  }

  /** A number, kept as its decimal text (unsigned 64-bit values included). */
  record Num(String decimal) implements AlertValue {
    @Override
    public String text() {
      return decimal;
    }
  }

  record Bool(boolean value) implements AlertValue {
    @Override
    public String text() {
      return value ? "true" : "false";
    }
  }

  record Values(List<String> values) implements AlertValue {
    public Values {
      values = List.copyOf(values);
    }

    @Override
    public String text() {
      return "(" + String.join(",", values) + ")";
    }
  }

  /** The field has no value for this event: {@code <NA>} in text, {@code null} in JSON. */
  record Missing() implements AlertValue {
    @Override
    public String text() {
      return "<NA>";
    }
  }
}
