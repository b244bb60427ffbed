/**
 * Process, thread, file-descriptor and container state, as libsinsp keeps it for Falco: the tables
 * that give {@code proc.*}, {@code fd.*}, {@code user.*} and {@code container.*} fields their
 * values. Tables are keyed by primitive ids; process data is shared by its threads.
 */
@NullMarked
package dev.vigil.kernel.state;

import org.jspecify.annotations.NullMarked;
