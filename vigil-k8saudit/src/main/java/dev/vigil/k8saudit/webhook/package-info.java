/**
 * The audit webhook receiver: kube-apiserver's webhook backend (and Falco's k8saudit clients) POST
 * EventLists to {@code /k8s-audit}. Bodies are hostile input: size, syntax, UTF-8 and nesting are
 * checked before anything is queued, and a 200 means the events are in the queue that the consumer
 * drains, also when the receiver stops.
 */
@NullMarked
package dev.vigil.k8saudit.webhook;

import org.jspecify.annotations.NullMarked;
