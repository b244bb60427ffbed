/**
 * Alert rendering (Falco's text line and JSON object) and, as the daemon issue lands, the sinks
 * that deliver alerts. Also the small streaming JSON writer every command's {@code --json} uses.
 */
@NullMarked
package dev.vigil.output;

import org.jspecify.annotations.NullMarked;
