package dev.vigil.k8saudit.policy.lint;

import dev.vigil.k8saudit.policy.KubeVersion;
import dev.vigil.k8saudit.policy.load.PolicyDecoder;
import dev.vigil.k8saudit.policy.load.RawPolicy;
import dev.vigil.k8saudit.policy.load.RawPolicy.RawGroupResources;
import dev.vigil.k8saudit.policy.load.RawPolicy.RawRule;
import dev.vigil.k8saudit.policy.load.Str;
import dev.vigil.k8saudit.policy.load.UnknownField;
import dev.vigil.k8saudit.policy.load.UnknownField.Scope;
import dev.vigil.k8saudit.policy.load.YNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Unknown fields: kube-apiserver drops them, so the object they were written in selects more than
 * intended. Says what widened, and where the field belongs.
 */
final class UnknownFields {
  private static final Pattern RULE = Pattern.compile("rules\\[(\\d+)\\]");
  private static final Pattern ENTRY = Pattern.compile("rules\\[(\\d+)\\]\\.resources\\[(\\d+)\\]");

  /** What a rule or resources[] entry selects once the field is gone. */
  private static final Map<String, String> WIDENS =
      Map.of(
          "verbs", "every verb",
          "users", "every user",
          "userGroups", "every user group",
          "namespaces", "every namespace",
          "resources", "every resource",
          "nonResourceURLs", "every non-resource URL",
          "resourceNames", "every object name",
          "omitStages", "every stage (none omitted)",
          "group", "the core group \"\"");

  private UnknownFields() {}

  static Finding finding(UnknownField u, Optional<RawPolicy> raw, KubeVersion v) {
    int rule = ruleIndex(u.path());
    String where = where(u, rule);
    Optional<String> meant = meant(u);
    String consequence =
        (v.strictDecodingWarning()
            ? "kube-apiserver warns and drops it"
            : "kube-apiserver drops" + " it silently");
    String message = "unknown field \"" + u.key() + "\" in " + where + ": " + consequence;
    String hint = meant.map(m -> "did you mean " + m + "?").orElse("remove it");
    if (u.in() == Scope.GROUP_RESOURCES && PolicyDecoder.keys(Scope.RULE).contains(u.key())) {
      message += ", so rules[" + rule + "] applies to " + WIDENS.getOrDefault(u.key(), "more");
      hint =
          "\""
              + u.key()
              + "\" belongs to the rule, not to a resources[] entry: indent it"
              + " at the level of 'resources:'";
    } else if (u.in() == Scope.RULE
        && PolicyDecoder.keys(Scope.GROUP_RESOURCES).contains(u.key())) {
      hint = "\"" + u.key() + "\" belongs to a resources[] entry, not to the rule";
    } else if (meant.isPresent() && WIDENS.containsKey(meant.get())) {
      String target =
          switch (u.in()) {
            case GROUP_RESOURCES -> "this resources[] entry";
            case RULE -> "rules[" + rule + "]";
            case POLICY, METADATA -> "the policy";
          };
      String widened = WIDENS.get(meant.get());
      Optional<RawGroupResources> entry = entry(u, raw);
      if (entry.isPresent() && meant.get().equals("resources")) {
        widened = "every resource of group \"" + entry.get().group().value() + "\"";
      } else if (entry.isPresent() && meant.get().equals("resourceNames")) {
        widened =
            "every "
                + String.join(", ", entry.get().resources().stream().map(Str::value).toList())
                + " object, whatever its name";
      }
      hint += singular(u);
      if (meant.get().equals("omitStages")) {
        message += ", so " + target + " records " + widened;
      } else if (!meant.get().equals("group")) {
        message += ", so " + target + " selects " + widened;
      }
    }
    return Finding.of(Check.UNKNOWN_FIELD, u.pos(), rule, message, hint);
  }

  /** The resources[] entry an unknown field was written in. */
  private static Optional<RawGroupResources> entry(UnknownField u, Optional<RawPolicy> raw) {
    Matcher m = ENTRY.matcher(u.path());
    if (u.in() != Scope.GROUP_RESOURCES || raw.isEmpty() || !m.lookingAt()) {
      return Optional.empty();
    }
    int i = Integer.parseInt(m.group(1));
    int j = Integer.parseInt(m.group(2));
    List<RawRule> rules = raw.get().rules();
    if (i >= rules.size() || j >= rules.get(i).resources().size()) {
      return Optional.empty();
    }
    return Optional.of(rules.get(i).resources().get(j));
  }

  /** A dropped list of resource names that look singular would not have matched either. */
  private static String singular(UnknownField u) {
    if (!u.key().startsWith("resource") || !(u.value() instanceof YNode.YSeq seq)) {
      return "";
    }
    List<String> values = new ArrayList<>();
    for (YNode n : seq.items()) {
      if (n instanceof YNode.YScalar sc && !sc.text().endsWith("s") && !sc.text().equals("*")) {
        values.add(sc.text());
      }
    }
    return values.isEmpty() || !u.key().equals("resource")
        ? ""
        : " Its values ("
            + String.join(", ", values)
            + ") also look singular: resources are"
            + " plural, lower-case URL segments";
  }

  private static Optional<String> meant(UnknownField u) {
    return LoadFindings.didYouMean(u.key(), PolicyDecoder.keys(u.in()).stream().sorted().toList())
        .or(() -> u.key().endsWith("s") ? Optional.empty() : plural(u));
  }

  private static Optional<String> plural(UnknownField u) {
    String p = u.key() + "s";
    return PolicyDecoder.keys(u.in()).contains(p) ? Optional.of(p) : Optional.empty();
  }

  private static String where(UnknownField u, int rule) {
    return switch (u.in()) {
      case POLICY -> "the policy";
      case METADATA -> "metadata";
      case RULE -> "rules[" + rule + "]";
      case GROUP_RESOURCES -> u.path().substring(0, u.path().lastIndexOf('.'));
    };
  }

  private static int ruleIndex(String path) {
    Matcher m = RULE.matcher(path);
    return m.lookingAt() ? Integer.parseInt(m.group(1)) : -1;
  }
}
