/**
 * The {@code k8s_audit} event source: its field catalogue ({@code ka.*}, {@code jevt.*}, {@code
 * json.*}); the audit event model, webhook, tailer and policy tools build on it.
 */
@NullMarked
package dev.vigil.k8saudit;

import org.jspecify.annotations.NullMarked;
