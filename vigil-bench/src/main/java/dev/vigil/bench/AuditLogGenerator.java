package dev.vigil.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;

/**
 * Writes a realistic kube-apiserver audit log (JSON lines, as the log backend writes them) for
 * benchmarks: the traffic of a 50-node cluster recorded with a Metadata-by-default policy that
 * keeps request bodies of node and controller writes and full pod bodies — node leases and status
 * patches, controller reads and writes, kube-proxy watches (started and completed), events, kubectl
 * users (lists, execs, forbidden reads), health probes, failed authentication. Event sizes follow
 * what the reference measured (Metadata about 0.6 KB, Request about 0.9 KB, RequestResponse 2 to 4
 * KB). Deterministic for a given seed.
 *
 * <p>Over 600 lines only because the formatter puts each argument of the request templates on a
 * line of its own; the templates are easiest to compare side by side in one method.
 *
 * <p>Runs without a build: {@code java vigil-bench/src/main/java/dev/vigil/bench/
 * AuditLogGenerator.java --events 1000000 --out /tmp/audit.log}.
 */
public final class AuditLogGenerator {
  private static final DateTimeFormatter MICROS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
  private static final String[] CONTROLLERS = {
    "replicaset-controller",
    "deployment-controller",
    "endpointslice-controller",
    "namespace-controller",
    "job-controller",
    "cronjob-controller",
    "daemon-set-controller",
    "statefulset-controller",
    "horizontal-pod-autoscaler",
    "generic-garbage-collector",
    "resourcequota-controller",
    "service-account-controller",
    "node-controller",
    "persistent-volume-binder",
    "attachdetach-controller",
    "pvc-protection-controller"
  };
  private static final String[] HUMANS = {
    "alice@example.com",
    "bob@example.com",
    "carol@example.com",
    "dave@example.com",
    "erin@example.com",
    "frank@example.com"
  };
  private static final String[] NAMESPACES = {
    "default",
    "kube-system",
    "prod",
    "staging",
    "monitoring",
    "ingress-nginx",
    "payments",
    "search",
    "batch-jobs",
    "cert-manager"
  };
  private static final String[] APPS = {
    "api", "web", "worker", "cache", "db-proxy", "frontend", "checkout", "indexer", "scheduler"
  };

  final SplittableRandom rnd;
  private final StringBuilder sb = new StringBuilder(8192);
  private long clockMicros = 1_772_359_200_000_000L; // 2026-03-01T10:00:00Z

  private final AuditBodies bodies;

  private AuditLogGenerator(long seed) {
    this.rnd = new SplittableRandom(seed);
    this.bodies = new AuditBodies(this);
  }

