package dev.vigil.cli;

import dev.vigil.k8saudit.K8sAuditSource;
import dev.vigil.k8saudit.event.AuditEvent;
import dev.vigil.k8saudit.fields.K8sAuditFields;
import dev.vigil.rules.Engine;
import dev.vigil.rules.Ruleset;
import java.util.List;

/** The k8s_audit rules of a ruleset bound for evaluation over audit events. */
record K8sAuditRules(Engine<AuditEvent> engine) {

  static K8sAuditRules bind(Ruleset ruleset, Settings s) {
    return new K8sAuditRules(
        Engine.bind(
            ruleset,
            K8sAuditSource.info(),
            new K8sAuditFields(),
            new Engine.Options(s.matching(), s.minPriority(), List.of())));
  }

  /**
   * Evaluates one event; an alert is raised only for an event that is well-formed JSON throughout
   * (a malformed one is reported by the reader instead).
   */
  void evaluate(AuditEvent e, AlertSink sink) {
    engine.match(
        e,
        r -> {
          if (e.validate()) {
            sink.accept(r.alert(e, e.timestamp()));
          }
        });
  }
}
