package dev.vigil.k8saudit.policy.lint;

import dev.vigil.k8saudit.policy.KubeVersion;
import dev.vigil.k8saudit.policy.lint.BuiltinApis.ApiResource;
import dev.vigil.k8saudit.policy.load.RawPolicy.RawGroupResources;
import dev.vigil.k8saudit.policy.load.RawPolicy.RawRule;
import dev.vigil.k8saudit.policy.load.Str;
import dev.vigil.rules.text.Suggest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks of single values that kube-apiserver accepts but that can never match: resource names,
 * groups, {@code *} in literal fields, verbs, users written as groups and the reverse, and
 * namespaces on cluster-scoped resources.
 */
final class ValueChecks {
  static final Set<String> REQUEST_VERBS =
      Set.of(
          "get",
          "list",
          "watch",
          "create",
          "update",
          "patch",
          "delete",
          "deletecollection",
          "proxy",
          "post",
          "put",
          "head",
          "options");
  private static final Set<String> AUTHORIZATION_VERBS =
      Set.of("impersonate", "bind", "escalate", "use", "approve", "sign", "attest", "*");
  private static final Set<String> WELL_KNOWN_GROUPS =
      Set.of(
          "system:authenticated",
          "system:unauthenticated",
          "system:serviceaccounts",
          "system:nodes",
          "system:masters",
          "system:bootstrappers",
          "system:monitoring");
  private static final Set<String> WELL_KNOWN_USERS =
      Set.of(
          "system:anonymous",
          "system:apiserver",
          "system:kube-proxy",
          "system:kube-scheduler",
          "system:kube-controller-manager",
          "system:cloud-controller-manager",
          "system:volume-scheduler");
  private static final Pattern SA_USER = Pattern.compile("system:serviceaccount:[^:]+:[^:]+");
  private static final Pattern NODE_USER = Pattern.compile("system:node:[^:]+");

  private final KubeVersion version;
  private final BuiltinApis apis = BuiltinApis.get();
  private final List<Finding> out = new ArrayList<>();

  private ValueChecks(KubeVersion version) {
    this.version = version;
  }

  static List<Finding> of(List<RawRule> rules, KubeVersion version) {
    ValueChecks c = new ValueChecks(version);
    for (RawRule r : rules) {
      c.rule(r);
    }
    return c.out;
  }

  private void rule(RawRule r) {
    literalStars(r, r.users(), "users", "users are compared exactly");
    literalStars(r, r.userGroups(), "userGroups", "groups are compared exactly");
    literalStars(r, r.verbs(), "verbs", "verbs are compared exactly");
    literalStars(r, r.namespaces(), "namespaces", "namespaces are compared exactly");
    subjects(r);
    verbs(r);
    for (RawGroupResources gr : r.resources()) {
      groupResources(r, gr);
    }
  }

  private void literalStars(RawRule r, List<Str> values, String field, String why) {
    for (Str s : values) {
      if (s.value().indexOf('*') < 0) {
        continue;
      }
      String hint = "omit " + field + " to mean all";
      if (field.equals("users") && s.value().startsWith("system:serviceaccount:")) {
        String[] p = s.value().split(":", -1);
        if (p.length >= 3) {
          hint =
              "to select every service account of a namespace use userGroups:"
                  + " [system:serviceaccounts:"
                  + p[2]
                  + "]";
        }
      }
      out.add(
          Finding.of(
              Check.LITERAL_STAR,
              s.pos(),
              r.index(),
              "\""
                  + s.value()
                  + "\" in "
                  + field
                  + " is not a wildcard ("
                  + why
                  + "): it only"
                  + " matches the literal string, so in practice never",
              hint));
    }
  }

