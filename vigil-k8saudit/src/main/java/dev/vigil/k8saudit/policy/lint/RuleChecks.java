package dev.vigil.k8saudit.policy.lint;

import dev.vigil.k8saudit.policy.KubeVersion;
import dev.vigil.k8saudit.policy.Level;
import dev.vigil.k8saudit.policy.PolicyRule;
import dev.vigil.k8saudit.policy.Stage;
import dev.vigil.k8saudit.policy.check.PolicyEvaluator;
import dev.vigil.k8saudit.policy.check.RequestAttributes;
import dev.vigil.k8saudit.policy.lint.BuiltinApis.ApiResource;
import dev.vigil.k8saudit.policy.load.RawPolicy;
import dev.vigil.k8saudit.policy.load.RawPolicy.RawGroupResources;
import dev.vigil.k8saudit.policy.load.RawPolicy.RawRule;
import dev.vigil.k8saudit.policy.load.Str;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Checks of whole rules: shadowing, stages, subresources left out, full responses of lists, and
 * whether anything is logged at all.
 */
final class RuleChecks {
  private final RawPolicy raw;
  private final List<Optional<PolicyRule>> rules;
  private final KubeVersion version;
  private final Probe probe;
  private final List<Finding> out = new ArrayList<>();

  private RuleChecks(RawPolicy raw, List<Optional<PolicyRule>> rules, KubeVersion version) {
    this.raw = raw;
    this.rules = rules;
    this.version = version;
    this.probe = new Probe(rules, version);
  }

  static List<Finding> of(RawPolicy raw, List<Optional<PolicyRule>> rules, KubeVersion version) {
    RuleChecks c = new RuleChecks(raw, rules, version);
    c.responseStartedPolicyWide();
    for (RawRule r : raw.rules()) {
      rules.get(r.index()).ifPresent(rule -> c.rule(r, rule));
    }
    c.shadowing();
    c.coverage();
    return c.out;
  }

  private void responseStartedPolicyWide() {
    for (Str s : raw.omitStages()) {
      if (s.value().equals(Stage.RESPONSE_STARTED.text())) {
        out.add(
            Finding.of(
                Check.RESPONSE_STARTED_OMITTED,
                s.pos(),
                -1,
                "omitStages drops ResponseStarted for every rule: failed-authentication (401)"
                    + " events are only emitted at that stage, so none is logged; watches, exec,"
                    + " attach and port-forward only show up when they end",
                "remove ResponseStarted from omitStages"));
      }
    }
  }

  private void rule(RawRule r, PolicyRule rule) {
    Set<Stage> stages = PolicyEvaluator.unionStages(policyStages(), rule.omitStages());
    if (stages.containsAll(EnumSet.allOf(Stage.class)) && rule.level() != Level.NONE) {
      out.add(
          Finding.of(
              Check.ALL_STAGES_OMITTED,
              r.keyPos("omitStages"),
              r.index(),
              "rules["
                  + r.index()
                  + "] omits every stage: the requests it matches produce no"
                  + " events at all (as with level None) and later rules never see them",
              "use level: None if that is intended, or omit fewer stages"));
    }
    if (rule.omitStages().contains(Stage.RESPONSE_STARTED)
        && !policyStages().contains(Stage.RESPONSE_STARTED)
        && !stages.containsAll(EnumSet.allOf(Stage.class))) {
      boolean anonymous = rule.users().isEmpty() && rule.userGroups().isEmpty();
      out.add(
          Finding.of(
              Check.RESPONSE_STARTED_OMITTED,
              r.keyPos("omitStages"),
              r.index(),
              "rules["
                  + r.index()
                  + "] omits ResponseStarted: "
                  + (anonymous
                      ? "failed-authentication (401) events it matches are emitted only at that"
                          + " stage and are lost; "
                      : "")
                  + "watches, exec, attach and port-forward it matches only show up when they"
                  + " end",
              "remove ResponseStarted from the rule's omitStages"));
    }
    if (rule.level() == Level.REQUEST_RESPONSE && listsReach(r.index())) {
      out.add(
          Finding.of(
              Check.LARGE_RESPONSES,
              r.pos(),
              r.index(),
              "rules["
                  + r.index()
                  + "] records list responses in full (RequestResponse): one"
                  + " event can hold a whole collection",
              "log get/list/watch at Request, as the GCE policy does"));
    }
    if (rule.level() == Level.NONE) {
      for (RawGroupResources gr : r.resources()) {
        subresources(r, gr);
      }
    }
  }

