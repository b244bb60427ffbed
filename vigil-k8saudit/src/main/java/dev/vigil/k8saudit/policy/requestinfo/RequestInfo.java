package dev.vigil.k8saudit.policy.requestinfo;

/**
 * What kube-apiserver derives from a request before authorization and audit.
 *
 * @param resourceRequest whether the path names an API resource
 * @param path the URL path (decoded, without the query string)
 * @param verb the Kubernetes verb, or the lower-case HTTP method for non-resource requests
 * @param apiPrefix {@code api} or {@code apis} for resource requests, else {@code ""}
 * @param apiGroup the API group ({@code ""} for the core group)
 * @param apiVersion the API version
 * @param namespace the namespace ({@code ""} when cluster-scoped)
 * @param resource the resource
 * @param subresource the subresource, or {@code ""}
 * @param name the object name, or {@code ""}
 */
public record RequestInfo(
    boolean resourceRequest,
    String path,
    String verb,
    String apiPrefix,
    String apiGroup,
    String apiVersion,
    String namespace,
    String resource,
    String subresource,
    String name) {

  static RequestInfo nonResource(String path, String verb) {
    return new RequestInfo(false, path, verb, "", "", "", "", "", "", "");
  }
}
