/** Immutability checks beyond the Pod Security Standards, each with why it matters and the fix. */
@NullMarked
package dev.vigil.posture.checks;

import org.jspecify.annotations.NullMarked;
