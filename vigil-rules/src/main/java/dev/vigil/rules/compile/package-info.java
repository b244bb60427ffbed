/**
 * Compiling collected definitions: list expansion and substitution, exception clauses, macro
 * resolution, field and operator checks into typed {@link dev.vigil.rules.compile.Cond} trees,
 * event-type inference, and binding to a source's extractors as {@link
 * dev.vigil.rules.compile.Matcher}s.
 */
@NullMarked
package dev.vigil.rules.compile;

import org.jspecify.annotations.NullMarked;
