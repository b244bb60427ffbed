package dev.vigil.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The training run of the JVM's ahead-of-time cache (JDK 25, {@code -XX:AOTCacheOutput}), which
 * {@code ./vigil} makes once per build of the jar: the commands whose start-up and warm-up matter
 * most, run in one JVM over a synthetic audit log and policy written to a temporary directory, so
 * that the cache holds their classes loaded and linked. The launcher records no method profiles
 * ({@code -XX:-AOTRecordTraining}): profiles of these small synthetic inputs made C2 compile the
 * scanners for branches a real log takes the other way, then deoptimize and compile them again.
 * Output is discarded; the exit code is 0 unless the training itself failed.
 */
final class AotTraining {
  private static final int EVENTS = 20_000;

  private AotTraining() {}

  /** Trains in a temporary directory under {@code args[0]}, or the system's when not given. */
  public static void main(String[] args) throws IOException {
    Path dir =
        args.length > 0
            ? Files.createTempDirectory(Path.of(args[0]), "vigil-aot-training")
            : Files.createTempDirectory("vigil-aot-training");
    try {
      Path log = dir.resolve("audit.log");
      Path policy = dir.resolve("policy.yaml");
      writeLog(log);
      Files.writeString(policy, POLICY);
      String l = log.toString();
      String p = policy.toString();
      List<List<String>> runs =
          List.of(
              List.of("--version"),
              List.of("audit", "query", "ka.verb=delete and ka.target.resource=secrets", l),
              List.of(
                  "audit",
                  "query",
                  "ka.response.code=403",
                  l,
                  "--format",
                  "csv",
                  "--fields",
                  "evt.time,ka.user.name,ka.verb,ka.uri"),
              List.of("audit", "query", "ka.verb in (get,list)", l),
              List.of("audit", "policy", "simulate", p, l),
              List.of("audit", "policy", "simulate", p, l, "--json"));
      PrintWriter none = new PrintWriter(Writer.nullWriter());
      for (List<String> run : runs) {
        int code = Main.run(run.toArray(String[]::new), none, none);
        if (code != ExitCode.OK) {
          throw new IllegalStateException("training run " + run + " exited with " + code);
        }
      }
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(f);
        }
      }
    }
  }

  private static final String POLICY =
      """
      apiVersion: audit.k8s.io/v1
      kind: Policy
      omitStages: ["RequestReceived"]
      rules:
        - level: None
          users: ["system:kube-proxy"]
          verbs: ["watch"]
          resources: [{group: "", resources: ["endpoints", "services"]}]
        - level: None
          nonResourceURLs: ["/healthz*", "/version"]
        - level: Metadata
          resources: [{group: "", resources: ["secrets", "configmaps"]}]
        - level: Request
          verbs: ["get", "list", "watch"]
        - level: RequestResponse
          resources: [{group: ""}, {group: "apps"}, {group: "coordination.k8s.io"}]
        - level: Metadata
      """;

  /** Kinds of request in the synthetic log: node status, leases, reads, writes, denials. */
  private static void writeLog(Path log) throws IOException {
    try (BufferedWriter w = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
      for (int i = 0; i < EVENTS; i++) {
        int node = i % 50;
        String ts = String.format("2026-03-01T10:%02d:%02d.%06dZ", i / 6000 % 60, i / 100 % 60, i);
        String common =
            "\"requestReceivedTimestamp\":\"" + ts + "\",\"stageTimestamp\":\"" + ts + "\"}";
        String head =
            "{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"level\":\"Request\","
                + "\"auditID\":\"00000000-0000-4000-8000-"
                + String.format("%012d", i)
                + "\",\"stage\":\"ResponseComplete\",";
        w.write(
            head
                + switch (i % 8) {
                  case 0, 1 ->
                      "\"requestURI\":\"/api/v1/nodes/node-"
                          + node
                          + "/status?timeout=10s\",\"verb\":\"patch\",\"user\":{\"username\":"
                          + "\"system:node:node-"
                          + node
                          + "\",\"groups\":[\"system:nodes\",\"system:authenticated\"]},"
                          + "\"sourceIPs\":[\"10.0.1."
                          + node
                          + "\"],\"userAgent\":\"kubelet/v1.36.0\",\"objectRef\":{\"resource\":"
                          + "\"nodes\",\"name\":\"node-"
                          + node
                          + "\",\"apiVersion\":\"v1\",\"subresource\":\"status\"},"
                          + "\"responseStatus\":{\"metadata\":{},\"code\":200},\"requestObject\":"
                          + "{\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":"
                          + "\"True\"}]}},";
                  case 2 ->
                      "\"requestURI\":\"/apis/coordination.k8s.io/v1/namespaces/kube-node-lease"
                          + "/leases/node-"
                          + node
                          + "\",\"verb\":\"update\",\"user\":{\"username\":\"system:node:node-"
                          + node
                          + "\",\"groups\":[\"system:nodes\"]},\"objectRef\":{\"resource\":"
                          + "\"leases\",\"namespace\":\"kube-node-lease\",\"name\":\"node-"
                          + node
                          + "\",\"apiGroup\":\"coordination.k8s.io\",\"apiVersion\":\"v1\"},"
                          + "\"responseStatus\":{\"metadata\":{},\"code\":200},";
                  case 3 ->
                      "\"requestURI\":\"/api/v1/namespaces/team-"
                          + (i % 7)
                          + "/pods?limit=500\",\"verb\":\"list\",\"user\":{\"username\":"
                          + "\"alice@example.com\",\"groups\":[\"dev\",\"system:authenticated\"]},"
                          + "\"objectRef\":{\"resource\":\"pods\",\"namespace\":\"team-"
                          + (i % 7)
                          + "\",\"apiVersion\":\"v1\"},\"responseStatus\":{\"metadata\":{},"
                          + "\"code\":200},";
                  case 4 ->
                      "\"requestURI\":\"/api/v1/endpoints?watch=true\",\"verb\":\"watch\","
                          + "\"user\":{\"username\":\"system:kube-proxy\"},\"objectRef\":"
                          + "{\"resource\":\"endpoints\",\"apiVersion\":\"v1\"},";
                  case 5 ->
                      "\"requestURI\":\"/api/v1/namespaces/prod/secrets/db-"
                          + (i % 5)
                          + "\",\"verb\":\""
                          + (i % 3 == 0 ? "delete" : "get")
                          + "\",\"user\":{\"username\":\"bob\",\"groups\":[\"ops\"]},"
                          + "\"objectRef\":{\"resource\":\"secrets\",\"namespace\":\"prod\","
                          + "\"name\":\"db-"
                          + (i % 5)
                          + "\",\"apiVersion\":\"v1\"},\"responseStatus\":{\"metadata\":{},"
                          + "\"status\":\"Failure\",\"reason\":\"Forbidden\",\"code\":403},";
                  case 6 ->
                      "\"requestURI\":\"/healthz\",\"verb\":\"get\",\"user\":{\"username\":"
                          + "\"system:anonymous\",\"groups\":[\"system:unauthenticated\"]},"
                          + "\"responseStatus\":{\"metadata\":{},\"code\":200},";
                  default ->
                      "\"requestURI\":\"/apis/apps/v1/namespaces/team-"
                          + (i % 7)
                          + "/deployments\",\"verb\":\"create\",\"user\":{\"username\":"
                          + "\"system:serviceaccount:kube-system:deployer\"},\"objectRef\":"
                          + "{\"resource\":\"deployments\",\"namespace\":\"team-"
                          + (i % 7)
                          + "\",\"name\":\"web\",\"apiGroup\":\"apps\",\"apiVersion\":\"v1\"},"
                          + "\"responseStatus\":{\"metadata\":{},\"code\":201},\"requestObject\":"
                          + "{\"kind\":\"Deployment\",\"spec\":{\"replicas\":3}},"
                          + "\"responseObject\":{\"kind\":\"Deployment\",\"status\":{}},";
                }
                + common);
        w.write('\n');
      }
    }
  }
}
