package dev.vigil.rules.load;

import dev.vigil.rules.Location;
import dev.vigil.rules.Priority;
import dev.vigil.rules.load.Defs.ExceptionDef;
import dev.vigil.rules.text.Text;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The properties an append or replace override carries; absent ones are left alone.
 *
 * @param name the rule to change
 * @param trail where the override is
 */
record RuleUpdate(
    String name,
    List<Location> trail,
    Optional<Text> condition,
    List<Location> conditionTrail,
    Optional<Text> output,
    List<Location> outputTrail,
    Optional<String> desc,
    Optional<Set<String>> tags,
    Optional<List<ExceptionDef>> exceptions,
    Optional<Priority> priority,
    Optional<Boolean> enabled,
    Optional<Boolean> warnEvttypes,
    Optional<Boolean> skipIfUnknownFilter,
    Optional<Boolean> capture,
    Optional<Long> captureDuration) {

  boolean hasAnyValue() {
    return condition.isPresent()
        || output.isPresent()
        || desc.isPresent()
        || tags.isPresent()
        || exceptions.isPresent()
        || priority.isPresent()
        || enabled.isPresent()
        || warnEvttypes.isPresent()
        || skipIfUnknownFilter.isPresent()
        || capture.isPresent()
        || captureDuration.isPresent();
  }
}
