package dev.vigil.bench;

/** Request and response bodies for {@link AuditLogGenerator}: the objects kube-apiserver logs. */
final class AuditBodies {
  private final AuditLogGenerator g;

  AuditBodies(AuditLogGenerator g) {
    this.g = g;
  }

  private String uuid() {
    return g.uuid();
  }

  private String hex(int n) {
    return g.hex(n);
  }

  String lease(int node) {
    return "{\"kind\":\"Lease\",\"apiVersion\":\"coordination.k8s.io/v1\",\"metadata\":{\"name\":\"node-"
        + node
        + "\",\"namespace\":\"kube-node-lease\",\"uid\":\""
        + uuid()
        + "\",\"resourceVersion\":\""
        + g.rnd.nextInt(90_000_000)
        + "\",\"creationTimestamp\":\"2026-01-12T08:00:00Z\",\"ownerReferences\":"
        + "[{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"name\":\"node-"
        + node
        + "\",\"uid\":\""
        + uuid()
        + "\"}],\"managedFields\":[{\"manager\":\"kubelet\",\"operation\":\"Update\",\"apiVersion\":"
        + "\"coordination.k8s.io/v1\",\"time\":\"2026-03-01T09:59:50Z\",\"fieldsType\":\"FieldsV1\","
        + "\"fieldsV1\":{\"f:spec\":{\"f:holderIdentity\":{},\"f:leaseDurationSeconds\":{},"
        + "\"f:renewTime\":{}}}}]},\"spec\":{\"holderIdentity\":\"node-"
        + node
        + "\",\"leaseDurationSeconds\":40,\"renewTime\":\"2026-03-01T10:00:00.000000Z\"}}";
  }

  String nodeStatus() {
    return "{\"status\":{\"$setElementOrder/conditions\":[{\"type\":\"MemoryPressure\"},{\"type\":"
        + "\"DiskPressure\"},{\"type\":\"PIDPressure\"},{\"type\":\"Ready\"}],\"conditions\":[{"
        + "\"lastHeartbeatTime\":\"2026-03-01T10:00:00Z\",\"type\":\"MemoryPressure\"},{"
        + "\"lastHeartbeatTime\":\"2026-03-01T10:00:00Z\",\"type\":\"DiskPressure\"},{"
        + "\"lastHeartbeatTime\":\"2026-03-01T10:00:00Z\",\"type\":\"PIDPressure\"},{"
        + "\"lastHeartbeatTime\":\"2026-03-01T10:00:00Z\",\"type\":\"Ready\"}],\"images\":[{\"names\":"
        + "[\"registry.example.com/app@sha256:"
        + hex(64)
        + "\"],\"sizeBytes\":"
        + g.rnd.nextInt(900_000_000)
        + "}]}}";
  }

  String podStatus() {
    return "{\"metadata\":{\"uid\":\""
        + uuid()
        + "\"},\"status\":{\"$setElementOrder/conditions\":"
        + "[{\"type\":\"Initialized\"},{\"type\":\"Ready\"},{\"type\":\"ContainersReady\"},{\"type\":"
        + "\"PodScheduled\"}],\"conditions\":[{\"lastTransitionTime\":\"2026-03-01T10:00:00Z\",\"status\":"
        + "\"True\",\"type\":\"Ready\"}],\"containerStatuses\":[{\"containerID\":\"containerd://"
        + hex(64)
        + "\",\"ready\":true,\"restartCount\":0,\"started\":true,\"state\":{\"running\":{\"startedAt\":"
        + "\"2026-03-01T09:58:00Z\"}}}]}}";
  }

  String deploymentStatus(String app) {
    return "{\"kind\":\"Deployment\",\"apiVersion\":\"apps/v1\",\"metadata\":{\"name\":\""
        + app
        + "\",\"uid\":\""
        + uuid()
        + "\",\"resourceVersion\":\""
        + g.rnd.nextInt(90_000_000)
        + "\",\"generation\":"
        + g.rnd.nextInt(50)
        + "},\"status\":{\"observedGeneration\":3,\"replicas\":3,"
        + "\"updatedReplicas\":3,\"readyReplicas\":3,\"availableReplicas\":3,\"conditions\":[{\"type\":"
        + "\"Available\",\"status\":\"True\",\"reason\":\"MinimumReplicasAvailable\"},{\"type\":"
        + "\"Progressing\",\"status\":\"True\",\"reason\":\"NewReplicaSetAvailable\"}]}}";
  }

