/**
 * Evaluating a policy for one request, exactly as kube-apiserver's {@code checker.go} does: rules
 * in order, the first whose every non-empty field matches decides the level; no match means {@code
 * None}. {@link PolicyEvaluator} is the compiled form; {@link RequestAttributes} are the authorizer
 * attributes the policy sees.
 */
@NullMarked
package dev.vigil.k8saudit.policy.check;

import org.jspecify.annotations.NullMarked;