  public static void main(String[] args) throws IOException {
    long events = 1_000_000;
    Path out = Path.of("audit.log");
    long seed = 1;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--events" -> events = Long.parseLong(args[i + 1]);
        case "--out" -> out = Path.of(args[i + 1]);
        case "--seed" -> seed = Long.parseLong(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    write(events, seed, out);
    System.err.printf("wrote %,d events, %,d bytes to %s%n", events, Files.size(out), out);
  }

  /** Writes {@code events} events generated from {@code seed} to {@code out}. */
  public static void write(long events, long seed, Path out) throws IOException {
    AuditLogGenerator g = new AuditLogGenerator(seed);
    try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(out), 1 << 20)) {
      long written = 0;
      while (written < events) {
        written += g.request(os, events - written);
      }
    }
  }

  /** One request: one to three events (stages). Returns how many were written. */
  private int request(OutputStream os, long room) throws IOException {
    clockMicros += 200 + rnd.nextInt(600);
    int pick = rnd.nextInt(1000);
    int node = rnd.nextInt(50);
    String ns = NAMESPACES[rnd.nextInt(NAMESPACES.length)];
    String app = APPS[rnd.nextInt(APPS.length)];
    String pod = app + "-" + hex(10) + "-" + hex(5);
    String nodeUser = "system:node:node-" + node;
    String nodeGroups = "[\"system:nodes\",\"system:authenticated\"]";
    if (pick < 220) { // node lease renewals
      return write(
          os,
          room,
          "update",
          "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/node-" + node,
          nodeUser,
          nodeGroups,
          "coordination.k8s.io",
          "leases",
          "",
          "kube-node-lease",
          "node-" + node,
          "Request",
          200,
          bodies.lease(node),
          "",
          false);
    }
    if (pick < 330) { // node status patches
      return write(
          os,
          room,
          "patch",
          "/api/v1/nodes/node-" + node + "/status?timeout=10s",
          nodeUser,
          nodeGroups,
          "",
          "nodes",
          "status",
          "",
          "node-" + node,
          "Request",
          200,
          bodies.nodeStatus(),
          "",
          false);
    }
    if (pick < 420) { // pod status patches from kubelets
      return write(
          os,
          room,
          "patch",
          "/api/v1/namespaces/" + ns + "/pods/" + pod + "/status",
          nodeUser,
          nodeGroups,
          "",
          "pods",
          "status",
          ns,
          pod,
          "Request",
          200,
          bodies.podStatus(),
          "",
          false);
    }
    if (pick < 560) { // controller reads
      String c = CONTROLLERS[rnd.nextInt(CONTROLLERS.length)];
      String res = rnd.nextBoolean() ? "configmaps" : "endpoints";
      return write(
          os,
          room,
          "get",
          "/api/v1/namespaces/" + ns + "/" + res + "/" + app,
          sa("kube-system", c),
          saGroups("kube-system"),
          "",
          res,
          "",
          ns,
          app,
          "Metadata",
          200,
          "",
          "",
          false);
    }
    if (pick < 640) { // controller writes with bodies
      String c = CONTROLLERS[rnd.nextInt(CONTROLLERS.length)];
      return write(
          os,
          room,
          "update",
          "/apis/apps/v1/namespaces/" + ns + "/deployments/" + app + "/status",
          sa("kube-system", c),
          saGroups("kube-system"),
          "apps",
          "deployments",
          "status",
          ns,
          app,
          "Request",
          200,
          bodies.deploymentStatus(app),
          "",
          false);
    }
    if (pick < 700) { // pod creates with full bodies
      String body = bodies.podSpec(pod, ns, app);
      return write(
          os,
          room,
          "create",
          "/api/v1/namespaces/" + ns + "/pods",
          sa("kube-system", "replicaset-controller"),
          saGroups("kube-system"),
          "",
          "pods",
          "",
          ns,
          pod,
          "RequestResponse",
          201,
          body,
          body,
          false);
    }
    if (pick < 780) { // kube-proxy and controller watches (long-running)
      String who =
          rnd.nextBoolean()
              ? "system:kube-proxy"
              : sa("kube-system", CONTROLLERS[rnd.nextInt(CONTROLLERS.length)]);
      return write(
          os,
          room,
          "watch",
          "/apis/discovery.k8s.io/v1/endpointslices?allowWatchBookmarks=true&resourceVersion="
              + rnd.nextInt(9_000_000)
              + "&timeout=9m7s&timeoutSeconds=547&watch=true",
          who,
          "[\"system:authenticated\"]",
          "discovery.k8s.io",
          "endpointslices",
          "",
          "",
          "",
          "Metadata",
          200,
          "",
          "",
          true);
    }
    if (pick < 860) { // events from kubelets
      String name = pod + "." + hex(16);
      return write(
          os,
          room,
          "create",
          "/api/v1/namespaces/" + ns + "/events",
          nodeUser,
          nodeGroups,
          "",
          "events",
          "",
          ns,
          name,
          "Request",
          201,
          bodies.event(name, ns, pod),
          "",
          false);
    }
    if (pick < 920) { // kubectl users
      String user = HUMANS[rnd.nextInt(HUMANS.length)];
      int kind = rnd.nextInt(10);
      String groups = "[\"developers\",\"system:authenticated\"]";
      if (kind < 6) {
        return write(
            os,
            room,
            "list",
            "/api/v1/namespaces/" + ns + "/pods?limit=500",
            user,
            groups,
            "",
            "pods",
            "",
            ns,
            "",
            "Metadata",
            200,
            "",
            "",
            false);
      }
      if (kind < 8) {
        return write(
            os,
            room,
            "list",
            "/api/v1/namespaces/" + ns + "/secrets?limit=500",
            user,
            groups,
            "",
            "secrets",
            "",
            ns,
            "",
            "Metadata",
            403,
            "",
            "",
            false);
      }
      return write(
          os,
          room,
          "create",
          "/api/v1/namespaces/"
              + ns
              + "/pods/"
              + pod
              + "/exec?command=sh&container="
              + app
              + "&stdin=true&stdout=true&tty=true",
          user,
          groups,
          "",
          "pods",
          "exec",
          ns,
          pod,
          "Metadata",
          101,
          "",
          "",
          true);
    }
    if (pick < 985) { // probes and discovery
      String path =
          switch (rnd.nextInt(4)) {
            case 0 -> "/healthz";
            case 1 -> "/livez";
            case 2 -> "/readyz?verbose";
            default -> "/apis/apps/v1?timeout=32s";
          };
      return write(
          os,
          room,
          "get",
          path,
          rnd.nextBoolean() ? "system:anonymous" : "system:kube-scheduler",
          "[\"system:authenticated\"]",
          "",
          "",
          "",
          "",
          "",
          "Metadata",
          200,
          "",
          "",
          false);
    }
    return unauthorized(os);
  }

  private int write(
      OutputStream os,
      long room,
      String verb,
      String uri,
      String user,
      String groups,
      String group,
      String resource,
      String sub,
      String ns,
      String name,
      String level,
      int code,
      String request,
      String response,
      boolean longRunning)
      throws IOException {
    String id = uuid();
    long received = clockMicros;
    int n = 0;
    if (room > 1 && rnd.nextInt(4) == 0) { // some logs keep RequestReceived too
      line(
          os,
          id,
          "RequestReceived",
          verb,
          uri,
          user,
          groups,
          group,
          resource,
          sub,
          ns,
          name,
          level,
          0,
          "",
          "",
          received,
          received);
      n++;
    }
    if (longRunning && room - n > 1) {
      line(
          os,
          id,
          "ResponseStarted",
          verb,
          uri,
          user,
          groups,
          group,
          resource,
          sub,
          ns,
          name,
          level,
          code,
          "",
          "",
          received,
          received + 900);
      n++;
    }
    line(
        os,
        id,
        "ResponseComplete",
        verb,
        uri,
        user,
        groups,
        group,
        resource,
        sub,
        ns,
        name,
        level,
        code,
        request,
        response,
        received,
        received + 1500 + rnd.nextInt(30000));
    return n + 1;
  }

  private void line(
      OutputStream os,
      String id,
      String stage,
      String verb,
      String uri,
      String user,
      String groups,
      String group,
      String resource,
      String sub,
      String ns,
      String name,
      String level,
      int code,
      String request,
      String response,
      long received,
      long at)
      throws IOException {
    sb.setLength(0);
    sb.append("{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"level\":\"")
        .append(level)
        .append("\",\"auditID\":\"")
        .append(id)
        .append("\",\"stage\":\"")
        .append(stage)
        .append("\",\"requestURI\":\"")
        .append(uri.replace("&", "\\u0026"))
        .append("\",\"verb\":\"")
        .append(verb)
        .append("\",\"user\":{\"username\":\"")
        .append(user)
        .append("\",\"uid\":\"")
        .append(uid(user))
        .append("\",\"groups\":")
        .append(groups)
        .append("},\"sourceIPs\":[\"10.0.")
        .append(rnd.nextInt(8))
        .append('.')
        .append(rnd.nextInt(250))
        .append("\"],\"userAgent\":\"")
        .append(
            user.startsWith("system:node")
                ? "kubelet/v1.36.0 (linux/amd64) kubernetes/5b8f6e1"
                : "kube-controller-manager/v1.36.0 (linux/amd64) kubernetes/5b8f6e1/system:serviceaccount")
        .append('"');
    if (!resource.isEmpty()) {
      sb.append(",\"objectRef\":{\"resource\":\"").append(resource).append('"');
      if (!ns.isEmpty()) {
        sb.append(",\"namespace\":\"").append(ns).append('"');
      }
      if (!name.isEmpty()) {
        sb.append(",\"name\":\"").append(name).append('"');
      }
      if (!group.isEmpty()) {
        sb.append(",\"apiGroup\":\"").append(group).append('"');
      }
      sb.append(",\"apiVersion\":\"v1\"");
      if (!sub.isEmpty()) {
        sb.append(",\"subresource\":\"").append(sub).append('"');
      }
      sb.append('}');
    }
    if (code != 0) {
      sb.append(",\"responseStatus\":{\"metadata\":{}");
      if (code == 403) {
        sb.append(",\"status\":\"Failure\",\"message\":\"")
            .append(resource)
            .append(" is forbidden: User \\\"")
            .append(user)
            .append("\\\" cannot list resource \\\"")
            .append(resource)
            .append("\\\" in API group \\\"\\\" in the namespace \\\"")
            .append(ns)
            .append("\\\"\",\"reason\":\"Forbidden\",\"details\":{\"kind\":\"")
            .append(resource)
            .append("\"}");
      }
      sb.append(",\"code\":").append(code).append('}');
    }
    if (!request.isEmpty()) {
      sb.append(",\"requestObject\":").append(request);
    }
    if (!response.isEmpty() && stage.equals("ResponseComplete")) {
      sb.append(",\"responseObject\":").append(response);
    }
    sb.append(",\"requestReceivedTimestamp\":\"")
        .append(MICROS.format(micros(received)))
        .append("\",\"stageTimestamp\":\"")
        .append(MICROS.format(micros(at)))
        .append('"');
    if (!stage.equals("RequestReceived")) {
      sb.append(",\"annotations\":{\"authorization.k8s.io/decision\":\"")
          .append(code == 403 ? "forbid" : "allow")
          .append("\",\"authorization.k8s.io/reason\":\"")
          .append(
              code == 403 ? "" : "RBAC: allowed by ClusterRoleBinding \\\"system:controller\\\"")
          .append("\"}");
    }
    sb.append("}\n");
    os.write(sb.toString().getBytes(StandardCharsets.UTF_8));
  }

  private int unauthorized(OutputStream os) throws IOException {
    sb.setLength(0);
    long t = clockMicros;
    sb.append(
            "{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"level\":\"Metadata\",\"auditID\":\"")
        .append(uuid())
        .append("\",\"stage\":\"ResponseStarted\",\"requestURI\":\"/api/v1/namespaces/")
        .append("kube-system/secrets\",\"verb\":\"list\",\"user\":{},\"sourceIPs\":[\"203.0.113.")
        .append(rnd.nextInt(250))
        .append("\"],\"userAgent\":\"curl/8.5.0\",\"objectRef\":{\"resource\":")
        .append(
            "\"secrets\",\"namespace\":\"kube-system\",\"apiVersion\":\"v1\"},\"responseStatus\":")
        .append("{\"metadata\":{},\"status\":\"Failure\",\"message\":\"Unauthorized\",\"reason\":")
        .append("\"Unauthorized\",\"code\":401},\"requestReceivedTimestamp\":\"")
        .append(MICROS.format(micros(t)))
        .append("\",\"stageTimestamp\":\"")
        .append(MICROS.format(micros(t + 300)))
        .append("\"}\n");
    os.write(sb.toString().getBytes(StandardCharsets.UTF_8));
    return 1;
  }

  private static Instant micros(long m) {
    return Instant.ofEpochSecond(m / 1_000_000, (m % 1_000_000) * 1000);
  }

  private static String sa(String ns, String name) {
    return "system:serviceaccount:" + ns + ":" + name;
  }

  private static String saGroups(String ns) {
    return "[\"system:serviceaccounts\",\"system:serviceaccounts:"
        + ns
        + "\",\"system:authenticated\"]";
  }

  /** A user's UID: stable per user, as Kubernetes identities are. */
  private static String uid(String user) {
    java.util.UUID u = java.util.UUID.nameUUIDFromBytes(user.getBytes(StandardCharsets.UTF_8));
    return u.toString();
  }

  String uuid() {
    return hex(8) + "-" + hex(4) + "-4" + hex(3) + "-a" + hex(3) + "-" + hex(12);
  }

  String hex(int n) {
    char[] c = new char[n];
    for (int i = 0; i < n; i++) {
      c[i] = "0123456789abcdef".charAt(rnd.nextInt(16));
    }
    return new String(c);
  }
}
