package dev.vigil.k8saudit.policy.requestinfo;

import java.util.Locale;
import java.util.Optional;

/**
 * kube-apiserver's {@code RequestInfoFactory} with API prefixes {@code api} (groupless) and {@code
 * apis}. Two entry points: {@link #parse} from an HTTP method and request URI (the live request),
 * and {@link #fromAuditEvent} from what an audit event recorded (its verb and requestURI, the
 * method being gone). Called once per replayed event, so it cuts only the path segments it keeps.
 */
public final class RequestInfoParser {
  /** Path segments looked at: prefix, group, version, verb, namespaces, ns, resource, name, sub. */
  private static final int SEGMENTS = 9;

  private RequestInfoParser() {}

  /** The request info kube-apiserver builds for {@code method} on {@code requestURI}. */
  public static RequestInfo parse(String method, String requestURI) {
    String m = method.toUpperCase(Locale.ROOT);
    return resolve(requestURI, false, m.toLowerCase(Locale.ROOT), m);
  }

  /**
   * The request info behind an audit event: the recorded verb is the one kube-apiserver derived, so
   * it is kept; the path gives namespace, resource, subresource and name.
   */
  public static RequestInfo fromAuditEvent(String verb, String requestURI) {
    return resolve(requestURI, true, verb, "");
  }

  private static RequestInfo resolve(
      String uri, boolean audit, String recordedVerb, String method) {
    int q = uri.indexOf('?');
    String path = Uris.unescapePath(q < 0 ? uri : uri.substring(0, q));
    int[] seg = new int[2 * SEGMENTS];
    int n = segments(path, seg);
    if (n < 3 || !(is(path, seg, 0, "api") || is(path, seg, 0, "apis"))) {
      return RequestInfo.nonResource(path, recordedVerb);
    }
    boolean apis = is(path, seg, 0, "apis");
    int i = 1;
    String group = "";
    if (apis) {
      if (n < 4) {
        return RequestInfo.nonResource(path, recordedVerb);
      }
      group = part(path, seg, i++);
    }
    String version = part(path, seg, i++);
    String verb;
    boolean special = false;
    if ((is(path, seg, i, "watch") || is(path, seg, i, "proxy")) && n - i >= 2) {
      verb = part(path, seg, i++);
      special = true;
    } else if (audit) {
      verb = recordedVerb;
    } else {
      verb =
          switch (method) {
            case "POST" -> "create";
            case "GET", "HEAD" -> "get";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> "delete";
            default -> "";
          };
    }
    String namespace = "";
    if (is(path, seg, i, "namespaces") && n - i > 1) {
      namespace = part(path, seg, i + 1);
      if (n - i > 2 && !is(path, seg, i + 2, "status") && !is(path, seg, i + 2, "finalize")) {
        i += 2;
      }
    }
    int rest = n - i;
    String resource = rest >= 1 ? part(path, seg, i) : "";
    String name = rest >= 2 ? part(path, seg, i + 1) : "";
    String subresource = rest >= 3 && !verb.equals("proxy") ? part(path, seg, i + 2) : "";

    boolean wasGet = audit ? verb.equals("list") || verb.equals("watch") : verb.equals("get");
    if (name.isEmpty() && !special && wasGet) {
      if (!audit) {
        verb = q >= 0 && watchRequested(uri.substring(q + 1)) ? "watch" : "list";
      }
      if (q >= 0 && mayNameByFieldSelector(uri, q)) {
        name = fieldSelectorName(uri.substring(q + 1));
      }
    }
    if (name.isEmpty() && verb.equals("delete")) {
      verb = "deletecollection";
    }
    return new RequestInfo(
        true,
        path,
        verb,
        apis ? "apis" : "api",
        group,
        version,
        namespace,
        resource,
        subresource,
        name);
  }

  /**
   * Splits a path as kube-apiserver does (slashes trimmed, split on {@code /}), recording the
   * bounds of the first {@link #SEGMENTS} segments; returns how many segments there are in all.
   */
  private static int segments(String path, int[] seg) {
    int from = 0;
    int to = path.length();
    while (from < to && path.charAt(from) == '/') {
      from++;
    }
    while (to > from && path.charAt(to - 1) == '/') {
      to--;
    }
    if (from == to) {
      return 0;
    }
    int n = 0;
    int start = from;
    for (int i = from; i <= to; i++) {
      if (i == to || path.charAt(i) == '/') {
        if (n < SEGMENTS) {
          seg[2 * n] = start;
          seg[2 * n + 1] = i;
        }
        n++;
        start = i + 1;
      }
    }
    return n;
  }

  private static boolean is(String path, int[] seg, int k, String s) {
    if (k >= SEGMENTS) {
      return false;
    }
    int len = seg[2 * k + 1] - seg[2 * k];
    return len == s.length() && path.startsWith(s, seg[2 * k]);
  }

  private static String part(String path, int[] seg, int k) {
    return k >= SEGMENTS ? "" : path.substring(seg[2 * k], seg[2 * k + 1]);
  }

  private static boolean watchRequested(String query) {
    Optional<String> w = Uris.queryValue(query, "watch");
    if (w.isEmpty()) {
      return false;
    }
    String v = w.get();
    return !(v.equals("0") || v.equalsIgnoreCase("false"));
  }

  /** Whether the query can hold a fieldSelector (possibly %-encoded): a cheap test first. */
  private static boolean mayNameByFieldSelector(String uri, int q) {
    return uri.indexOf("fieldSelector", q) >= 0 || uri.indexOf('%', q) >= 0;
  }

  /** The name a {@code fieldSelector=metadata.name=X} query selects, or {@code ""}. */
  private static String fieldSelectorName(String query) {
    Optional<String> selector = Uris.queryValue(query, "fieldSelector");
    if (selector.isEmpty()) {
      return "";
    }
    Optional<String> name = FieldSelector.exactMatch(selector.get(), "metadata.name");
    return name.isPresent() && validPathSegmentName(name.get()) ? name.get() : "";
  }

  /** {@code path.IsValidPathSegmentName}. */
  static boolean validPathSegmentName(String name) {
    return !name.equals(".")
        && !name.equals("..")
        && name.indexOf('/') < 0
        && name.indexOf('%') < 0;
  }
}
