/**
 * The hot path: compiled conditions bound to a source's extractors as trees of small final {@link
 * dev.vigil.rules.match.Matcher} objects, with their constants pre-processed (hash sets, lowered
 * strings, compiled globs and regular expressions, parsed networks) at bind time.
 */
@NullMarked
package dev.vigil.rules.match;

import org.jspecify.annotations.NullMarked;