  String event(String name, String ns, String pod) {
    return "{\"kind\":\"Event\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\""
        + name
        + "\",\"namespace\":\""
        + ns
        + "\"},\"involvedObject\":{\"kind\":\"Pod\",\"namespace\":\""
        + ns
        + "\",\"name\":\""
        + pod
        + "\",\"uid\":\""
        + uuid()
        + "\",\"apiVersion\":\"v1\"},\"reason\":\"Pulled\",\"message\":"
        + "\"Container image \\\"registry.example.com/app:1.4."
        + g.rnd.nextInt(9)
        + "\\\" already present on machine\","
        + "\"source\":{\"component\":\"kubelet\",\"host\":\"node-"
        + g.rnd.nextInt(50)
        + "\"},\"count\":1,"
        + "\"type\":\"Normal\",\"reportingComponent\":\"kubelet\"}";
  }

  String podSpec(String pod, String ns, String app) {
    return "{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\""
        + pod
        + "\",\"generateName\":\""
        + app
        + "-\",\"namespace\":\""
        + ns
        + "\",\"uid\":\""
        + uuid()
        + "\",\"labels\":{\"app\":\""
        + app
        + "\",\"pod-template-hash\":\""
        + hex(10)
        + "\"},\"ownerReferences\":[{\"apiVersion\":\"apps/v1\","
        + "\"kind\":\"ReplicaSet\",\"name\":\""
        + app
        + "-"
        + hex(10)
        + "\",\"uid\":\""
        + uuid()
        + "\",\"controller\":true,\"blockOwnerDeletion\":true}]},\"spec\":{\"volumes\":[{\"name\":"
        + "\"kube-api-access-"
        + hex(5)
        + "\",\"projected\":{\"sources\":[{\"serviceAccountToken\":{"
        + "\"expirationSeconds\":3607,\"path\":\"token\"}},{\"configMap\":{\"name\":\"kube-root-ca.crt\","
        + "\"items\":[{\"key\":\"ca.crt\",\"path\":\"ca.crt\"}]}}],\"defaultMode\":420}}],\"containers\":[{"
        + "\"name\":\""
        + app
        + "\",\"image\":\"registry.example.com/"
        + app
        + ":1.4."
        + g.rnd.nextInt(9)
        + "\",\"ports\":[{\"containerPort\":8080,\"protocol\":\"TCP\"}],\"env\":[{\"name\":\"LOG_LEVEL\","
        + "\"value\":\"info\"},{\"name\":\"POD_NAME\",\"valueFrom\":{\"fieldRef\":{\"apiVersion\":\"v1\","
        + "\"fieldPath\":\"metadata.name\"}}}],\"resources\":{\"limits\":{\"cpu\":\"500m\",\"memory\":"
        + "\"512Mi\"},\"requests\":{\"cpu\":\"100m\",\"memory\":\"128Mi\"}},\"volumeMounts\":[{\"name\":"
        + "\"kube-api-access\",\"readOnly\":true,\"mountPath\":\"/var/run/secrets/kubernetes.io/serviceaccount\"}],"
        + "\"livenessProbe\":{\"httpGet\":{\"path\":\"/healthz\",\"port\":8080,\"scheme\":\"HTTP\"},"
        + "\"periodSeconds\":10},\"securityContext\":{\"allowPrivilegeEscalation\":false,\"runAsNonRoot\":true,"
        + "\"capabilities\":{\"drop\":[\"ALL\"]}}}],\"restartPolicy\":\"Always\",\"serviceAccountName\":"
        + "\"default\",\"securityContext\":{\"seccompProfile\":{\"type\":\"RuntimeDefault\"}},\"priority\":0,"
        + "\"enableServiceLinks\":true},\"status\":{\"phase\":\"Pending\",\"qosClass\":\"Burstable\"}}";
  }
}
