package dev.vigil.rules;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A rule match, rendered: what every output sink delivers.
 *
 * @param rule the rule name
 * @param priority its priority
 * @param source the event source
 * @param time event time, nanoseconds since the epoch
 * @param tags the rule's tags
 * @param output the rule's output with every {@code %field} filled in ({@code <NA>} if missing)
 * @param fields the value of every field the output names, in order
 */
public record Alert(
    String rule,
    Priority priority,
    String source,
    long time,
    SortedSet<String> tags,
    String output,
    Map<String, AlertValue> fields) {
  public Alert {
    tags = Collections.unmodifiableSortedSet(new TreeSet<>(tags));
    fields =
        fields instanceof AlertFields
            ? fields
            : Collections.unmodifiableMap(new LinkedHashMap<>(fields));
  }
}
