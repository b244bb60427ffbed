/**
 * Audit events as views over their JSON bytes ({@link dev.vigil.k8saudit.event.AuditEvent}),
 * scanned lazily and with bounded nesting; reading them from logs and bodies ({@link
 * dev.vigil.k8saudit.event.AuditReader}): JSON lines, JSON documents, EventLists, gzip, and the GKE
 * and AKS envelopes.
 */
@NullMarked
package dev.vigil.k8saudit.event;

import org.jspecify.annotations.NullMarked;
