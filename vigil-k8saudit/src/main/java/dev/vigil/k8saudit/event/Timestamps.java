package dev.vigil.k8saudit.event;

/**
 * Parses the timestamps of audit events without allocating: RFC 3339 as kube-apiserver writes them
 * ({@code 2026-03-01T10:00:00.123456Z}, any number of fraction digits, {@code Z} or {@code
 * +hh:mm}), and the space-separated form some exporters use ({@code 2022-11-29 00:09:04.38}, read
 * as UTC).
 */
public final class Timestamps {
  private Timestamps() {}

  /** Nanoseconds since the epoch, or {@link Long#MIN_VALUE} when the text is not a timestamp. */
  public static long parse(byte[] b, int s, int e) {
    if (e - s < 19) {
      return Long.MIN_VALUE;
    }
    int year = digits(b, s, 4);
    int month = digits(b, s + 5, 2);
    int day = digits(b, s + 8, 2);
    int hour = digits(b, s + 11, 2);
    int minute = digits(b, s + 14, 2);
    int second = digits(b, s + 17, 2);
    if (year < 0
        || month < 1
        || month > 12
        || day < 1
        || day > 31
        || hour < 0
        || hour > 23
        || minute < 0
        || minute > 59
        || second < 0
        || second > 60
        || b[s + 4] != '-'
        || b[s + 7] != '-'
        || b[s + 13] != ':'
        || b[s + 16] != ':'
        || (b[s + 10] != 'T' && b[s + 10] != 't' && b[s + 10] != ' ')) {
      return Long.MIN_VALUE;
    }
    int i = s + 19;
    long nanos = 0;
    if (i < e && b[i] == '.') {
      i++;
      int n = 0;
      while (i < e && b[i] >= '0' && b[i] <= '9') {
        if (n < 9) {
          nanos = nanos * 10 + (b[i] - '0');
        }
        n++;
        i++;
      }
      if (n == 0) {
        return Long.MIN_VALUE;
      }
      for (int k = n; k < 9; k++) {
        nanos *= 10;
      }
    }
    long offsetSeconds = 0;
    if (i < e) {
      byte z = b[i];
      if ((z == 'Z' || z == 'z') && i + 1 == e) {
        offsetSeconds = 0;
      } else if ((z == '+' || z == '-') && i + 6 == e && b[i + 3] == ':') {
        int oh = digits(b, i + 1, 2);
        int om = digits(b, i + 4, 2);
        if (oh < 0 || om < 0) {
          return Long.MIN_VALUE;
        }
        offsetSeconds = (oh * 3600L + om * 60L) * (z == '-' ? -1 : 1);
      } else {
        return Long.MIN_VALUE;
      }
    }
    if (day > daysIn(year, month)) {
      return Long.MIN_VALUE;
    }
    long days = epochDay(year, month, day);
    long secs = days * 86_400L + hour * 3600L + minute * 60L + second - offsetSeconds;
    return secs * 1_000_000_000L + nanos;
  }

  /** Parses a timestamp given as a string. */
  public static long parse(String text) {
    byte[] b = text.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    return parse(b, 0, b.length);
  }

  /** The days in {@code month} (1–12) of {@code year} in the proleptic Gregorian calendar. */
  static int daysIn(int year, int month) {
    if (month == 2) {
      boolean leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
      return leap ? 29 : 28;
    }
    return month == 4 || month == 6 || month == 9 || month == 11 ? 30 : 31;
  }

  /**
   * Days since 1970-01-01 of a valid date with a year from 0 to 9999 (the days-from-civil
   * algorithm: years counted from March, so that the leap day ends a year).
   */
  static long epochDay(int year, int month, int day) {
    int y = month <= 2 ? year - 1 : year;
    int era = Math.floorDiv(y, 400);
    int yoe = y - era * 400;
    int mp = month > 2 ? month - 3 : month + 9;
    int doy = (153 * mp + 2) / 5 + day - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146_097L + doe - 719_468L;
  }

  private static int digits(byte[] b, int s, int n) {
    int v = 0;
    for (int i = 0; i < n; i++) {
      int d = b[s + i] - '0';
      if (d < 0 || d > 9) {
        return -1;
      }
      v = v * 10 + d;
    }
    return v;
  }
}
