package dev.vigil.rules.parse;

/** Unescaping of quoted strings in conditions, with libsinsp's escape set. */
public final class Escaping {
  private Escaping() {}

  /** Thrown for an escape sequence libsinsp rejects. */
  public static final class BadEscape extends Exception {
    private static final long serialVersionUID = 1L;

    final String reason;

    /** Why the escape is invalid. */
    public String reason() {
      return reason;
    }

    BadEscape(String reason) {
      super(reason);
      this.reason = reason;
    }
  }

  /**
   * Unescapes a quoted token, quotes included ({@code "a\"b"} gives {@code a"b}). Supports {@code
   * \b \f \n \r \t \\ \/ \xHH}, {@code \"} inside double quotes and {@code \'} inside single
   * quotes; a backslash before a space is read as a backslash (libsinsp's legacy tolerance).
   */
  public static String unquote(String token) throws BadEscape {
    StringBuilder res = new StringBuilder(token.length());
    char quote = token.charAt(0);
    int end = token.length() - 1;
    boolean escaped = false;
    for (int i = 1; i < end; i++) {
      char c = token.charAt(i);
      if (!escaped) {
        if (c == '\\') {
          escaped = true;
        } else {
          res.append(c);
        }
        continue;
      }
      escaped = false;
      switch (c) {
        case 'b' -> res.append('\b');
        case 'f' -> res.append('\f');
        case 'n' -> res.append('\n');
        case 'r' -> res.append('\r');
        case 't' -> res.append('\t');
        case ' ', '\\' -> res.append('\\');
        case '/' -> res.append('/');
        case '"' -> {
          if (quote != '"') {
            throw new BadEscape("invalid \\\" escape in '-quoted string");
          }
          res.append('"');
        }
        case '\'' -> {
          if (quote != '\'') {
            throw new BadEscape("invalid \\' escape in \"-quoted string");
          }
          res.append('\'');
        }
        case 'x' -> {
          if (i + 2 >= end || !isHex(token.charAt(i + 1)) || !isHex(token.charAt(i + 2))) {
            throw new BadEscape("invalid \\x escape: expected two hex digits");
          }
          res.append((char) Integer.parseInt(token.substring(i + 1, i + 3), 16));
          i += 2;
        }
        default -> throw new BadEscape("unsupported string escape sequence: \\" + c);
      }
    }
    return res.toString();
  }

  private static boolean isHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }
}
