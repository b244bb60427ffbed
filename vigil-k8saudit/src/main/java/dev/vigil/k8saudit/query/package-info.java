/**
 * Filtering audit logs with the rule condition language ({@code vigil audit query}): a condition
 * compiled once against the {@code k8s_audit} catalogue, and the fields to print per event.
 */
@NullMarked
package dev.vigil.k8saudit.query;

import org.jspecify.annotations.NullMarked;
