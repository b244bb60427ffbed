package dev.vigil.k8saudit.policy.check;

import java.util.Optional;

/**
 * The attributes kube-apiserver evaluates its audit policy with (its authorizer attributes).
 *
 * @param user the authenticated user (before impersonation); empty for failed authentication
 * @param verb the Kubernetes verb ({@code get}, {@code list}, ...) or, for non-resource requests,
 *     the lower-case HTTP method
 * @param namespace the namespace; {@code ""} for cluster-scoped and non-resource requests
 * @param apiGroup the API group ({@code ""} is core)
 * @param apiVersion the API version
 * @param resource the resource ({@code pods})
 * @param subresource the subresource ({@code log}), or {@code ""}
 * @param name the object name, or {@code ""} (collections, {@code create})
 * @param resourceRequest whether this is a resource request (else non-resource)
 * @param path the URL path, without the query string
 */
public record RequestAttributes(
    Optional<User> user,
    String verb,
    String namespace,
    String apiGroup,
    String apiVersion,
    String resource,
    String subresource,
    String name,
    boolean resourceRequest,
    String path) {

  /** A non-resource request. */
  public static RequestAttributes nonResource(Optional<User> user, String verb, String path) {
    return new RequestAttributes(user, verb, "", "", "", "", "", "", false, path);
  }

  /** {@code resource} or {@code resource/subresource}, as rules name it. */
  public String combinedResource() {
    return subresource.isEmpty() ? resource : resource + "/" + subresource;
  }
}
