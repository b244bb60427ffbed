package dev.vigil.k8saudit.query;

/**
 * A condition or field list that does not compile.
 *
 * @param message what is wrong
 * @param column 1-based column in the condition (or field list) text, 0 when not known
 * @param hint a suggestion, or {@code ""}
 */
public record QueryError(String message, int column, String hint) {}
