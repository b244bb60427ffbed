package dev.vigil.k8saudit.event;

import java.util.ArrayList;
import java.util.List;

/** Everything a reader delivered: event texts (as read or unwrapped), lines and problems. */
final class Collected implements AuditReader.Sink {
  final List<String> events = new ArrayList<>();
  final List<Long> lines = new ArrayList<>();
  final List<InputProblem> problems = new ArrayList<>();

  @Override
  public void event(AuditEvent event, long line) {
    events.add(event.toString());
    lines.add(line);
  }

  @Override
  public void problem(InputProblem problem) {
    problems.add(problem);
  }
}
