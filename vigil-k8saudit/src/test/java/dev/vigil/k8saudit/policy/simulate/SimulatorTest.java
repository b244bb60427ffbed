package dev.vigil.k8saudit.policy.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.k8saudit.policy.Level;
import dev.vigil.k8saudit.policy.Policy;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How events become requests, decisions, counts and volumes. */
class SimulatorTest {
  @TempDir Path dir;

  Path log(String... lines) throws IOException {
    Path p = dir.resolve("audit.log");
    Files.writeString(p, String.join("\n", lines) + "\n");
    return p;
  }

  static final Policy POLICY =
      Run.policy(
          """
          apiVersion: audit.k8s.io/v1
          kind: Policy
          omitStages: [RequestReceived]
          rules:
          - level: None
            users: ["system:kube-proxy"]
          - level: RequestResponse
            resources:
            - group: ""
              resources: ["configmaps"]
              resourceNames: ["cfg"]
          - level: Request
            resources:
            - group: ""
              resources: ["namespaces"]
            namespaces: ["prod"]
          - level: Request
            userGroups: ["admins"]
          - level: Metadata
            omitStages: [ResponseStarted]
          """);

  @Test
  void eventsBecomeTheRequestsKubeApiserverEvaluated() throws IOException {
    Path log =
        log(
            // create: objectRef.name is back-filled; the request had no name, so rule 1 misses
            "{\"auditID\":\"1\",\"stage\":\"ResponseComplete\",\"verb\":\"create\","
                + "\"requestURI\":\"/api/v1/namespaces/a/configmaps\",\"user\":{\"username\":\"u\"},"
                + "\"objectRef\":{\"resource\":\"configmaps\",\"namespace\":\"a\",\"name\":\"cfg\"}}",
            // a list named by fieldSelector
            "{\"auditID\":\"2\",\"stage\":\"ResponseComplete\",\"verb\":\"list\",\"requestURI\":"
                + "\"/api/v1/namespaces/a/configmaps?fieldSelector=metadata.name%3Dcfg\","
                + "\"user\":{\"username\":\"u\"}}",
            // the namespace object's own namespace
            "{\"auditID\":\"3\",\"stage\":\"ResponseComplete\",\"verb\":\"get\",\"requestURI\":"
                + "\"/api/v1/namespaces/prod\",\"user\":{\"username\":\"u\"}}",
            // impersonation: the authenticated user decides, not the impersonated one
            "{\"auditID\":\"4\",\"stage\":\"ResponseComplete\",\"verb\":\"get\",\"requestURI\":"
                + "\"/api/v1/pods\",\"user\":{\"username\":\"system:kube-proxy\"},"
                + "\"impersonatedUser\":{\"username\":\"root\",\"groups\":[\"admins\"]}}",
            // failed authentication: empty user, only ResponseStarted
            "{\"auditID\":\"5\",\"stage\":\"ResponseStarted\",\"verb\":\"list\",\"requestURI\":"
                + "\"/api/v1/pods\",\"user\":{},\"responseStatus\":{\"code\":401}}",
            // no requestURI: objectRef is used, the create's name ignored
            "{\"auditID\":\"6\",\"stage\":\"ResponseComplete\",\"verb\":\"create\","
                + "\"user\":{\"username\":\"u\",\"groups\":[\"admins\"]},"
                + "\"objectRef\":{\"resource\":\"configmaps\",\"namespace\":\"a\",\"name\":\"cfg\"}}",
            // RequestReceived is omitted by the policy
            "{\"auditID\":\"7\",\"stage\":\"RequestReceived\",\"verb\":\"get\",\"requestURI\":"
                + "\"/healthz\",\"user\":{\"username\":\"u\",\"groups\":[\"admins\"]}}");
    Run run = Run.of(POLICY, List.of(log), 1);
    assertThat(run.problems()).isEmpty();
    assertThat(run.events())
        .extracting(e ->
            e.get("auditID").asText()
                + " "
                + rule(e)
                + " "
                + e.get("level").asText()
                + " "
                + e.get("written").asBoolean())
        .containsExactly(
            "1 4 Metadata true",
            "2 1 RequestResponse true",
            "3 2 Request true",
            "4 0 None false",
            "5 4 Metadata false",
            "6 3 Request true",
            "7 3 Request false");
    assertThat(run.summary().fromObjectRef()).isEqualTo(1);
    assertThat(run.summary().identities())
        .extracting(Summary.Top::key)
        .containsExactly("u", "(no user)", "system:kube-proxy");
  }

  static String rule(JsonNode e) {
    return e.get("rule").isNull() ? "-" : e.get("rule").asText();
  }

