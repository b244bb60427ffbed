package dev.vigil.k8saudit.policy.requestinfo;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** The parts of Go's {@code net/url} RequestInfo relies on: path unescaping and query values. */
final class Uris {
  private Uris() {}

  /** The path with %-escapes decoded ({@code +} stays); the raw path if an escape is malformed. */
  static String unescapePath(String raw) {
    return raw.indexOf('%') < 0 ? raw : unescape(raw, false).orElse(raw);
  }

  /** The first value of query parameter {@code key}, if present. */
  static Optional<String> queryValue(String rawQuery, String key) {
    if (rawQuery.isEmpty()
        || (rawQuery.indexOf(key) < 0 && rawQuery.indexOf('%') < 0 && rawQuery.indexOf('+') < 0)) {
      return Optional.empty();
    }
    for (String pair : rawQuery.split("&", -1)) {
      if (pair.isEmpty() || pair.indexOf(';') >= 0) {
        continue;
      }
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      Optional<String> dk = unescape(k, true);
      if (dk.isPresent() && dk.get().equals(key)) {
        Optional<String> dv = unescape(v, true);
        if (dv.isPresent()) {
          return dv;
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<String> unescape(String s, boolean query) {
    if (s.indexOf('%') < 0 && !(query && s.indexOf('+') >= 0)) {
      return Optional.of(s);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%') {
        if (i + 2 >= s.length()) {
          return Optional.empty();
        }
        int hi = Character.digit(s.charAt(i + 1), 16);
        int lo = Character.digit(s.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          return Optional.empty();
        }
        out.write(hi * 16 + lo);
        i += 2;
      } else if (c == '+' && query) {
        out.write(' ');
      } else {
        byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
      }
    }
    return Optional.of(out.toString(StandardCharsets.UTF_8));
  }
}
