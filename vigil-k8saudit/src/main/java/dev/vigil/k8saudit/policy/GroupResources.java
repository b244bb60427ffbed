package dev.vigil.k8saudit.policy;

import java.util.List;

/**
 * One entry of a rule's {@code resources}: an API group ({@code ""} is the core group) and,
 * optionally, resources and resource names within it.
 *
 * @param group the API group; {@code "*"} is a wildcard from Kubernetes 1.36
 * @param resources resource patterns ({@code pods}, {@code pods/log}, {@code *}, {@code pods/*},
 *     <code>*&#47;status</code>); empty means every resource and subresource of the group
 * @param resourceNames object names; empty means any name
 */
public record GroupResources(String group, List<String> resources, List<String> resourceNames) {
  public GroupResources {
    resources = List.copyOf(resources);
    resourceNames = List.copyOf(resourceNames);
  }
}
