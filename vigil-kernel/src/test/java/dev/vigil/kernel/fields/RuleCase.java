package dev.vigil.kernel.fields;

import dev.vigil.kernel.event.SyscallEvent;
import java.util.List;

/**
 * One behavioural case of a rules file, built into an event record and the state it resolves to.
 *
 * @param name what happens, in words
 * @param expect the rule that fires with {@code rule_matching: first}, or {@code none}
 * @param near for a case where the rule must stay quiet, the rule whose boundary it tests
 * @param shadowed rules that match too but come later in the file (first match hides them)
 * @param output text the first rule's rendered output must contain
 * @param event the event record with its thread and fd attached
 */
record RuleCase(
    String name,
    String expect,
    String near,
    List<String> shadowed,
    List<String> output,
    SyscallEvent event) {
  static final String NONE = "none";

  @Override
  public String toString() {
    return name;
  }
}
