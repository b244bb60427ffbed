package dev.vigil.k8saudit.policy.lint;

import dev.vigil.k8saudit.policy.KubeVersion;
import dev.vigil.k8saudit.policy.Level;
import dev.vigil.k8saudit.policy.Stage;
import dev.vigil.k8saudit.policy.load.FieldError;
import dev.vigil.k8saudit.policy.load.LoadReport;
import dev.vigil.k8saudit.policy.load.Problem;
import dev.vigil.k8saudit.policy.load.SourcePos;
import dev.vigil.rules.text.Suggest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** What kube-apiserver itself says about a policy, as findings with positions and fixes. */
final class LoadFindings {
  private LoadFindings() {}

  static List<Finding> of(LoadReport report) {
    List<Finding> out = new ArrayList<>();
    KubeVersion v = report.version();
    if (report.verdict() instanceof LoadReport.NotRead n) {
      out.add(Finding.of(Check.TOO_LARGE, SourcePos.START, -1, n.reason(), ""));
    }
    for (Problem p : report.problems()) {
      Finding f =
          switch (p) {
            case Problem.Yaml y ->
                Finding.of(
                    Check.YAML_SYNTAX,
                    y.pos(),
                    -1,
                    "kube-apiserver cannot read the file (yaml: "
                        + y.message()
                        + ") and refuses"
                        + " to start",
                    y.message().contains("UTF-8") || y.message().contains("control")
                        ? "a policy is a UTF-8 YAML text file"
                        : "fix the YAML syntax at this position");
            case Problem.NotAnObject o ->
                Finding.of(
                    Check.NOT_A_POLICY,
                    o.pos(),
                    -1,
                    "the document is "
                        + article(o.jsonType())
                        + ", not a Policy object;"
                        + " kube-apiserver refuses to start",
                    "a policy starts with apiVersion: audit.k8s.io/v1, kind: Policy and rules:");
            case Problem.WrongType t ->
                Finding.of(
                    Check.WRONG_TYPE,
                    t.pos(),
                    -1,
                    t.error().message() + "; kube-apiserver refuses to start",
                    typeHint(t.error().message()));
            case Problem.WrongVersion w -> version(w, v);
            case Problem.Unknown u -> UnknownFields.finding(u.field(), report.raw(), v);
            case Problem.DuplicateKey d ->
                Finding.of(
                    Check.DUPLICATE_KEY,
                    d.pos(),
                    -1,
                    "key \""
                        + d.duplicate().key()
                        + "\" is written twice in this mapping; kube-apiserver "
                        + (v.strictDecodingWarning() ? "warns and keeps" : "silently keeps")
                        + " only the last value",
                    "merge the values into one \"" + d.duplicate().key() + "\"");
            case Problem.Invalid i -> invalid(i.error(), v);
            case Problem.NoRules n ->
                Finding.of(
                    Check.NO_RULES,
                    n.pos(),
                    -1,
                    "the policy has no rules: kube-apiserver refuses to start (loaded illegal"
                        + " policy with 0 rules)",
                    "add rules; the last is usually a catch-all such as '- level: Metadata'");
            case Problem.ExtraDocuments e ->
                Finding.of(
                    Check.EXTRA_DOCUMENTS,
                    e.pos(),
                    -1,
                    "the file has "
                        + e.documents()
                        + " YAML documents; kube-apiserver reads only"
                        + " the first",
                    "keep one policy per file");
          };
      out.add(f);
    }
    return out;
  }

  private static Finding version(Problem.WrongVersion w, KubeVersion v) {
    String av = w.apiVersion();
    if (av.startsWith("audit.k8s.io/v1alpha") || av.startsWith("audit.k8s.io/v1beta")) {
      return Finding.of(
          Check.API_VERSION,
          w.pos(),
          -1,
          av + " was removed in Kubernetes 1.24: kube-apiserver " + v + " refuses to start",
          "use apiVersion: audit.k8s.io/v1 (the Policy fields are the same)");
    }
    if (av.isEmpty()) {
      return Finding.of(
          Check.API_VERSION,
          w.pos(),
          -1,
          "apiVersion is missing: kube-apiserver refuses policies without apiVersion and kind",
          "add apiVersion: audit.k8s.io/v1 and kind: Policy");
    }
    return Finding.of(
        Check.API_VERSION,
        w.pos(),
        -1,
        "apiVersion "
            + av
            + (w.kind().isEmpty() ? "" : ", kind " + w.kind())
            + " is not an audit policy: kube-apiserver refuses to start",
        "an audit policy has apiVersion: audit.k8s.io/v1 and kind: Policy");
  }

