/**
 * Vigil's Falco-compatible rule language: load rules files ({@link dev.vigil.rules.RulesLoader}),
 * get a compiled {@link dev.vigil.rules.Ruleset} with {@link dev.vigil.rules.Diagnostic}s that
 * carry Falco's codes and exact positions, bind it to a source's events and match.
 *
 * <p>Pipeline stages live in their own packages, in order: {@code text} (sources and positions),
 * {@code parse} (condition parser) and {@code ast}, {@code load} (YAML items and the collector that
 * applies definitions, appends and overrides), {@code compile} (lists, exceptions, macros, type
 * checks, event-type inference, matchers) and {@code output} (output templates).
 */
@NullMarked
package dev.vigil.rules;

import org.jspecify.annotations.NullMarked;
