/**
 * Reading rules files: YAML documents into list, macro and rule definitions, appends and overrides
 * ({@link dev.vigil.rules.load.Reader}), applied in order to one {@link
 * dev.vigil.rules.load.Collector} shared by all files, exactly as Falco's rule loader does.
 */
@NullMarked
package dev.vigil.rules.load;

import org.jspecify.annotations.NullMarked;
