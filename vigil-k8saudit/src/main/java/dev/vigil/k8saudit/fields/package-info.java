/**
 * Extractors of the {@code k8s_audit} source's fields ({@code ka.*}, {@code json.*}, {@code
 * jevt.*}).
 */
@NullMarked
package dev.vigil.k8saudit.fields;

import org.jspecify.annotations.NullMarked;
