/**
 * The policy linter: everything kube-apiserver says about a policy (its refusals and strict
 * decoding warnings, with hints), then what it never says — rules that can never match (resource
 * names that are not plural lower-case URL segments, resources in the wrong API group, {@code *}
 * where it is literal, {@code *}/{@code *}, group {@code core}), rules shadowed by earlier ones,
 * payloads of Secrets and tokens in the log, lost 401 events, removed API groups, no catch-all.
 *
 * <p>{@link Linter} is the entry point; every finding has a stable id from {@link Check}. Built-in
 * resources per Kubernetes version come from {@code builtin-apis.tsv} ({@link BuiltinApis}).
 */
@NullMarked
package dev.vigil.k8saudit.policy.lint;

import org.jspecify.annotations.NullMarked;
