/**
 * Rule output templates: {@code %field} tokens compiled at load time into {@link
 * dev.vigil.rules.output.OutputTemplate}s and rendered into {@link dev.vigil.rules.Alert}s.
 */
@NullMarked
package dev.vigil.rules.output;

import org.jspecify.annotations.NullMarked;
