/**
 * Syscall events as flyweights: {@link dev.vigil.kernel.event.SyscallEvent} is a view over one
 * binary record (see {@link dev.vigil.kernel.event.Layout}) that decodes parameters only when a
 * field asks for them.
 */
@NullMarked
package dev.vigil.kernel.event;

import org.jspecify.annotations.NullMarked;
