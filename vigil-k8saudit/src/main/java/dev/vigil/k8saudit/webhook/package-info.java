/**
 * The audit webhook receiver, on Jetty 12: kube-apiserver's webhook backend (and Falco's k8saudit
 * clients) POST EventLists to {@code /k8s-audit}. Bodies are hostile input: size, syntax, UTF-8 and
 * nesting are checked before anything is queued, and a 200 means the events are in the queue that
 * the consumer drains (also when the receiver stops), or, with the spool on, written and synced to
 * the on-disk spool ({@link dev.vigil.k8saudit.webhook.SpoolQueue}), from which they are delivered
 * once, also after a crash.
 */
@NullMarked
package dev.vigil.k8saudit.webhook;

import org.jspecify.annotations.NullMarked;
