package dev.vigil.k8saudit.policy.lint;

import dev.vigil.k8saudit.policy.GroupResources;
import dev.vigil.k8saudit.policy.KubeVersion;
import dev.vigil.k8saudit.policy.Level;
import dev.vigil.k8saudit.policy.PolicyRule;
import dev.vigil.k8saudit.policy.Stage;
import dev.vigil.k8saudit.policy.load.LoadReport;
import dev.vigil.k8saudit.policy.load.RawPolicy;
import dev.vigil.k8saudit.policy.load.RawPolicy.RawRule;
import dev.vigil.k8saudit.policy.load.Str;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;

/**
 * Lints a loaded policy: kube-apiserver's own errors and warnings first (with hints), then the
 * semantic checks on the leniently decoded rules — which run even when kube-apiserver would refuse
 * the file, so that one pass shows everything. Findings come sorted by position.
 */
public final class Linter {
  private Linter() {}

  public static List<Finding> lint(LoadReport report) {
    List<Finding> out = new ArrayList<>(LoadFindings.of(report));
    if (report.raw().isPresent()) {
      RawPolicy raw = report.raw().get();
      KubeVersion v = report.version();
      List<Optional<PolicyRule>> rules = raw.rules().stream().map(Linter::effective).toList();
      out.addAll(ValueChecks.of(raw.rules(), v));
      out.addAll(RuleChecks.of(raw, rules, v));
      out.addAll(SensitiveChecks.of(raw, rules, v));
    }
    out.sort(
        Comparator.comparingInt((Finding f) -> f.pos().line())
            .thenComparingInt(f -> f.pos().column())
            .thenComparing(Finding::check));
    return List.copyOf(out);
  }

  /** A rule as kube-apiserver would hold it, if its level is valid (bad stages ignored). */
  static Optional<PolicyRule> effective(RawRule r) {
    Optional<Level> level = Level.parse(r.level().value());
    if (level.isEmpty()) {
      return Optional.empty();
    }
    EnumSet<Stage> stages = EnumSet.noneOf(Stage.class);
    for (Str s : r.omitStages()) {
      Stage.parse(s.value()).ifPresent(stages::add);
    }
    return Optional.of(
        new PolicyRule(
            level.get(),
            values(r.users()),
            values(r.userGroups()),
            values(r.verbs()),
            r.resources().stream()
                .map(g ->
                    new GroupResources(
                        g.group().value(), values(g.resources()), values(g.resourceNames())))
                .toList(),
            values(r.namespaces()),
            values(r.nonResourceURLs()),
            stages,
            r.omitManagedFields()));
  }

  private static List<String> values(List<Str> s) {
    return s.stream().map(Str::value).toList();
  }
}
