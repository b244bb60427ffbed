/**
 * The {@code vigil} command line: picocli commands, rules-file input, diagnostic and listing
 * renderers. This module is the only composition root: it wires sources, the rule engine and
 * outputs together with plain constructors.
 */
@NullMarked
package dev.vigil.cli;

import org.jspecify.annotations.NullMarked;
