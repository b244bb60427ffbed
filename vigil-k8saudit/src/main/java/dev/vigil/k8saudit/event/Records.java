package dev.vigil.k8saudit.event;

/**
 * Turns one JSON record into audit events: a native Event as it is, an EventList's items one by
 * one, a GKE or AKS envelope unwrapped; anything else is a problem.
 */
public final class Records {
  /** Receives the events of a record, and the problems. */
  public interface Handler {
    /** An event; the view is valid only during the call. */
    void event(AuditEvent event);

    /** A record (or part of one) that is not a readable audit event, at {@code offset}. */
    void problem(String message, int offset);
  }

  private final AuditEvent item = new AuditEvent();
  private final AuditEvent inner = new AuditEvent();

  /** Dispatches the record that {@code record} views (already {@link AuditEvent#reset}). */
  public void dispatch(AuditEvent record, long fallbackTime, Handler h) {
    switch (record.shape()) {
      case EVENT -> {
        record.fallbackTime(fallbackTime);
        deliver(record, h);
      }
      case EVENT_LIST -> list(record, fallbackTime, h);
      case GKE_LOG_ENTRY -> unwrapped(Envelopes.gke(record), record, fallbackTime, h);
      case AKS_RECORD -> unwrapped(Envelopes.aks(record), record, fallbackTime, h);
      case UNKNOWN -> {
        if (!record.problem().isEmpty()) {
          h.problem(record.problem(), record.problemOffset());
        } else {
          h.problem(
              "not a Kubernetes audit event (no auditID, stage, verb, user or objectRef)",
              record.start());
        }
      }
    }
  }

  private static void deliver(AuditEvent e, Handler h) {
    h.event(e);
    if (!e.problem().isEmpty()) {
      h.problem(e.problem(), e.problemOffset());
    }
  }

  private void list(AuditEvent list, long fallbackTime, Handler h) {
    int items = list.top(Key.ITEMS);
    if (!list.isArray(items)) {
      h.problem(
          items < 0 ? "an EventList without items" : "the EventList's items is not an array",
          items < 0 ? list.start() : items);
      return;
    }
    for (int e = list.firstElement(items); e >= 0; e = list.nextElement(e)) {
      int end = list.valueEnd(e);
      if (end < 0) {
        break;
      }
      item.reset(list.bytes(), e, end);
      AuditEvent.Shape s = item.shape();
      if (s == AuditEvent.Shape.EVENT) {
        item.fallbackTime(fallbackTime);
        deliver(item, h);
      } else {
        h.problem(
            item.problem().isEmpty()
                ? "an EventList item that is not an audit event"
                : item.problem(),
            item.problem().isEmpty() ? e : item.problemOffset());
      }
    }
    if (!list.problem().isEmpty()) {
      h.problem(list.problem(), list.problemOffset());
    }
  }

  private void unwrapped(Envelopes.Unwrapped u, AuditEvent record, long fallbackTime, Handler h) {
    switch (u) {
      case Envelopes.Unwrapped.NotAnEvent n ->
          h.problem(n.reason(), Math.max(record.start(), n.offset()));
      case Envelopes.Unwrapped.Native n -> {
        inner.reset(n.json(), 0, n.json().length);
        if (inner.shape() == AuditEvent.Shape.EVENT) {
          inner.fallbackTime(fallbackTime);
          h.event(inner);
          if (!inner.problem().isEmpty()) {
            h.problem("in the wrapped event: " + inner.problem(), record.start());
          }
        } else {
          h.problem(
              "the wrapped record is not an audit event"
                  + (inner.problem().isEmpty() ? "" : ": " + inner.problem()),
              record.start());
        }
      }
    }
  }
}
