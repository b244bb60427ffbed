/**
 * The {@code syscall} source's extractors: how each field of the catalogue reads a {@link
 * dev.vigil.kernel.event.SyscallEvent} and the state resolved for it.
 */
@NullMarked
package dev.vigil.kernel.fields;

import org.jspecify.annotations.NullMarked;