  /** Whether representative list/watch requests (built-in or custom resources) reach the rule. */
  private boolean listsReach(int rule) {
    for (String verb : List.of("list", "watch")) {
      for (String[] gr :
          List.of(
              new String[] {"", "pods"},
              new String[] {"", "configmaps"},
              new String[] {"apps", "deployments"},
              new String[] {"example.com", "widgets"})) {
        for (RequestAttributes a : Probe.requests(gr[0], gr[1], "", verb, true)) {
          if (probe.decide(a) == rule) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private Set<Stage> policyStages() {
    EnumSet<Stage> s = EnumSet.noneOf(Stage.class);
    for (Str st : raw.omitStages()) {
      Stage.parse(st.value()).ifPresent(s::add);
    }
    return s;
  }

  /** A None rule listing a resource but not its status/scale subresources, which fall through. */
  private void subresources(RawRule r, RawGroupResources gr) {
    List<String> listed = gr.resources().stream().map(Str::value).toList();
    for (Str res : gr.resources()) {
      if (res.value().contains("/") || res.value().equals("*")) {
        continue;
      }
      Optional<ApiResource> api =
          BuiltinApis.get().resource(gr.group().value(), res.value(), version);
      if (api.isEmpty()) {
        continue;
      }
      List<String> missing = new ArrayList<>();
      for (String sub : api.get().subresources()) {
        if ((sub.equals("status") || sub.equals("scale"))
            && listed.stream()
                .noneMatch(l -> Shadowing.patternCovers(l, res.value() + "/" + sub))) {
          missing.add(res.value() + "/" + sub);
        }
      }
      if (!missing.isEmpty()) {
        out.add(
            Finding.of(
                Check.SUBRESOURCES_NOT_COVERED,
                res.pos(),
                r.index(),
                "\""
                    + res.value()
                    + "\" does not cover "
                    + String.join(" or ", missing)
                    + ": those requests fall through to later rules",
                "use \""
                    + res.value()
                    + "/*\" (which also covers "
                    + res.value()
                    + " itself), or list the subresources too"));
      }
    }
  }

  private void shadowing() {
    for (int j = 0; j < rules.size(); j++) {
      if (rules.get(j).isEmpty()) {
        continue;
      }
      for (int i = 0; i < j; i++) {
        if (rules.get(i).isPresent()
            && Shadowing.covers(rules.get(i).get(), rules.get(j).get(), version.groupWildcard())) {
          RawRule rj = raw.rules().get(j);
          RawRule ri = raw.rules().get(i);
          out.add(
              Finding.of(
                  Check.SHADOWED_RULE,
                  rj.pos(),
                  j,
                  "rules["
                      + j
                      + "] can never be selected: rules["
                      + i
                      + "] (level "
                      + rules.get(i).get().level()
                      + ", line "
                      + ri.pos().line()
                      + ") matches every request it matches",
                  "move it before rules[" + i + "], or delete it"));
          break;
        }
      }
    }
  }

  private void coverage() {
    List<PolicyRule> valid = rules.stream().flatMap(Optional::stream).toList();
    if (valid.isEmpty() || raw.rules().isEmpty()) {
      return;
    }
    RawRule last = raw.rules().get(raw.rules().size() - 1);
    if (valid.stream().allMatch(r -> r.level() == Level.NONE)) {
      out.add(
          Finding.of(
              Check.NOTHING_LOGGED,
              raw.rules().get(0).pos(),
              -1,
              "every rule is level None: this policy records nothing",
              "end with a catch-all such as '- level: Metadata'"));
      return;
    }
    if (valid.stream().noneMatch(RuleChecks::catchAll)) {
      out.add(
          Finding.of(
              Check.NO_CATCH_ALL,
              last.pos(),
              -1,
              "no rule matches every request: requests that match no rule are not audited"
                  + " (level None)",
              "end with a catch-all such as '- level: Metadata'"));
    }
  }

  static boolean catchAll(PolicyRule r) {
    return r.users().isEmpty()
        && r.userGroups().isEmpty()
        && r.verbs().isEmpty()
        && r.resources().isEmpty()
        && r.namespaces().isEmpty()
        && r.nonResourceURLs().isEmpty();
  }
}
