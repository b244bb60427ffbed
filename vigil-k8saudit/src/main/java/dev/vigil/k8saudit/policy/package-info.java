/**
 * The Kubernetes audit {@code Policy} ({@code audit.k8s.io/v1}) as kube-apiserver understands it:
 * its values ({@link Policy}, {@link PolicyRule}, {@link GroupResources}, {@link Level}, {@link
 * Stage}) and the Kubernetes version whose behaviour is emulated ({@link KubeVersion}).
 *
 * <p>The pipeline lives in sub-packages: {@code load} (strict-then-lenient decoding and validation
 * with kube-apiserver's messages), {@code check} (rule evaluation exactly as {@code checker.go}),
 * {@code requestinfo} (request attributes from a request URI), {@code lint} (what kube-apiserver
 * never says) and {@code simulate} (replaying audit logs through a policy).
 */
@NullMarked
package dev.vigil.k8saudit.policy;

import org.jspecify.annotations.NullMarked;
