/**
 * Validating admission: {@link dev.vigil.posture.admission.AdmissionReview} reads an {@code
 * admission.k8s.io/v1} (or {@code v1beta1}) AdmissionReview, and {@link
 * dev.vigil.posture.admission.Admission} answers it with the scan's checks: Pod Security violations
 * deny, immutability findings become warnings. No HTTP here; the command line serves it.
 */
@NullMarked
package dev.vigil.posture.admission;

import org.jspecify.annotations.NullMarked;
