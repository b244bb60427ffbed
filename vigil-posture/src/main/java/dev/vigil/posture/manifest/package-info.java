/**
 * Reading manifests: multi-document YAML and JSON, every kind that carries a pod template, {@code
 * List}s, with 1-based line and column for every node. Input problems are {@link
 * dev.vigil.posture.Problem}s with positions, never exceptions.
 */
@NullMarked
package dev.vigil.posture.manifest;

import org.jspecify.annotations.NullMarked;
