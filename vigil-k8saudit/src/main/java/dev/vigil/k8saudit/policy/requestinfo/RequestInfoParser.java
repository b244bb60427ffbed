package dev.vigil.k8saudit.policy.requestinfo;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * kube-apiserver's {@code RequestInfoFactory} with API prefixes {@code api} (groupless) and {@code
 * apis}. Two entry points: {@link #parse} from an HTTP method and request URI (the live request),
 * and {@link #fromAuditEvent} from what an audit event recorded (its verb and requestURI, the
 * method being gone).
 */
public final class RequestInfoParser {
  private static final Set<String> SPECIAL_VERBS = Set.of("proxy", "watch");
  private static final Set<String> NAMESPACE_SUBRESOURCES = Set.of("status", "finalize");

  private RequestInfoParser() {}

  /** The request info kube-apiserver builds for {@code method} on {@code requestURI}. */
  public static RequestInfo parse(String method, String requestURI) {
    return resolve(requestURI, Optional.empty(), method.toUpperCase(Locale.ROOT));
  }

  /**
   * The request info behind an audit event: the recorded verb is the one kube-apiserver derived, so
   * it is kept; the path gives namespace, resource, subresource and name.
   */
  public static RequestInfo fromAuditEvent(String verb, String requestURI) {
    return resolve(requestURI, Optional.of(verb), "");
  }

  private static RequestInfo resolve(String requestURI, Optional<String> auditVerb, String method) {
    String rawPath = Uris.rawPath(requestURI);
    String path = Uris.unescapePath(rawPath);
    String query = Uris.rawQuery(requestURI);
    String nonResourceVerb = auditVerb.orElse(method.toLowerCase(Locale.ROOT));
    List<String> parts = Uris.splitPath(path);
    if (parts.size() < 3 || !(parts.get(0).equals("api") || parts.get(0).equals("apis"))) {
      return RequestInfo.nonResource(path, nonResourceVerb);
    }
    String prefix = parts.get(0);
    int i = 1;
    String group = "";
    if (prefix.equals("apis")) {
      if (parts.size() < 4) {
        return RequestInfo.nonResource(path, nonResourceVerb);
      }
      group = parts.get(i++);
    }
    String version = parts.get(i++);
    String verb;
    boolean special = false;
    if (SPECIAL_VERBS.contains(parts.get(i)) && parts.size() - i >= 2) {
      verb = parts.get(i++);
      special = true;
    } else if (auditVerb.isPresent()) {
      verb = auditVerb.get();
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
    if (parts.get(i).equals("namespaces")) {
      if (parts.size() - i > 1) {
        namespace = parts.get(i + 1);
        if (parts.size() - i > 2 && !NAMESPACE_SUBRESOURCES.contains(parts.get(i + 2))) {
          i += 2;
        }
      }
    }
    List<String> rest = parts.subList(i, parts.size());
    String resource = rest.isEmpty() ? "" : rest.get(0);
    String name = rest.size() >= 2 ? rest.get(1) : "";
    String subresource = rest.size() >= 3 && !verb.equals("proxy") ? rest.get(2) : "";

    boolean wasGet =
        auditVerb.isPresent() ? verb.equals("list") || verb.equals("watch") : verb.equals("get");
    if (name.isEmpty() && !special && wasGet) {
      if (auditVerb.isEmpty()) {
        verb = watchRequested(query) ? "watch" : "list";
      }
      name = fieldSelectorName(query).orElse("");
    }
    if (name.isEmpty() && verb.equals("delete")) {
      verb = "deletecollection";
    }
    return new RequestInfo(
        true, path, verb, prefix, group, version, namespace, resource, subresource, name);
  }

  private static boolean watchRequested(String query) {
    Optional<String> w = Uris.queryValue(query, "watch");
    if (w.isEmpty()) {
      return false;
    }
    String v = w.get();
    return !(v.equals("0") || v.equalsIgnoreCase("false"));
  }

  private static Optional<String> fieldSelectorName(String query) {
    return Uris.queryValue(query, "fieldSelector")
        .flatMap(s -> FieldSelector.exactMatch(s, "metadata.name"))
        .filter(RequestInfoParser::validPathSegmentName);
  }

  /** {@code path.IsValidPathSegmentName}. */
  static boolean validPathSegmentName(String name) {
    return !name.equals(".")
        && !name.equals("..")
        && name.indexOf('/') < 0
        && name.indexOf('%') < 0;
  }
}