  private static Finding invalid(FieldError e, KubeVersion v) {
    String refuses = " (kube-apiserver refuses to start: " + e.message() + ")";
    return switch (e.type()) {
      case MISSING_LEVEL ->
          Finding.of(
              Check.INVALID_LEVEL,
              e.pos(),
              e.rule(),
              "rules[" + e.rule() + "] has no level" + refuses,
              "add level: None, Metadata, Request or RequestResponse");
      case UNSUPPORTED_LEVEL ->
          Finding.of(
              Check.INVALID_LEVEL,
              e.pos(),
              e.rule(),
              "level \"" + e.value() + "\" is not a level" + refuses,
              didYouMean(e.value(), Arrays.stream(Level.values()).map(Level::text).toList())
                  .map(s -> "did you mean " + s + "? levels are case-sensitive")
                  .orElse("use None, Metadata, Request or RequestResponse"));
      case INVALID_STAGE ->
          Finding.of(
              Check.INVALID_STAGE,
              e.pos(),
              e.rule(),
              "\"" + e.value() + "\" is not a stage" + refuses,
              didYouMean(e.value(), Arrays.stream(Stage.values()).map(Stage::text).toList())
                  .map(s -> "did you mean " + s + "?")
                  .orElse("stages are RequestReceived, ResponseStarted, ResponseComplete, Panic"));
      case NON_RESOURCE_URL_SLASH ->
          Finding.of(
              Check.INVALID_NON_RESOURCE_URL,
              e.pos(),
              e.rule(),
              "non-resource URL \"" + e.value() + "\" does not start with /" + refuses,
              e.value().isEmpty() ? "remove the empty entry" : "did you mean /" + e.value() + "?");
      case NON_RESOURCE_URL_WILDCARD ->
          Finding.of(
              Check.INVALID_NON_RESOURCE_URL,
              e.pos(),
              e.rule(),
              "non-resource URL \"" + e.value() + "\" has a * before its end" + refuses,
              "* only works as the last character, as a prefix match: "
                  + e.value().substring(0, e.value().indexOf('*') + 1));
      case INVALID_GROUP ->
          Finding.of(
              Check.INVALID_GROUP,
              e.pos(),
              e.rule(),
              "group \"" + e.value() + "\" is not a valid API group name" + refuses,
              groupHint(e.value(), v));
      case RESOURCE_NAMES_WITHOUT_RESOURCES ->
          Finding.of(
              Check.RESOURCE_NAMES_WITHOUT_RESOURCES,
              e.pos(),
              e.rule(),
              "resourceNames without resources in rules[" + e.rule() + "]" + refuses,
              "add resources: naming the resource these objects belong to");
      case MIXED_RESOURCES_AND_NON_RESOURCE_URLS ->
          Finding.of(
              Check.MIXED_RULE,
              e.pos(),
              e.rule(),
              "rules["
                  + e.rule()
                  + "] selects both resources/namespaces and non-resource URLs"
                  + refuses,
              "split it into two rules: one with resources/namespaces, one with nonResourceURLs");
    };
  }

  static String groupHint(String g, KubeVersion v) {
    if (g.isBlank()) {
      return "the core API group is \"\" (the empty string)";
    }
    if (g.equals("*")) {
      return "group \"*\" needs kube-apiserver 1.36 or newer (this check targets "
          + v
          + "; see --k8s-version)";
    }
    if (g.indexOf('/') >= 0) {
      return "drop the version: group: \"" + g.substring(0, g.indexOf('/')) + "\"";
    }
    if (!g.equals(g.toLowerCase(Locale.ROOT))) {
      return "API groups are lower-case: group: \"" + g.toLowerCase(Locale.ROOT).strip() + "\"";
    }
    return "API group names look like apps or rbac.authorization.k8s.io";
  }

  private static String typeHint(String message) {
    if (message.contains("of type v1.GroupResources")) {
      return "each resources entry is an object, e.g. '- group: \"\"' with 'resources: [pods]'";
    }
    if (message.contains("of type []")) {
      return "this field is a list: write [value] or one '- value' per line";
    }
    if (message.contains("of type string") || message.contains("of type v1.")) {
      return "quote the value to make it a string (YAML reads yes, no, on, off and numbers"
          + " otherwise)";
    }
    return "fix the value's type";
  }

  static Optional<String> didYouMean(String written, List<String> candidates) {
    for (String c : candidates) {
      if (c.equalsIgnoreCase(written)) {
        return Optional.of(c);
      }
    }
    return Suggest.closest(written, candidates);
  }

  private static String article(String jsonType) {
    return switch (jsonType) {
      case "array" -> "a list";
      case "object" -> "an object";
      default -> "a " + jsonType;
    };
  }
}
