package dev.vigil.k8saudit.webhook;

import dev.vigil.k8saudit.event.AuditEvent;
import dev.vigil.k8saudit.event.InputProblem;
import dev.vigil.k8saudit.event.Key;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/** The pipeline of the tests: counts every delivered event by auditID, keeps the problems. */
class Collector implements Webhook.Listener {
  final ConcurrentHashMap<String, Integer> byId = new ConcurrentHashMap<>();
  final AtomicLong total = new AtomicLong();
  final List<InputProblem> problems = new CopyOnWriteArrayList<>();
  final List<String> notices = new CopyOnWriteArrayList<>();

  /** A collector whose pipeline blocks on every event until {@code release} opens. */
  static Collector gated(CountDownLatch release) {
    return new Collector() {
      @Override
      public void event(AuditEvent event) {
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        super.event(event);
      }
    };
  }

  @Override
  public void event(AuditEvent event) {
    String id = event.text(event.top(Key.AUDIT_ID));
    byId.merge(id == null ? "" : id, 1, Integer::sum);
    total.incrementAndGet();
  }

  @Override
  public void problem(InputProblem problem) {
    problems.add(problem);
  }

  @Override
  public void notice(String message) {
    notices.add(message);
  }
}