  private void subjects(RawRule r) {
    for (Str g : r.userGroups()) {
      String v = g.value();
      if (SA_USER.matcher(v).matches()
          || NODE_USER.matcher(v).matches()
          || WELL_KNOWN_USERS.contains(v)) {
        out.add(
            Finding.of(
                Check.SUBJECT_KIND,
                g.pos(),
                r.index(),
                "\"" + v + "\" is a user name, not a group: this entry of userGroups never matches",
                SA_USER.matcher(v).matches()
                    ? "move it to users, or use the group system:serviceaccounts:"
                        + v.split(":", -1)[2]
                    : "move it to users"));
      }
    }
    for (Str u : r.users()) {
      String v = u.value();
      if (WELL_KNOWN_GROUPS.contains(v) || v.startsWith("system:serviceaccounts:")) {
        out.add(
            Finding.of(
                Check.SUBJECT_KIND,
                u.pos(),
                r.index(),
                "\"" + v + "\" is a group, not a user name: this entry of users never matches",
                "move it to userGroups"));
      }
    }
  }

  private void verbs(RawRule r) {
    for (Str s : r.verbs()) {
      String v = s.value();
      if (REQUEST_VERBS.contains(v) || v.indexOf('*') >= 0) {
        continue;
      }
      String why;
      String hint;
      if (AUTHORIZATION_VERBS.contains(v)) {
        why = "an authorization verb (RBAC checks it), not the verb of any request";
        hint = "audit sees the request's own verb, e.g. create or update";
      } else if (REQUEST_VERBS.contains(v.toLowerCase(Locale.ROOT))) {
        why = "not a verb: verbs are lower-case";
        hint = "did you mean " + v.toLowerCase(Locale.ROOT) + "?";
      } else {
        why = "not a verb any request has";
        hint =
            Suggest.closest(v, REQUEST_VERBS.stream().sorted().toList())
                .map(c -> "did you mean " + c + "?")
                .orElse(
                    "request verbs are get, list, watch, create, update, patch, delete,"
                        + " deletecollection (and post, put, head, options for non-resource URLs)");
      }
      out.add(
          Finding.of(
              Check.UNKNOWN_VERB,
              s.pos(),
              r.index(),
              "\"" + v + "\" is " + why + ": this entry never matches",
              hint));
    }
  }

  private void groupResources(RawRule r, RawGroupResources gr) {
    String g = gr.group().value();
    for (Str n : gr.resourceNames()) {
      if (n.value().indexOf('*') >= 0) {
        out.add(
            Finding.of(
                Check.LITERAL_STAR,
                n.pos(),
                r.index(),
                "\""
                    + n.value()
                    + "\" in resourceNames is not a wildcard: names are compared"
                    + " exactly",
                "omit resourceNames to mean every object"));
      }
    }
    if (g.equals("core") || g.equals("v1")) {
      out.add(
          Finding.of(
              Check.GROUP_CORE,
              gr.group().pos(),
              r.index(),
              "group \"" + g + "\" is a valid name that no API uses, so this entry never matches",
              "the core API group (pods, secrets, ...) is group: \"\""));
      return;
    }
    Optional<BuiltinApis.RemovedGroup> removed = apis.removed(g, version);
    if (removed.isPresent()) {
      out.add(
          Finding.of(
              Check.REMOVED_GROUP,
              gr.group().pos(),
              r.index(),
              "group \""
                  + g
                  + "\" is not served since Kubernetes 1."
                  + removed.get().removedIn()
                  + " ("
                  + removed.get().served()
                  + "): this entry matches nothing",
              "remove it"));
      return;
    }
    boolean builtin = apis.builtinGroup(g, version);
    for (Str res : gr.resources()) {
      ResourceChecks.check(res, g, builtin, r.index(), version, out);
      if (builtin && !r.namespaces().isEmpty()) {
        clusterScoped(r, g, res);
      }
    }
  }

  private void clusterScoped(RawRule r, String g, Str res) {
    if (r.namespaces().stream().anyMatch(n -> n.value().isEmpty())) {
      return;
    }
    String name = res.value().contains("/") ? res.value().split("/", -1)[0] : res.value();
    Optional<ApiResource> api = apis.resource(g, name, version);
    if (api.isPresent() && !api.get().namespaced() && !name.equals("namespaces")) {
      out.add(
          Finding.of(
              Check.CLUSTER_SCOPED_NAMESPACE,
              res.pos(),
              r.index(),
              name
                  + " is cluster-scoped: its requests have namespace \"\", which this rule's"
                  + " namespaces do not include, so it never matches them",
              "remove namespaces from the rule, or add \"\" to it"));
    }
  }
}
