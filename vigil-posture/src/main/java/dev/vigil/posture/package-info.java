/**
 * Workload posture: read Kubernetes manifests ({@link dev.vigil.posture.manifest}), evaluate the
 * Pod Security Standards exactly as Pod Security Admission does ({@link dev.vigil.posture.pss}),
 * check immutability beyond PSS ({@link dev.vigil.posture.checks}) and fix workloads with minimal
 * YAML edits ({@link dev.vigil.posture.fix}). {@link dev.vigil.posture.Scanner} ties them together.
 *
 * <p>This module depends on no other Vigil module and knows nothing of the command line.
 */
@NullMarked
package dev.vigil.posture;

import org.jspecify.annotations.NullMarked;
