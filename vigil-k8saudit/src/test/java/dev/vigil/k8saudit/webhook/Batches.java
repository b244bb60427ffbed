package dev.vigil.k8saudit.webhook;

import java.nio.charset.StandardCharsets;

/** EventList bodies shaped as kube-apiserver's webhook backend sends them. */
final class Batches {
  private Batches() {}

  /** The auditID of event {@code i} of batch {@code batch} of client {@code client}. */
  static String auditId(int client, int batch, int i) {
    return String.format("%08x-%04x-4000-8000-%012x", client, batch & 0xffff, i);
  }

  /** One event, its fields in the apiserver's order. */
  static String event(String auditId, int n) {
    return "{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"level\":\"Metadata\","
        + "\"auditID\":\""
        + auditId
        + "\",\"stage\":\"ResponseComplete\","
        + "\"requestURI\":\"/api/v1/namespaces/default/pods/web-"
        + n
        + "\",\"verb\":\"get\","
        + "\"user\":{\"username\":\"system:serviceaccount:kube-system:replicaset-controller\","
        + "\"uid\":\"2d1e5b6a-1d8e-4b8e-9a57-0c2f1d9f6f11\","
        + "\"groups\":[\"system:serviceaccounts\",\"system:authenticated\"]},"
        + "\"sourceIPs\":[\"10.0.0.12\"],\"userAgent\":\"kube-controller-manager/v1.36.0\","
        + "\"objectRef\":{\"resource\":\"pods\",\"namespace\":\"default\",\"name\":\"web-"
        + n
        + "\",\"apiVersion\":\"v1\"},\"responseStatus\":{\"metadata\":{},\"code\":200},"
        + "\"requestReceivedTimestamp\":\"2026-11-22T10:00:00.000000Z\","
        + "\"stageTimestamp\":\"2026-11-22T10:00:00.001000Z\","
        + "\"annotations\":{\"authorization.k8s.io/decision\":\"allow\","
        + "\"authorization.k8s.io/reason\":\"RBAC: allowed by ClusterRoleBinding\"}}";
  }

  /** An EventList of {@code size} events of one client's batch. */
  static byte[] eventList(int client, int batch, int size) {
    StringBuilder sb =
        new StringBuilder(size * 900)
            .append("{\"kind\":\"EventList\",\"apiVersion\":\"audit.k8s.io/v1\",")
            .append("\"metadata\":{},\"items\":[");
    for (int i = 0; i < size; i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(event(auditId(client, batch, i), i));
    }
    return sb.append("]}").toString().getBytes(StandardCharsets.UTF_8);
  }
}
