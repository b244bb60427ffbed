/**
 * The {@code syscall} event source: its field catalogue and event table (and, as the kernel issue
 * lands, the eBPF probe, ring-buffer reader, process and fd state, and extractors).
 */
@NullMarked
package dev.vigil.kernel;

import org.jspecify.annotations.NullMarked;
