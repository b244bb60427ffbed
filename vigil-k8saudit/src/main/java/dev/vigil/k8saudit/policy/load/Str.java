package dev.vigil.k8saudit.policy.load;

/**
 * A string value of the policy and where it was written.
 *
 * @param value the decoded value
 * @param pos where the scalar starts
 */
public record Str(String value, SourcePos pos) {}
