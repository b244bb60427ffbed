package dev.vigil.cli;

import dev.vigil.k8saudit.policy.check.RequestAttributes;
import dev.vigil.k8saudit.policy.check.User;
import dev.vigil.k8saudit.policy.requestinfo.RequestInfo;
import dev.vigil.k8saudit.policy.requestinfo.RequestInfoParser;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A request written as {@code key=value} words, for {@code explain --request}: {@code user}, {@code
 * groups} (comma-separated), {@code verb}, {@code resource} (or {@code resource/sub}), {@code
 * subresource}, {@code namespace}, {@code name}, {@code group} (API group), {@code version}; or
 * {@code path} for a non-resource request; or {@code uri} (with {@code verb} or {@code method}) to
 * derive everything as kube-apiserver does.
 */
final class RequestSpec {
  static final Set<String> KEYS =
      Set.of(
          "user",
          "groups",
          "verb",
          "method",
          "resource",
          "subresource",
          "namespace",
          "name",
          "group",
          "version",
          "path",
          "uri");

  private RequestSpec() {}

  static RequestAttributes parse(String spec) {
    Map<String, String> kv = new LinkedHashMap<>();
    for (String word : spec.trim().split("\\s+", -1)) {
      if (word.isEmpty()) {
        continue;
      }
      int eq = word.indexOf('=');
      if (eq <= 0) {
        throw usage("'" + word + "' is not key=value");
      }
      String k = word.substring(0, eq);
      if (!KEYS.contains(k)) {
        throw usage(
            "unknown key '"
                + k
                + "' (known: "
                + String.join(", ", KEYS.stream().sorted().toList())
                + ")");
      }
      kv.put(k, word.substring(eq + 1));
    }
    Optional<User> user =
        kv.containsKey("user") && !kv.get("user").isEmpty()
            ? Optional.of(new User(kv.get("user"), groups(kv.getOrDefault("groups", ""))))
            : Optional.empty();
    if (kv.containsKey("uri")) {
      RequestInfo ri;
      if (kv.containsKey("method")) {
        ri = RequestInfoParser.parse(kv.get("method"), kv.get("uri"));
      } else if (kv.containsKey("verb")) {
        ri = RequestInfoParser.fromAuditEvent(kv.get("verb"), kv.get("uri"));
      } else {
        throw usage("uri= needs verb= or method=");
      }
      return new RequestAttributes(
          user,
          ri.verb(),
          ri.namespace(),
          ri.apiGroup(),
          ri.apiVersion(),
          ri.resource(),
          ri.subresource(),
          ri.name(),
          ri.resourceRequest(),
          ri.path());
    }
    String verb = kv.getOrDefault("verb", "");
    if (verb.isEmpty()) {
      throw usage("verb= is required");
    }
    if (kv.containsKey("path")) {
      return RequestAttributes.nonResource(user, verb, kv.get("path"));
    }
    if (!kv.containsKey("resource")) {
      throw usage("give resource= (a resource request), path= (a non-resource one) or uri=");
    }
    String resource = kv.get("resource");
    String sub = kv.getOrDefault("subresource", "");
    int slash = resource.indexOf('/');
    if (slash >= 0) {
      sub = resource.substring(slash + 1);
      resource = resource.substring(0, slash);
    }
    return new RequestAttributes(
        user,
        verb,
        kv.getOrDefault("namespace", ""),
        kv.getOrDefault("group", ""),
        kv.getOrDefault("version", "v1"),
        resource,
        sub,
        kv.getOrDefault("name", ""),
        true,
        "");
  }

  private static List<String> groups(String s) {
    return s.isEmpty()
        ? List.of()
        : Arrays.stream(s.split(",", -1)).filter(g -> !g.isEmpty()).toList();
  }

  private static UserError usage(String message) {
    return new UserError(ExitCode.USAGE, "--request: " + message);
  }

  /** A one-line description of a request. */
  static String describe(RequestAttributes a) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        a.user()
            .map(u ->
                "user \""
                    + u.name()
                    + "\""
                    + (u.groups().isEmpty()
                        ? ""
                        : " (groups " + String.join(", ", u.groups()) + ")"))
            .orElse("no authenticated user"));
    sb.append(", verb ").append(a.verb());
    if (a.resourceRequest()) {
      sb.append(", resource ").append(a.combinedResource());
      sb.append(" in API group \"").append(a.apiGroup()).append('"');
      if (!a.namespace().isEmpty()) {
        sb.append(", namespace ").append(a.namespace());
      }
      if (!a.name().isEmpty()) {
        sb.append(", name ").append(a.name());
      }
    } else {
      sb.append(", non-resource path ").append(a.path());
    }
    return sb.toString();
  }
}
