/**
 * The validating admission webhook's HTTPS server (Jetty 12): TLS from PEM files, reloaded when
 * they change; POSTed AdmissionReviews answered by {@link dev.vigil.posture.admission.Admission};
 * limits on method, content type and body size.
 */
@NullMarked
package dev.vigil.cli.admission;

import org.jspecify.annotations.NullMarked;
