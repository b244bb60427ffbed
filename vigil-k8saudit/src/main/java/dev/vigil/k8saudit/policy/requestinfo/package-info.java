/**
 * kube-apiserver's RequestInfo algorithm: how a request path (and method, or the verb an audit
 * event recorded) becomes the attributes a policy is evaluated with — resource or non-resource, API
 * group and version, namespace (including the namespace object's own), resource, subresource, name,
 * the deprecated {@code /watch} and {@code /proxy} prefixes, and names from {@code
 * fieldSelector=metadata.name=...}.
 */
@NullMarked
package dev.vigil.k8saudit.policy.requestinfo;

import org.jspecify.annotations.NullMarked;
