package dev.vigil.k8saudit.policy.lint;

import dev.vigil.k8saudit.policy.KubeVersion;
import dev.vigil.k8saudit.policy.lint.BuiltinApis.ApiResource;
import dev.vigil.k8saudit.policy.load.Str;
import dev.vigil.rules.text.Suggest;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Whether a {@code resources} entry can match anything in its group. */
final class ResourceChecks {
  private ResourceChecks() {}

  static void check(
      Str res, String group, boolean builtin, int rule, KubeVersion v, List<Finding> out) {
    String value = res.value();
    if (value.equals("*")) {
      return;
    }
    if (value.equals("*/*")) {
      out.add(
          Finding.of(
              Check.STAR_SLASH_STAR,
              res.pos(),
              rule,
              "\"*/*\" never matches: audit policies know *, name/* and */subresource, not */*",
              "use \"*\" (every resource and subresource)"));
      return;
    }
    String[] parts = value.split("/", -1);
    if (parts.length > 2) {
      out.add(
          Finding.of(
              Check.UNKNOWN_RESOURCE,
              res.pos(),
              rule,
              "\""
                  + value
                  + "\" never matches: a resource pattern is resource or"
                  + " resource/subresource",
              "write \"" + parts[0] + "/" + parts[1] + "\""));
      return;
    }
    String name = parts[0];
    String sub = parts.length == 2 ? parts[1] : "";
    if (!value.equals(value.toLowerCase(Locale.ROOT))) {
      String lower = name.toLowerCase(Locale.ROOT);
      Optional<String> meant = builtin ? resolve(lower, group, v) : Optional.empty();
      String fixed =
          meant.orElse(lower) + (sub.isEmpty() ? "" : "/" + sub.toLowerCase(Locale.ROOT));
      out.add(
          Finding.of(
              Check.RESOURCE_CASE,
              res.pos(),
              rule,
              "\""
                  + value
                  + "\" never matches: resource names are lower-case plural URL"
                  + " segments",
              "did you mean \"" + fixed + "\"?"));
      return;
    }
    if (!builtin || name.equals("*")) {
      return;
    }
    BuiltinApis apis = BuiltinApis.get();
    Optional<ApiResource> api = apis.resource(group, name, v);
    if (api.isEmpty()) {
      unknown(res, name, sub, group, rule, v, out);
      return;
    }
    if (!sub.isEmpty() && !sub.equals("*") && !api.get().subresources().contains(sub)) {
      out.add(
          Finding.of(
              Check.UNKNOWN_SUBRESOURCE,
              res.pos(),
              rule,
              name
                  + " has no subresource \""
                  + sub
                  + "\" in Kubernetes "
                  + v
                  + (api.get().subresources().isEmpty()
                      ? " (it has none)"
                      : " (it has " + String.join(", ", api.get().subresources()) + ")"),
              Suggest.closest(sub, api.get().subresources())
                  .map(s -> "did you mean \"" + name + "/" + s + "\"?")
                  .orElse("remove it")));
    }
  }

  private static void unknown(
      Str res, String name, String sub, String group, int rule, KubeVersion v, List<Finding> out) {
    BuiltinApis apis = BuiltinApis.get();
    List<ApiResource> elsewhere = apis.named(name, v);
    String g = "\"" + group + "\"";
    if (!elsewhere.isEmpty()) {
      String other = elsewhere.get(0).group();
      out.add(
          Finding.of(
              Check.WRONG_GROUP,
              res.pos(),
              rule,
              name
                  + " is not served by group "
                  + g
                  + " (it is in \""
                  + other
                  + "\"), so this"
                  + " entry never matches "
                  + name,
              "list it under group: \"" + other + "\""));
      return;
    }
    Optional<ApiResource> shortName = apis.shortName(name, v);
    String hint;
    if (name.equals("tokenrequests") || name.equals("tokenrequest")) {
      hint = "TokenRequests are served as the subresource \"serviceaccounts/token\" of group \"\"";
    } else if (shortName.isPresent()) {
      ApiResource s = shortName.get();
      hint =
          "did you mean \""
              + s.name()
              + (sub.isEmpty() ? "" : "/" + sub)
              + "\""
              + (s.group().equals(group) ? "" : " in group \"" + s.group() + "\"")
              + "?";
    } else {
      List<String> names = apis.resources(group, v).stream().map(ApiResource::name).toList();
      hint =
          plural(name, names)
              .or(() -> Suggest.closest(name, names))
              .map(m -> "did you mean \"" + m + (sub.isEmpty() ? "" : "/" + sub) + "\"?")
              .orElse("see kubectl api-resources --api-group=" + group);
    }
    out.add(
        Finding.of(
            Check.UNKNOWN_RESOURCE,
            res.pos(),
            rule,
            "\""
                + name
                + "\" is not a resource of group "
                + g
                + " in Kubernetes "
                + v
                + ": this entry never matches (resources are plural, lower-case, not kinds or"
                + " short names)",
            hint));
  }

  /** The built-in resource a (lower-cased) name most likely means. */
  private static Optional<String> resolve(String lower, String group, KubeVersion v) {
    BuiltinApis apis = BuiltinApis.get();
    if (apis.resource(group, lower, v).isPresent()) {
      return Optional.of(lower);
    }
    List<String> names = apis.resources(group, v).stream().map(ApiResource::name).toList();
    return plural(lower, names).or(() -> apis.shortName(lower, v).map(ApiResource::name));
  }

  private static Optional<String> plural(String name, List<String> names) {
    for (String p :
        List.of(
            name + "s",
            name + "es",
            name.endsWith("y") ? name.substring(0, name.length() - 1) + "ies" : name)) {
      if (names.contains(p) && !p.equals(name)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
