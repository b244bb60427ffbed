package dev.vigil.cli;

/**
 * Numbers as {@code String.format(Locale.ROOT, ...)} writes them with {@code %,d} and {@code %.1f},
 * without {@link java.util.Formatter}: its first {@code %d} or {@code %f} sets up the JDK's locale
 * data, 12–16 ms of CPU in a one-event {@code simulate} (async-profiler). The reports format their
 * columns with {@code %s} and these strings.
 */
final class Numbers {
  private Numbers() {}

  /** {@code %,d}: thousands separated by commas. */
  static String grouped(long n) {
    String digits = Long.toString(n);
    int start = n < 0 ? 1 : 0;
    int len = digits.length() - start;
    if (len <= 3) {
      return digits;
    }
    StringBuilder b = new StringBuilder(digits.length() + len / 3);
    b.append(digits, 0, start);
    int first = len % 3 == 0 ? 3 : len % 3;
    b.append(digits, start, start + first);
    for (int i = start + first; i < digits.length(); i += 3) {
      b.append(',').append(digits, i, i + 3);
    }
    return b.toString();
  }

  /**
   * {@code %.1f}: one decimal, rounded half up from the shortest decimal that names the double (the
   * digits of {@link Double#toString}), which is how {@link java.util.Formatter} rounds. Not with
   * {@code BigDecimal}: its static initializer alone costs about 20 ms when interpreted.
   */
  static String oneDecimal(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "Infinity" : "-Infinity";
    }
    boolean negative = v < 0 || (v == 0 && 1 / v < 0);
    String s = Double.toString(Math.abs(v));
    int e = s.indexOf('E');
    String mantissa = e < 0 ? s : s.substring(0, e);
    int exponent = e < 0 ? 0 : Integer.parseInt(s.substring(e + 1));
    int dot = mantissa.indexOf('.');
    String digits = mantissa.substring(0, dot) + mantissa.substring(dot + 1);
    int whole = dot + exponent; // the value is 0.digits times ten to the power whole
    // the whole part, then the first decimal, as one run of digits
    StringBuilder kept = new StringBuilder();
    if (whole <= 0) {
      kept.append('0');
    }
    for (int i = 0; i < whole; i++) {
      kept.append(digitAt(digits, i));
    }
    kept.append(digitAt(digits, whole));
    if (digitAt(digits, whole + 1) >= '5') {
      int i = kept.length() - 1;
      while (i >= 0 && kept.charAt(i) == '9') {
        kept.setCharAt(i--, '0');
      }
      if (i < 0) {
        kept.insert(0, '1');
      } else {
        kept.setCharAt(i, (char) (kept.charAt(i) + 1));
      }
    }
    kept.insert(kept.length() - 1, '.');
    return negative ? "-" + kept : kept.toString();
  }

  private static char digitAt(String digits, int i) {
    return i >= 0 && i < digits.length() ? digits.charAt(i) : '0';
  }

  /** {@code %+.1f}: {@link #oneDecimal} with its sign always written. */
  static String signedOneDecimal(double v) {
    String s = oneDecimal(v);
    return s.startsWith("-") || Double.isNaN(v) ? s : "+" + s;
  }
}
