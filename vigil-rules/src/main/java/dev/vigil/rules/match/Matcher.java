package dev.vigil.rules.match;

/** A bound condition: evaluates one event. Implementations must not allocate on a non-match. */
@FunctionalInterface
public interface Matcher<E> {
  boolean matches(E event);
}
