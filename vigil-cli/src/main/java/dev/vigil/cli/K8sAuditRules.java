package dev.vigil.cli;

import dev.vigil.k8saudit.event.AuditEvent;
import dev.vigil.rules.Alert;
import dev.vigil.rules.Engine;
import java.util.function.Consumer;

/** The k8s_audit rules of a generation bound for evaluation over audit events. */
record K8sAuditRules(Engine<AuditEvent> engine) {

  /**
   * Evaluates one event; an alert is raised only for an event that is well-formed JSON throughout
   * (a malformed one is reported by the reader instead).
   */
  void evaluate(AuditEvent e, Consumer<Alert> sink) {
    engine.match(
        e,
        r -> {
          if (e.validate()) {
            sink.accept(r.alert(e, e.timestamp()));
          }
        });
  }
}
