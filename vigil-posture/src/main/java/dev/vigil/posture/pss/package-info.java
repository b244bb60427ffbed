/**
 * The Pod Security Standards as Pod Security Admission enforces them: the 19 checks, each with the
 * versions at which its behaviour changed, PSA's own reason and detail strings, the overrides of
 * baseline checks by restricted ones, and the Windows and user-namespace relaxations.
 */
@NullMarked
package dev.vigil.posture.pss;

import org.jspecify.annotations.NullMarked;
