package dev.vigil.cli;

import java.io.PrintWriter;
import java.util.Optional;

/**
 * The k8s_audit inputs of one {@code vigil run}: log files, the webhook, or both.
 *
 * @param files the log follower, when {@code -o k8saudit.files} names some
 * @param webhook the receiver, when {@code -o k8saudit.webhook.listen} is set
 */
record AuditSources(Optional<AuditFollower> files, Optional<AuditWebhook> webhook) {

  /** Stops both; everything read or acknowledged has gone through the rules when this returns. */
  void stop() {
    webhook.ifPresent(AuditWebhook::stop);
    files.ifPresent(AuditFollower::stop);
  }

  void printStats(PrintWriter err) {
    files.ifPresent(f ->
        err.printf(
            "vigil: k8s audit logs: %d events%s%n",
            f.events(), f.problems() > 0 ? ", " + f.problems() + " could not be read" : ""));
    webhook.ifPresent(w -> w.printStats(err));
  }
}
