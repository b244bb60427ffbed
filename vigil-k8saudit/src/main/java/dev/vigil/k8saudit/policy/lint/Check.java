package dev.vigil.k8saudit.policy.lint;

import dev.vigil.rules.Severity;

/** Every check the linter runs: a stable id, a default severity and a one-line title. */
public enum Check {
  YAML_SYNTAX("yaml-syntax", Severity.ERROR, "The file is not YAML kube-apiserver can read"),
  NOT_A_POLICY("not-a-policy", Severity.ERROR, "The document is not an audit Policy object"),
  API_VERSION("api-version", Severity.ERROR, "apiVersion/kind must be audit.k8s.io/v1 Policy"),
  WRONG_TYPE("wrong-type", Severity.ERROR, "A value has the wrong type: kube-apiserver refuses"),
  UNKNOWN_FIELD(
      "unknown-field",
      Severity.ERROR,
      "Unknown field: kube-apiserver drops it and the rule silently widens"),
  DUPLICATE_KEY("duplicate-key", Severity.ERROR, "Duplicate key: only the last value is kept"),
  INVALID_LEVEL("invalid-level", Severity.ERROR, "Missing or unsupported level"),
  INVALID_STAGE("invalid-stage", Severity.ERROR, "Unknown stage in omitStages"),
  INVALID_GROUP(
      "invalid-group", Severity.ERROR, "API group is not a lower-case DNS subdomain, \"\" or *"),
  INVALID_NON_RESOURCE_URL(
      "invalid-non-resource-url",
      Severity.ERROR,
      "Non-resource URLs start with / and may only end with *"),
  RESOURCE_NAMES_WITHOUT_RESOURCES(
      "resource-names-without-resources", Severity.ERROR, "resourceNames needs resources"),
  MIXED_RULE(
      "mixed-rule",
      Severity.ERROR,
      "A rule cannot select both resources/namespaces and non-resource URLs"),
  NO_RULES("no-rules", Severity.ERROR, "A policy needs at least one rule"),
  TOO_LARGE("too-large", Severity.ERROR, "The file exceeds the size Vigil reads"),
  EXTRA_DOCUMENTS(
      "extra-documents", Severity.WARNING, "Only the first YAML document of the file is read"),
  RESOURCE_CASE(
      "resource-case",
      Severity.ERROR,
      "Resource names are lower-case plural URL segments: this one never matches"),
  UNKNOWN_RESOURCE(
      "unknown-resource",
      Severity.ERROR,
      "The group serves no such resource (singular, short name or typo): never matches"),
  UNKNOWN_SUBRESOURCE(
      "unknown-subresource", Severity.WARNING, "The resource has no such subresource"),
  WRONG_GROUP("wrong-group", Severity.WARNING, "The resource is served by another API group"),
  GROUP_CORE("group-core", Severity.ERROR, "The core API group is \"\", not core or v1"),
  STAR_SLASH_STAR(
      "star-slash-star", Severity.ERROR, "*/* never matches: audit policies use * for everything"),
  LITERAL_STAR(
      "literal-star",
      Severity.ERROR,
      "* is literal in users, userGroups, verbs, namespaces and resourceNames"),
  SUBJECT_KIND(
      "subject-kind", Severity.WARNING, "A user name listed as a group, or a group as a user"),
  UNKNOWN_VERB("unknown-verb", Severity.WARNING, "Not a verb any request has"),
  CLUSTER_SCOPED_NAMESPACE(
      "cluster-scoped-namespace",
      Severity.WARNING,
      "namespaces on a cluster-scoped resource: such requests have namespace \"\""),
  REMOVED_GROUP("removed-group", Severity.INFO, "The API group is no longer served"),
  SHADOWED_RULE(
      "shadowed-rule", Severity.WARNING, "An earlier rule matches every request this one matches"),
  SENSITIVE_PAYLOAD(
      "sensitive-payload",
      Severity.WARNING,
      "Secrets, ConfigMaps or tokens logged with their payloads (level Request or above)"),
  RESPONSE_STARTED_OMITTED(
      "response-started-omitted",
      Severity.WARNING,
      "Omitting ResponseStarted loses every failed-authentication (401) event"),
  ALL_STAGES_OMITTED(
      "all-stages-omitted", Severity.WARNING, "A rule that omits every stage logs nothing"),
  SUBRESOURCES_NOT_COVERED(
      "subresources-not-covered",
      Severity.INFO,
      "A resource listed without its subresources: their requests fall through"),
  LARGE_RESPONSES(
      "large-responses",
      Severity.INFO,
      "RequestResponse on list/watch writes whole collections into the log"),
  NOTHING_LOGGED("nothing-logged", Severity.WARNING, "Every rule is level None"),
  NO_CATCH_ALL(
      "no-catch-all",
      Severity.INFO,
      "No catch-all rule: requests that match no rule are not audited");

  private final String id;
  private final Severity severity;
  private final String title;

  Check(String id, Severity severity, String title) {
    this.id = id;
    this.severity = severity;
    this.title = title;
  }

  public String id() {
    return id;
  }

  public Severity severity() {
    return severity;
  }

  public String title() {
    return title;
  }
}
