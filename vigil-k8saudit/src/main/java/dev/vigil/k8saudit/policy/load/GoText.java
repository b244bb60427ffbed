package dev.vigil.k8saudit.policy.load;

import java.util.List;

/**
 * Go's renderings of values in kube-apiserver's messages: {@code %q} and JSON or {@code %#v} lists.
 */
final class GoText {
  private GoText() {}

  /** Go's {@code %q}: a double-quoted string with Go escapes (printable Unicode kept). */
  static String quote(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
    s.codePoints()
        .forEach(c -> {
          switch (c) {
            case '"' -> sb.append("\\\"");
            case '\\' -> sb.append("\\\\");
            case '\n' -> sb.append("\\n");
            case '\t' -> sb.append("\\t");
            case '\r' -> sb.append("\\r");
            case 0x07 -> sb.append("\\a");
            case 0x08 -> sb.append("\\b");
            case 0x0c -> sb.append("\\f");
            case 0x0b -> sb.append("\\v");
            default -> {
              if (c < 0x20 || c == 0x7f) {
                sb.append(String.format("\\x%02x", c));
              } else if (!Character.isDefined(c) || Character.getType(c) == Character.FORMAT) {
                sb.append(c > 0xffff ? String.format("\\U%08x", c) : String.format("\\u%04x", c));
              } else {
                sb.appendCodePoint(c);
              }
            }
          }
        });
    return sb.append('"').toString();
  }

  /** Go's {@code json.Marshal} of a string (HTML characters escaped, as Go does by default). */
  static String json(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '<', '>', '&', '\u2028', '\u2029' -> sb.append(String.format("\\u%04x", (int) c));
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }

  /**
   * A {@code []string} bad value in a field error: JSON from Kubernetes 1.34 ({@code ["a","b"]}),
   * Go syntax before ({@code []string{"a", "b"}}).
   */
  static String list(List<String> values, boolean asJson) {
    StringBuilder sb = new StringBuilder(asJson ? "[" : "[]string{");
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        sb.append(asJson ? "," : ", ");
      }
      sb.append(asJson ? json(values.get(i)) : quote(values.get(i)));
    }
    return sb.append(asJson ? "]" : "}").toString();
  }
}
