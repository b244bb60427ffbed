package dev.vigil.k8saudit.policy.lint;

import dev.vigil.k8saudit.policy.KubeVersion;
import dev.vigil.k8saudit.policy.Policy;
import dev.vigil.k8saudit.policy.PolicyRule;
import dev.vigil.k8saudit.policy.check.PolicyEvaluator;
import dev.vigil.k8saudit.policy.check.RequestAttributes;
import dev.vigil.k8saudit.policy.check.User;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Representative requests run through the rules that have a valid level, answering "which rule
 * decides requests like this one": a person and a service account, in {@code default} and {@code
 * kube-system}.
 */
final class Probe {
  static final List<Optional<User>> USERS =
      List.of(
          Optional.of(new User("jane@example.com", List.of("system:authenticated"))),
          Optional.of(
              new User(
                  "system:serviceaccount:default:app",
                  List.of(
                      "system:serviceaccounts",
                      "system:serviceaccounts:default",
                      "system:authenticated"))));
  static final List<String> NAMESPACES = List.of("default", "kube-system");

  private final PolicyEvaluator eval;
  private final List<Integer> index = new ArrayList<>();

  Probe(List<Optional<PolicyRule>> rules, KubeVersion version) {
    List<PolicyRule> valid = new ArrayList<>();
    for (int i = 0; i < rules.size(); i++) {
      if (rules.get(i).isPresent()) {
        valid.add(rules.get(i).get());
        index.add(i);
      }
    }
    this.eval = new PolicyEvaluator(new Policy(valid, Set.of(), false), version);
  }

  /** The index (in the file) of the rule deciding the request, or -1. */
  int decide(RequestAttributes a) {
    int m = eval.firstMatch(a);
    return m < 0 ? -1 : index.get(m);
  }

  /** Resource requests with each representative user and namespace. */
  static List<RequestAttributes> requests(
      String group, String resource, String subresource, String verb, boolean namespaced) {
    List<RequestAttributes> out = new ArrayList<>();
    boolean collection = verb.equals("list") || verb.equals("watch") || verb.equals("create");
    String name = collection && subresource.isEmpty() ? "" : "app";
    for (Optional<User> user : USERS) {
      for (String ns : namespaced ? NAMESPACES : List.of("")) {
        out.add(
            new RequestAttributes(
                user, verb, ns, group, "v1", resource, subresource, name, true, ""));
      }
    }
    return out;
  }
}
