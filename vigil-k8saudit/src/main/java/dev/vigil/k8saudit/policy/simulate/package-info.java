/**
 * Replaying audit logs through a policy: which rule decides each event, at what level, whether its
 * stage is written, and what the log would weigh.
 *
 * <p>Logs are JSON lines (the log backend), optionally gzip-compressed, or JSON documents
 * (EventList, arrays, pretty-printed events). JSON lines are cut into chunks by one thread (a
 * regular file is mapped, {@link MappedLog}, and each worker copies its own chunk; a stream is read
 * by that thread) and scanned by several ({@link Pipeline}); {@link EventScanner} reads only the
 * fields the policy needs and skips request/response bodies structurally, bounded in nesting; a
 * malformed line is reported with its number and skipped. Per-event attributes are rebuilt as
 * kube-apiserver built them ({@link EventAttributes}); results accumulate per thread ({@link
 * Tally}) and merge into a {@link Summary}.
 */
@NullMarked
package dev.vigil.k8saudit.policy.simulate;

import org.jspecify.annotations.NullMarked;
