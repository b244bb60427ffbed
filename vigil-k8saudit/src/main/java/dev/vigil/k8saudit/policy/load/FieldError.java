package dev.vigil.k8saudit.policy.load;

/**
 * A validation error as kube-apiserver reports it, with where it points in the file.
 *
 * @param type the error type
 * @param field kube-apiserver's field path ({@code rules[0].level})
 * @param message the complete text ({@code rules[0].level: Required value})
 * @param value the offending value as written ({@code ""} when missing)
 * @param rule the 0-based rule index, or -1 for policy-level errors
 * @param pos where the offending value (or the rule) is
 */
public record FieldError(
    Type type, String field, String message, String value, int rule, SourcePos pos) {

  /** The kinds of validation errors kube-apiserver's audit validation produces. */
  public enum Type {
    MISSING_LEVEL,
    UNSUPPORTED_LEVEL,
    INVALID_STAGE,
    NON_RESOURCE_URL_SLASH,
    NON_RESOURCE_URL_WILDCARD,
    INVALID_GROUP,
    RESOURCE_NAMES_WITHOUT_RESOURCES,
    MIXED_RESOURCES_AND_NON_RESOURCE_URLS
  }
}
