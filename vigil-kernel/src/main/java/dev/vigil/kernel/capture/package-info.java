/**
 * Vigil's capture files: live events and everything the process state drew from the machine while
 * they happened, so that replaying a capture reproduces the live run's alerts exactly. The format
 * is described in {@link dev.vigil.kernel.capture.CaptureFormat} and in docs/capture.md.
 */
@NullMarked
package dev.vigil.kernel.capture;

import org.jspecify.annotations.NullMarked;
