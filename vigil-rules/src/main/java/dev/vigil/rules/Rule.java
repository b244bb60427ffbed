package dev.vigil.rules;

import dev.vigil.rules.ast.Expr;
import dev.vigil.rules.compile.Cond;
import dev.vigil.rules.output.OutputTemplate;
import dev.vigil.rules.text.Text;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;

/**
 * A compiled rule.
 *
 * @param name the rule name
 * @param source the event source ({@code syscall}, {@code k8s_audit})
 * @param priority its priority
 * @param enabled enabled in the rules files
 * @param tags its tags, sorted
 * @param description its {@code desc}
 * @param condition the condition text after appends and exceptions, before lists and macros
 * @param expanded the condition with lists and macros expanded
 * @param compiled {@code expanded} printed canonically (Falco's {@code condition_compiled})
 * @param check the type-checked condition, ready to bind
 * @param eventTypes the event-type codes the condition can match
 * @param events the names of those event types, sorted
 * @param output the output template, with Falco's {@code append_output} applied
 * @param extraFields formatted fields added to the alert's output fields ({@code append_output}'s
 *     {@code extra_fields}), in order
 * @param exceptions the names of its exceptions
 * @param capture Falco's {@code capture} flag
 * @param captureDuration Falco's {@code capture_duration}, milliseconds
 * @param trail where the rule is defined
 */
public record Rule(
    String name,
    String source,
    Priority priority,
    boolean enabled,
    SortedSet<String> tags,
    String description,
    Text condition,
    Expr expanded,
    String compiled,
    Cond check,
    BitSet eventTypes,
    List<String> events,
    OutputTemplate output,
    Map<String, OutputTemplate> extraFields,
    List<String> exceptions,
    boolean capture,
    long captureDuration,
    List<Location> trail) {
  public Rule {
    tags = java.util.Collections.unmodifiableSortedSet(new java.util.TreeSet<>(tags));
    eventTypes = (BitSet) eventTypes.clone();
    events = List.copyOf(events);
    extraFields = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(extraFields));
    exceptions = List.copyOf(exceptions);
    trail = List.copyOf(trail);
  }

  @Override
  public BitSet eventTypes() {
    return (BitSet) eventTypes.clone();
  }
}
