package dev.vigil.k8saudit.fields;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/** Query parameters of a request URI, decoded as Go's url.ParseQuery does. */
final class UriParams {
  private UriParams() {}

  /** The first value of parameter {@code name}, or null (also when the query is malformed). */
  static @Nullable String first(@Nullable String uri, String name) {
    if (uri == null) {
      return null;
    }
    int q = uri.indexOf('?');
    if (q < 0) {
      return null;
    }
    int hash = uri.indexOf('#', q);
    String query = uri.substring(q + 1, hash < 0 ? uri.length() : hash);
    for (String pair : query.split("&", -1)) {
      if (pair.isEmpty() || pair.indexOf(';') >= 0) {
        continue;
      }
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      try {
        if (URLDecoder.decode(k, StandardCharsets.UTF_8).equals(name)) {
          return URLDecoder.decode(v, StandardCharsets.UTF_8);
        }
      } catch (IllegalArgumentException malformed) {
        return null;
      }
    }
    return null;
  }
}
