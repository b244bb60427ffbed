package dev.vigil.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Large multi-document manifest files for {@link PostureScanBenchmark}, generated
 * deterministically.
 *
 * <ul>
 *   <li>{@code pods}: restricted-clean Pods, one container each, image pinned by digest, a full
 *       flow-style {@code securityContext} (the input of the first end-to-end measurements in
 *       docs/benchmarks.md, with unique names); no findings, so {@code --fix} changes nothing.
 *   <li>{@code chart}: what {@code helm template} prints for many charts: per workload a Service
 *       and a workload (Deployment, StatefulSet, DaemonSet, CronJob in turn) in block style with
 *       {@code # Source:} comments, labels, annotations, ports, env, resources, probes and a
 *       ConfigMap mount, running nginx, postgres, redis or an app image by tag, with a partial
 *       {@code securityContext}: each fails restricted (escalation, capabilities, seccomp, root)
 *       and the immutability checks, so {@code --fix} has work on every workload.
 * </ul>
 */
public final class SyntheticManifests {
  private SyntheticManifests() {}

  /**
   * Writes a file for the whole-command harness ({@code scripts/bench-scan}): {@code SET WORKLOADS
   * FILE}.
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 3) {
      System.err.println("usage: SyntheticManifests pods|chart WORKLOADS FILE");
      System.exit(2);
    }
    Files.writeString(
        Path.of(args[2]), generate(args[0], Integer.parseInt(args[1])), StandardCharsets.UTF_8);
  }

  static String generate(String set, int workloads) {
    StringBuilder b = new StringBuilder(workloads * (set.equals("pods") ? 400 : 2200));
    for (int i = 0; i < workloads; i++) {
      switch (set) {
        case "pods" -> pod(b, i);
        case "chart" -> chart(b, i);
        default -> throw new IllegalArgumentException("unknown manifest set " + set);
      }
    }
    return b.toString();
  }

  private static void pod(StringBuilder b, int i) {
    b.append(
        String.format(
            Locale.ROOT,
            """
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: p-%06d}
            spec:
              containers:
              - name: c
                image: registry.example.com/app@sha256:%s
                securityContext: {allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, \
            runAsNonRoot: true, capabilities: {drop: [ALL]}, seccompProfile: {type: RuntimeDefault}}
            """,
            i,
            "0".repeat(64)));
  }

  private static final String[] IMAGES = {
    "nginx:1.27.3", "postgres:16.4", "redis:7.4", "registry.example.com/team/api:2.14.0"
  };

  private static void chart(StringBuilder b, int i) {
    String name = String.format(Locale.ROOT, "app-%06d", i);
    String image = IMAGES[i % IMAGES.length];
    b.append(
        String.format(
            Locale.ROOT,
            """
            ---
            # Source: %1$s/templates/service.yaml
            apiVersion: v1
            kind: Service
            metadata:
              name: %1$s
              labels:
                app.kubernetes.io/name: %1$s
                app.kubernetes.io/instance: release-%2$d
                helm.sh/chart: %1$s-0.%2$d.0
            spec:
              type: ClusterIP
              ports:
                - port: 80
                  targetPort: http
                  protocol: TCP
                  name: http
              selector:
                app.kubernetes.io/name: %1$s
            """,
            name,
            i % 97));
    String kind =
        switch (i % 4) {
          case 0 -> "Deployment";
          case 1 -> "StatefulSet";
          case 2 -> "DaemonSet";
          default -> "CronJob";
        };
    String apiVersion = kind.equals("CronJob") ? "batch/v1" : "apps/v1";
    b.append(
        String.format(
            Locale.ROOT,
            """
            ---
            # Source: %1$s/templates/%2$s.yaml
            apiVersion: %3$s
            kind: %4$s
            metadata:
              name: %1$s
              namespace: team-%5$d
              labels:
                app.kubernetes.io/name: %1$s
                app.kubernetes.io/managed-by: Helm
            spec:
            """,
            name,
            kind.toLowerCase(Locale.ROOT),
            apiVersion,
            kind,
            i % 13));
    switch (kind) {
      case "Deployment" -> b.append("  replicas: 2\n");
      case "StatefulSet" -> b.append("  serviceName: ").append(name).append('\n');
      case "CronJob" ->
          b.append("  schedule: \"*/5 * * * *\"\n  jobTemplate:\n    spec:\n      template:\n");
      default -> {}
    }
    if (!kind.equals("CronJob")) {
      b.append("  selector:\n    matchLabels:\n      app.kubernetes.io/name: ")
          .append(name)
          .append("\n  template:\n");
    }
    String t = kind.equals("CronJob") ? "        " : "    ";
    String body =
        String.format(
            Locale.ROOT,
            """
            metadata:
              labels:
                app.kubernetes.io/name: %1$s
              annotations:
                checksum/config: 5f1a8c1e1b7e2f0c9d3a4b6e8f0a1c2d
            spec:
              serviceAccountName: %1$s
              securityContext:
                fsGroup: 2000
              containers:
                - name: %1$s
                  image: "%2$s"
                  imagePullPolicy: IfNotPresent
                  securityContext:
                    runAsUser: 1000
                  ports:
                    - name: http
                      containerPort: 8080
                      protocol: TCP
                  env:
                    - name: LOG_LEVEL
                      value: info
                    - name: POD_NAME
                      valueFrom:
                        fieldRef:
                          fieldPath: metadata.name
                  livenessProbe:
                    httpGet:
                      path: /healthz
                      port: http
                  readinessProbe:
                    httpGet:
                      path: /ready
                      port: http
                  resources:
                    limits:
                      cpu: 500m
                      memory: 256Mi
                    requests:
                      cpu: 100m
                      memory: 128Mi
                  volumeMounts:
                    - name: config
                      mountPath: /etc/%1$s
              volumes:
                - name: config
                  configMap:
                    name: %1$s
            """,
            name,
            image);
    if (kind.equals("CronJob")) {
      body = body.replace("  containers:", "  restartPolicy: OnFailure\n  containers:");
    }
    for (String line : body.split("\n", -1)) {
      if (!line.isEmpty()) {
        b.append(t).append(line).append('\n');
      }
    }
  }
}
