package dev.vigil.k8saudit.policy.lint;

import dev.vigil.k8saudit.policy.KubeVersion;
import dev.vigil.k8saudit.policy.Level;
import dev.vigil.k8saudit.policy.PolicyRule;
import dev.vigil.k8saudit.policy.check.RequestAttributes;
import dev.vigil.k8saudit.policy.load.RawPolicy;
import dev.vigil.k8saudit.policy.load.RawPolicy.RawGroupResources;
import dev.vigil.k8saudit.policy.load.RawPolicy.RawRule;
import dev.vigil.k8saudit.policy.load.SourcePos;
import dev.vigil.k8saudit.policy.load.Str;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Payloads of Secrets, ConfigMaps and tokens in the log: a rule at level Request records the bodies
 * of writes (the values themselves), RequestResponse also the responses of reads. Found two ways:
 * rules that name such a resource, and the rule representative requests for them reach.
 */
final class SensitiveChecks {
  private record Sensitive(String group, String resource, String subresource, List<String> verbs) {
    String label() {
      return subresource.isEmpty() ? resource : resource + "/" + subresource;
    }
  }

  private static final List<String> ALL_VERBS =
      List.of("get", "list", "watch", "create", "update", "patch", "delete");
  private static final List<Sensitive> BUILTIN =
      List.of(
          new Sensitive("", "secrets", "", ALL_VERBS),
          new Sensitive("", "configmaps", "", ALL_VERBS),
          new Sensitive("", "serviceaccounts", "token", List.of("create")),
          new Sensitive("authentication.k8s.io", "tokenreviews", "", List.of("create")));

  /** Also flagged when a rule names them (OpenShift's OAuth tokens, TokenRequests). */
  private static final Map<String, Set<String>> NAMED =
      Map.of(
          "", Set.of("secrets", "configmaps", "serviceaccounts/token"),
          "authentication.k8s.io", Set.of("tokenreviews", "tokenrequests"),
          "oauth.openshift.io",
              Set.of("oauthaccesstokens", "oauthauthorizetokens", "useroauthaccesstokens"));

  private SensitiveChecks() {}

  static List<Finding> of(RawPolicy raw, List<Optional<PolicyRule>> rules, KubeVersion version) {
    Map<Integer, Set<String>> exposed = new LinkedHashMap<>();
    Map<Integer, SourcePos> where = new LinkedHashMap<>();
    for (RawRule r : raw.rules()) {
      Optional<PolicyRule> rule = rules.get(r.index());
      if (rule.isPresent() && rule.get().level().atLeast(Level.REQUEST)) {
        named(r, exposed, where);
      }
    }
    reached(rules, version, exposed);
    List<Finding> out = new ArrayList<>();
    for (Map.Entry<Integer, Set<String>> e : exposed.entrySet()) {
      int i = e.getKey();
      Level level = rules.get(i).orElseThrow().level();
      RawRule r = raw.rules().get(i);
      String what =
          level == Level.REQUEST_RESPONSE
              ? "request bodies and responses (the values themselves) are written to the audit"
                  + " log"
              : "the bodies of create, update and patch requests (the values themselves) are"
                  + " written to the audit log";
      out.add(
          Finding.of(
              Check.SENSITIVE_PAYLOAD,
              where.getOrDefault(i, r.pos()),
              i,
              "rules["
                  + i
                  + "] records "
                  + String.join(", ", e.getValue())
                  + " at level "
                  + level
                  + ": "
                  + what,
              "log them at level Metadata in a rule placed before this one"));
    }
    return out;
  }

  private static void named(
      RawRule r, Map<Integer, Set<String>> exposed, Map<Integer, SourcePos> where) {
    for (RawGroupResources gr : r.resources()) {
      Set<String> sensitive = NAMED.getOrDefault(gr.group().value(), Set.of());
      for (Str res : gr.resources()) {
        for (String s : sensitive) {
          if (Shadowing.patternCovers(res.value(), s) && !res.value().equals("*")) {
            exposed.computeIfAbsent(r.index(), k -> new LinkedHashSet<>()).add(s);
            where.putIfAbsent(r.index(), res.pos());
          }
        }
      }
    }
  }

  /** Representative requests for each sensitive resource: which rule decides them. */
  private static void reached(
      List<Optional<PolicyRule>> rules, KubeVersion version, Map<Integer, Set<String>> exposed) {
    Probe probe = new Probe(rules, version);
    for (Sensitive s : BUILTIN) {
      boolean namespaced = !s.resource().equals("tokenreviews");
      for (String verb : s.verbs()) {
        for (RequestAttributes a :
            Probe.requests(s.group(), s.resource(), s.subresource(), verb, namespaced)) {
          int m = probe.decide(a);
          if (m < 0) {
            continue;
          }
          Level level = rules.get(m).orElseThrow().level();
          boolean write = verb.equals("create") || verb.equals("update") || verb.equals("patch");
          if (level == Level.REQUEST_RESPONSE || (write && level == Level.REQUEST)) {
            exposed.computeIfAbsent(m, k -> new LinkedHashSet<>()).add(s.label());
          }
        }
      }
    }
  }
}
