package dev.vigil.k8saudit.policy.simulate;

import static dev.vigil.k8saudit.policy.simulate.EventScanner.OR_API_GROUP;
import static dev.vigil.k8saudit.policy.simulate.EventScanner.OR_NAME;
import static dev.vigil.k8saudit.policy.simulate.EventScanner.OR_NAMESPACE;
import static dev.vigil.k8saudit.policy.simulate.EventScanner.OR_RESOURCE;
import static dev.vigil.k8saudit.policy.simulate.EventScanner.OR_SUBRESOURCE;
import static dev.vigil.k8saudit.policy.simulate.EventScanner.REQUEST_URI;
import static dev.vigil.k8saudit.policy.simulate.EventScanner.USERNAME;
import static dev.vigil.k8saudit.policy.simulate.EventScanner.VERB;

import dev.vigil.k8saudit.policy.check.RequestAttributes;
import dev.vigil.k8saudit.policy.check.User;
import dev.vigil.k8saudit.policy.requestinfo.RequestInfo;
import dev.vigil.k8saudit.policy.requestinfo.RequestInfoParser;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Rebuilds the attributes kube-apiserver evaluated its policy with from a logged event: the
 * authenticated user ({@code user}, never {@code impersonatedUser}; an empty name means no user),
 * the recorded verb, and namespace/resource/subresource/name from {@code requestURI} by the
 * RequestInfo algorithm ({@code objectRef.name} is back-filled for creates, so it is not used).
 * Events without a requestURI fall back to {@code objectRef}. One instance per thread.
 */
final class EventAttributes {
  private static final int USERS = 1024;

  private final StringCache strings;
  private final User[] users = new User[USERS];
  private final List<String> groups = new ArrayList<>();

  EventAttributes(StringCache strings) {
    this.strings = strings;
    Arrays.fill(users, new User("", List.of()));
  }

  /** Whether the event came from a requestURI (else from objectRef). */
  boolean fromUri;

  RequestAttributes of(EventScanner sc) {
    Optional<User> user = user(sc);
    String verb = sc.string(VERB, strings);
    if (sc.has(REQUEST_URI)) {
      fromUri = true;
      String uri = sc.string(REQUEST_URI, strings);
      RequestInfo ri = RequestInfoParser.fromAuditEvent(verb, uri);
      return new RequestAttributes(
          user,
          ri.verb(),
          ri.namespace(),
          ri.apiGroup(),
          ri.apiVersion(),
          ri.resource(),
          ri.subresource(),
          ri.name(),
          ri.resourceRequest(),
          ri.path());
    }
    fromUri = false;
    String sub = sc.string(OR_SUBRESOURCE, strings);
    String name = verb.equals("create") && sub.isEmpty() ? "" : sc.string(OR_NAME, strings);
    return new RequestAttributes(
        user,
        verb,
        sc.string(OR_NAMESPACE, strings),
        sc.string(OR_API_GROUP, strings),
        "",
        sc.string(OR_RESOURCE, strings),
        sub,
        name,
        sc.hasObjectRef,
        "");
  }

  /**
   * The authenticated user. Names and groups come from the string cache, so repeated values are the
   * same instances: a user is reused when its instances match (else simply rebuilt).
   */
  private Optional<User> user(EventScanner sc) {
    String name = sc.string(USERNAME, strings);
    if (name.isEmpty()) {
      return Optional.empty();
    }
    groups.clear();
    int h = System.identityHashCode(name);
    for (int k = 0; k < sc.groupCount; k++) {
      String g = sc.group(k, strings);
      groups.add(g);
      h = 31 * h + System.identityHashCode(g);
    }
    int slot = (h ^ (h >>> 16)) & (USERS - 1);
    User u = users[slot];
    if (!same(u, name)) {
      u = new User(name, groups);
      users[slot] = u;
    }
    return Optional.of(u);
  }

  @SuppressWarnings("ReferenceEquality") // identity is the point: cached instances
  private boolean same(User u, String name) {
    List<String> g = u.groups();
    if (u.name() != name || g.size() != groups.size()) {
      return false;
    }
    for (int i = 0; i < g.size(); i++) {
      if (g.get(i) != groups.get(i)) {
        return false;
      }
    }
    return true;
  }
}
