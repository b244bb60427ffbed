package dev.vigil.posture;

/**
 * A problem with the input itself (invalid YAML, a missing or mistyped field, an unknown kind), as
 * opposed to a {@link Finding} about a valid workload. {@code code} is a stable kebab-case name.
 */
public record Problem(Severity severity, String code, String message, Location location) {}