  @Test
  void volumeDropsTheBodiesTheLevelDoesNotRecord() throws IOException {
    String req = "{\"kind\":\"ConfigMap\",\"data\":{\"k\":\"" + "v".repeat(1000) + "\"}}";
    String resp = "{\"kind\":\"ConfigMap\",\"metadata\":{\"managedFields\":[{\"manager\":\"x\"}]}}";
    String line =
        "{\"auditID\":\"1\",\"level\":\"RequestResponse\",\"stage\":\"ResponseComplete\","
            + "\"verb\":\"update\",\"requestURI\":\"/api/v1/namespaces/a/configmaps/c\","
            + "\"user\":{\"username\":\"u\"},\"requestObject\":"
            + req
            + ",\"responseObject\":"
            + resp
            + "}";
    Path log = log(line);
    long size = line.getBytes(StandardCharsets.UTF_8).length + 1L;
    long reqBody = req.length() + "requestObject".length() + 4L;
    long respBody = resp.length() + "responseObject".length() + 4L;
    for (String level : List.of("Metadata", "Request", "RequestResponse")) {
      Policy p = Run.policy(Run.METADATA_ALL.replace("Metadata", level));
      Summary s = Run.of(p, List.of(log), 1).summary();
      long expected =
          switch (level) {
            case "Metadata" -> size - reqBody - respBody;
            case "Request" -> size - respBody;
            default -> size;
          };
      assertThat(s.policy().writtenBytes()).as(level).isEqualTo(expected);
      assertThat(s.eventBytes()).isEqualTo(size);
    }
    Policy omf =
        Run.policy(
            """
            apiVersion: audit.k8s.io/v1
            kind: Policy
            omitManagedFields: true
            rules:
            - level: RequestResponse
            """);
    long managed = "\"managedFields\":[{\"manager\":\"x\"}]".length();
    assertThat(Run.of(omf, List.of(log), 1).summary().policy().writtenBytes())
        .isEqualTo(size - managed);
  }

  @Test
  void underRecordedEventsAreCounted() throws IOException {
    Path log =
        log(
            "{\"level\":\"Metadata\",\"stage\":\"ResponseComplete\",\"verb\":\"get\","
                + "\"requestURI\":\"/api/v1/pods/x\",\"user\":{\"username\":\"u\"}}");
    Summary s =
        Run.of(Run.policy(Run.METADATA_ALL.replace("Metadata", "Request")), List.of(log), 1)
            .summary();
    assertThat(s.policy().underRecorded()).isEqualTo(1);
  }

  @Test
  void compareTwoPolicies() throws IOException {
    Path log =
        log(
            "{\"stage\":\"ResponseComplete\",\"verb\":\"get\",\"requestURI\":\"/api/v1/pods/x\","
                + "\"user\":{\"username\":\"u\"}}",
            "{\"stage\":\"ResponseComplete\",\"verb\":\"get\",\"requestURI\":\"/healthz\","
                + "\"user\":{\"username\":\"u\"}}");
    Policy b =
        Run.policy(
            """
            apiVersion: audit.k8s.io/v1
            kind: Policy
            rules:
            - level: None
              nonResourceURLs: ["/healthz*"]
            - level: Request
            """);
    Run run = Run.of(Run.policy(Run.METADATA_ALL), Optional.of(b), List.of(log), 1);
    Summary s = run.summary();
    assertThat(s.compare()).isPresent();
    assertThat(s.compare().get().written()).isEqualTo(1);
    assertThat(s.changes())
        .containsExactlyInAnyOrder(
            new Summary.LevelChange(Level.METADATA, Level.REQUEST, 1),
            new Summary.LevelChange(Level.METADATA, Level.NONE, 1));
    assertThat(run.events().get(1).get("compare").get("level").asText()).isEqualTo("None");
    assertThat(run.events().get(1).get("compare").get("rule").asInt()).isZero();
  }

  @Test
  void threadsAndChunksDoNotChangeTheResult() throws IOException {
    Path p = dir.resolve("many.log");
    try (Writer w = Files.newBufferedWriter(p)) {
      for (int i = 0; i < 60_000; i++) {
        String pad = "x".repeat(i % 300);
        w.write(
            "{\"auditID\":\""
                + i
                + "\",\"stage\":\"ResponseComplete\",\"verb\":\""
                + (i % 3 == 0 ? "list" : "get")
                + "\",\"requestURI\":\"/api/v1/namespaces/n"
                + (i % 7)
                + "/pods/p"
                + i
                + "\",\"user\":{\"username\":\"user"
                + (i % 13)
                + "\"},\"requestObject\":{\"pad\":\""
                + pad
                + "\"}}\n");
        if (i % 9999 == 0) {
          w.write("garbage\n");
        }
      }
    }
    assertThat(Files.size(p)).isGreaterThan(3L * Pipeline.CHUNK);
    Run one = Run.of(POLICY, List.of(p), 1);
    Run three = Run.of(POLICY, List.of(p), 3);
    assertThat(three.events()).isEqualTo(one.events());
    assertThat(three.problems()).isEqualTo(one.problems());
    assertThat(three.summary()).isEqualTo(one.summary());
    assertThat(one.summary().events()).isEqualTo(60_000);
    assertThat(one.problems())
        .extracting(LineProblem::line)
        .containsExactly(2L, 10002L, 20002L, 30002L, 40002L, 50002L, 60002L);
    assertThat(one.events().get(59_999).get("line").asLong()).isEqualTo(60_007);
    // Without per-event output the workers number lines and the emitter adds each chunk's base.
    Run summaryOnly = Run.of(POLICY, Optional.empty(), List.of(p), 2, false);
    assertThat(summaryOnly.problems()).isEqualTo(one.problems());
    assertThat(summaryOnly.summary()).isEqualTo(one.summary());
    assertThat(summaryOnly.events()).isEmpty();
  }
}
