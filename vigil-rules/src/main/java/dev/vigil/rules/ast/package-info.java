/**
 * The condition AST: sealed records mirroring libsinsp's filter AST node kinds, each with a {@link
 * dev.vigil.rules.ast.Span} into the text it was parsed from, and the canonical printer that
 * produces Falco's {@code condition_compiled} text.
 */
@NullMarked
package dev.vigil.rules.ast;

import org.jspecify.annotations.NullMarked;
