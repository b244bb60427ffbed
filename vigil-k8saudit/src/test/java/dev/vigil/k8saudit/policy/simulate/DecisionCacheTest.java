package dev.vigil.k8saudit.policy.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.k8saudit.policy.KubeVersion;
import dev.vigil.k8saudit.policy.Policy;
import dev.vigil.k8saudit.policy.check.PolicyEvaluator;
import dev.vigil.k8saudit.policy.check.RequestAttributes;
import dev.vigil.k8saudit.policy.check.User;
import dev.vigil.k8saudit.policy.requestinfo.RequestInfo;
import dev.vigil.k8saudit.policy.requestinfo.RequestInfoParser;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The decision cache changes nothing: for many random requests (odd paths included), the rule the
 * simulator reports equals the rule evaluated directly from the event — with policies that use
 * resourceNames (names in keys) and that do not (names left out of keys).
 */
class DecisionCacheTest {
  @TempDir Path dir;

  static final String[] PREFIXES = {
    "/api/v1",
    "/apis/apps/v1",
    "/apis/rbac.authorization.k8s.io/v1",
    "/api",
    "/apis/apps",
    "/apis",
    "/healthz",
    "/logs",
    "/api/v1/watch",
    "/api/v1/proxy",
    "/apis/apps/v1/watch",
    ""
  };
  static final String[] MIDDLES = {
    "",
    "/namespaces/prod",
    "/namespaces/kube-system",
    "/namespaces/prod/status",
    "/namespaces",
    "/namespaces/prod/finalize",
    "/namespaces/a/b"
  };
  static final String[] RESOURCES = {
    "", "/pods", "/secrets", "/deployments", "/nodes", "/configmaps"
  };
  static final String[] NAMES = {"", "/a", "/b", "/status", "/cfg", "/%61", "/x/", "//"};
  static final String[] SUBS = {"", "/status", "/log", "/exec", "/scale", "/x/y/z"};
  static final String[] QUERIES = {
    "",
    "?watch=1",
    "?limit=500",
    "?fieldSelector=metadata.name%3Dcfg",
    "?fieldSelector=metadata.name%3Da&watch=true",
    "?fieldSelector%3Dx"
  };
  static final String[] VERBS = {"get", "list", "watch", "create", "update", "delete", "post"};

  static final String RULES =
      """
      - level: None
        users: ["u1"]
        verbs: ["watch"]
      - level: RequestResponse
        resources:
        - group: ""
          resources: ["pods/status", "nodes/*"]
        namespaces: ["prod", ""]
      - level: Request
        resources:
        - group: apps
          resources: ["*/scale"]
      - level: Metadata
        userGroups: ["g2"]
        nonResourceURLs: ["/healthz*", "/api"]
      - level: Request
        namespaces: ["kube-system"]
      - level: None
        verbs: ["list"]
      """;
  static final String NAMES_RULE =
      """
      - level: RequestResponse
        resources:
        - group: ""
          resources: ["configmaps", "secrets"]
          resourceNames: ["cfg", "a"]
      """;

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void cachedDecisionsEqualDirectOnes(boolean resourceNames) throws IOException {
    String yaml =
        "apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n"
            + (resourceNames ? NAMES_RULE : "")
            + RULES
            + "- level: Metadata\n";
    Policy policy = Run.policy(yaml);
    PolicyEvaluator direct = new PolicyEvaluator(policy, KubeVersion.DEFAULT);
    Random rnd = new Random(resourceNames ? 11 : 7);
    Path log = dir.resolve("random.log");
    List<Integer> expected = new ArrayList<>();
    try (Writer w = Files.newBufferedWriter(log)) {
      for (int i = 0; i < 40_000; i++) {
        String uri =
            pick(rnd, PREFIXES)
                + pick(rnd, MIDDLES)
                + pick(rnd, RESOURCES)
                + pick(rnd, NAMES)
                + pick(rnd, SUBS)
                + pick(rnd, QUERIES);
        String verb = pick(rnd, VERBS);
        String user = "u" + rnd.nextInt(3);
        String group = "g" + rnd.nextInt(3);
        w.write(
            "{\"stage\":\"ResponseComplete\",\"verb\":\""
                + verb
                + "\",\"requestURI\":\""
                + uri
                + "\",\"user\":{\"username\":\""
                + user
                + "\",\"groups\":[\""
                + group
                + "\"]}}\n");
        RequestInfo ri = RequestInfoParser.fromAuditEvent(verb, uri);
        RequestAttributes a =
            new RequestAttributes(
                Optional.of(new User(user, List.of(group))),
                ri.verb(),
                ri.namespace(),
                ri.apiGroup(),
                ri.apiVersion(),
                ri.resource(),
                ri.subresource(),
                ri.name(),
                ri.resourceRequest(),
                ri.path());
        expected.add(direct.firstMatch(a));
      }
    }
    Run run = Run.of(policy, List.of(log), 2);
    assertThat(run.problems()).isEmpty();
    List<Integer> got = new ArrayList<>();
    for (JsonNode e : run.events()) {
      got.add(e.get("rule").isNull() ? -1 : e.get("rule").asInt());
    }
    assertThat(got).isEqualTo(expected);
  }

  static String pick(Random rnd, String[] options) {
    return options[rnd.nextInt(options.length)];
  }
}
