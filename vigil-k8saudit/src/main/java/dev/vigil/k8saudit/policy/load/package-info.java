/**
 * Loading a policy file as kube-apiserver 1.26+ does, keeping a position for every value.
 *
 * <p>Pipeline: {@link YamlReader} composes the first YAML document into a positioned tree ({@link
 * YNode}), typing plain scalars by YAML 1.1 rules as {@code sigs.k8s.io/yaml} does and noting
 * duplicate keys; {@link PolicyDecoder} decodes it against the {@code audit.k8s.io/v1} schema,
 * collecting unknown fields (dropped, as the lenient fallback does) and the first type error
 * (fatal); {@link Validation} reproduces {@code ValidatePolicy} with its field-error texts; {@link
 * PolicyLoader} puts it together and says what kube-apiserver would print and whether it starts.
 */
@NullMarked
package dev.vigil.k8saudit.policy.load;

import org.jspecify.annotations.NullMarked;
