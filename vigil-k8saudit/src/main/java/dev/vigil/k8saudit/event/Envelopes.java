package dev.vigil.k8saudit.event;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Audit events inside cloud providers' log records, turned back into native audit events.
 *
 * <p>AKS diagnostic records ({@code category} kube-audit or kube-audit-admin) carry the native
 * event in {@code properties.log}, as a JSON string or an object: it is taken as it is. GKE Cloud
 * Audit Logs LogEntries do not contain the native event; the event is rebuilt from the LogEntry as
 * far as it goes: verb and subresource from {@code methodName} ({@code
 * io.k8s.core.v1.pods.exec.create}), objectRef and requestURI from {@code resourceName}, the caller
 * from {@code authenticationInfo} and {@code requestMetadata}, the HTTP code from the gRPC {@code
 * status.code}, the authorization decision from {@code labels} or {@code authorizationInfo},
 * request and response bodies, the entry's timestamp; auditID is the entry's {@code insertId} (or
 * {@code operation.id}), stage ResponseComplete.
 */
final class Envelopes {
  private Envelopes() {}

  /** The native event bytes, or a reason why the record holds none (as {@link Unwrapped}). */
  sealed interface Unwrapped {
    @SuppressWarnings("ArrayRecordComponent") // handed over once, never compared
    record Native(byte[] json) implements Unwrapped {}

    record NotAnEvent(String reason, int offset) implements Unwrapped {}
  }

  static Unwrapped aks(AuditEvent r) {
    int props = r.top(Key.PROPERTIES);
    int log = r.member(props, "log");
    if (log < 0) {
      return new Unwrapped.NotAnEvent(
          "an Azure diagnostic record without properties.log (not a kube-audit record)", props);
    }
    if (r.isString(log)) {
      String text = r.text(log);
      return new Unwrapped.Native(
          text == null ? new byte[0] : text.getBytes(StandardCharsets.UTF_8));
    }
    if (r.isObject(log)) {
      int e = r.valueEnd(log);
      if (e < 0) {
        return new Unwrapped.NotAnEvent(r.problem(), r.problemOffset());
      }
      byte[] b = new byte[e - log];
      System.arraycopy(r.bytes(), log, b, 0, b.length);
      return new Unwrapped.Native(b);
    }
    return new Unwrapped.NotAnEvent("properties.log is neither a JSON string nor an object", log);
  }

  static Unwrapped gke(AuditEvent r) {
    int pp = r.top(Key.PROTO_PAYLOAD);
    String service = str(r, r.member(pp, "serviceName"));
    String method = str(r, r.member(pp, "methodName"));
    if (!method.startsWith("io.k8s.") && !service.equals("k8s.io")) {
      return new Unwrapped.NotAnEvent(
          "a GKE LogEntry from "
              + (service.isEmpty() ? "an unnamed service" : service)
              + (method.isEmpty() ? "" : " (" + method + ")")
              + ", not from the Kubernetes API (k8s.io)",
          pp);
    }
    StringBuilder sb = new StringBuilder(512);
    sb.append("{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\"");
    int request = r.member(pp, "request");
    int response = r.member(pp, "response");
    field(sb, "level", request >= 0 ? (response >= 0 ? "RequestResponse" : "Request") : "Metadata");
    String id = str(r, r.member(root(r), "insertId"));
    if (id.isEmpty()) {
      id = str(r, r.member(r.member(root(r), "operation"), "id"));
    }
    if (id.isEmpty()) {
      id = "gke-" + Integer.toHexString(r.toString().hashCode());
    }
    field(sb, "auditID", id);
    field(sb, "stage", "ResponseComplete");
    List<String> parts = List.of(method.substring(Math.min(method.length(), 7)).split("\\.", -1));
    String verb = parts.isEmpty() ? "" : parts.getLast();
    Ref ref = ref(str(r, r.member(pp, "resourceName")), parts);
    String uri = str(r, r.member(pp, "requestURI"));
    field(sb, "requestURI", uri.isEmpty() ? ref.uri() : uri);
    field(sb, "verb", verb);
    int authn = r.member(pp, "authenticationInfo");
    sb.append(",\"user\":{");
    String principal = str(r, r.member(authn, "principalEmail"));
    if (!principal.isEmpty()) {
      sb.append("\"username\":");
      JsonText.quote(sb, principal);
    }
    sb.append('}');
    int meta = r.member(pp, "requestMetadata");
    String ip = str(r, r.member(meta, "callerIp"));
    if (!ip.isEmpty()) {
      sb.append(",\"sourceIPs\":[");
      JsonText.quote(sb, ip).append(']');
    }
    String agent = str(r, r.member(meta, "callerSuppliedUserAgent"));
    if (!agent.isEmpty()) {
      field(sb, "userAgent", agent);
    }
    if (!ref.resource().isEmpty()) {
      sb.append(",\"objectRef\":{");
      JsonText.quote(sb, "resource").append(':');
      JsonText.quote(sb, ref.resource());
      optional(sb, "namespace", ref.namespace());
      optional(sb, "name", ref.name());
      sb.append(",\"apiGroup\":");
      JsonText.quote(sb, ref.group());
      optional(sb, "apiVersion", ref.version());
      optional(sb, "subresource", ref.subresource());
      sb.append('}');
    }
    int status = r.member(pp, "status");
    String grpc = r.text(r.member(status, "code"));
    sb.append(",\"responseStatus\":{\"metadata\":{},\"code\":")
        .append(httpCode(grpc == null ? "0" : grpc));
    String message = str(r, r.member(status, "message"));
    if (!message.isEmpty()) {
      field(sb, "message", message);
    }
    sb.append('}');
    raw(sb, r, "requestObject", request);
    raw(sb, r, "responseObject", response);
    String ts = str(r, r.member(root(r), "timestamp"));
    if (!ts.isEmpty()) {
      field(sb, "requestReceivedTimestamp", ts);
      field(sb, "stageTimestamp", ts);
    }
    annotations(sb, r, pp);
    sb.append('}');
    return new Unwrapped.Native(sb.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static void annotations(StringBuilder sb, AuditEvent r, int pp) {
    int labels = r.member(root(r), "labels");
    String decision = str(r, r.member(labels, "authorization.k8s.io/decision"));
    String reason = str(r, r.member(labels, "authorization.k8s.io/reason"));
    if (decision.isEmpty()) {
      int info = r.firstElement(r.member(pp, "authorizationInfo"));
      String granted = r.text(r.member(info, "granted"));
      decision = granted == null ? "" : granted.equals("true") ? "allow" : "forbid";
    }
    if (decision.isEmpty() && reason.isEmpty()) {
      return;
    }
    sb.append(",\"annotations\":{");
    boolean first = true;
    if (!decision.isEmpty()) {
      JsonText.quote(sb, "authorization.k8s.io/decision").append(':');
      JsonText.quote(sb, decision);
      first = false;
    }
    if (!reason.isEmpty()) {
      sb.append(first ? "" : ",");
      JsonText.quote(sb, "authorization.k8s.io/reason").append(':');
      JsonText.quote(sb, reason);
    }
    sb.append('}');
  }

  /** The record's own object (a LogEntry's top level): offset of its opening brace. */
  private static int root(AuditEvent r) {
    return JsonScanner.ws(r.bytes(), r.start(), r.end());
  }

  private record Ref(
      String group,
      String version,
      String namespace,
      String resource,
      String name,
      String subresource,
      String uri) {}

  /**
   * objectRef from a resourceName such as {@code core/v1/namespaces/prod/pods/web/exec} or {@code
   * rbac.authorization.k8s.io/v1/clusterroles/admin}; the method name fills in what it lacks.
   */
  private static Ref ref(String resourceName, List<String> method) {
    List<String> seg = new ArrayList<>(List.of(resourceName.split("/", -1)));
    seg.removeIf(String::isEmpty);
    String group = "";
    String version = "";
    String ns = "";
    String resource = "";
    String name = "";
    String sub = "";
    if (seg.size() >= 3) {
      group = seg.get(0).equals("core") ? "" : seg.get(0);
      version = seg.get(1);
      int i = 2;
      if (seg.get(i).equals("namespaces") && seg.size() >= i + 3) {
        ns = seg.get(i + 1);
        i += 2;
      }
      resource = seg.get(i);
      name = i + 1 < seg.size() ? seg.get(i + 1) : "";
      sub = i + 2 < seg.size() ? String.join("/", seg.subList(i + 2, seg.size())) : "";
      if (resource.equals("namespaces") && ns.isEmpty() && !name.isEmpty()) {
        ns = name;
      }
    } else if (method.size() >= 4) {
      int v = 0;
      while (v < method.size() && !method.get(v).matches("v[0-9]+((alpha|beta)[0-9]*)?")) {
        v++;
      }
      if (v + 2 < method.size()) {
        group = String.join(".", method.subList(0, v));
        group = group.equals("core") ? "" : group;
        version = method.get(v);
        resource = method.get(v + 1);
        sub = v + 2 < method.size() - 1 ? method.get(v + 2) : "";
      }
    }
    StringBuilder uri = new StringBuilder(group.isEmpty() ? "/api/" : "/apis/" + group + "/");
    uri.append(version);
    if (!ns.isEmpty() && !resource.equals("namespaces")) {
      uri.append("/namespaces/").append(ns);
    }
    uri.append('/').append(resource);
    if (!name.isEmpty()) {
      uri.append('/').append(name);
    }
    if (!sub.isEmpty()) {
      uri.append('/').append(sub);
    }
    return new Ref(group, version, ns, resource, name, sub, uri.toString());
  }

  /** The HTTP status kube-apiserver answered, from the gRPC code GKE logs. */
  private static int httpCode(String grpc) {
    return switch (grpc.strip().toUpperCase(Locale.ROOT)) {
      case "0", "OK" -> 200;
      case "3", "INVALID_ARGUMENT" -> 400;
      case "5", "NOT_FOUND" -> 404;
      case "6", "ALREADY_EXISTS" -> 409;
      case "7", "PERMISSION_DENIED" -> 403;
      case "8", "RESOURCE_EXHAUSTED" -> 429;
      case "9", "FAILED_PRECONDITION" -> 412;
      case "10", "ABORTED" -> 409;
      case "12", "UNIMPLEMENTED" -> 501;
      case "14", "UNAVAILABLE" -> 503;
      case "16", "UNAUTHENTICATED" -> 401;
      case "4", "DEADLINE_EXCEEDED" -> 504;
      default -> 500;
    };
  }

  private static String str(AuditEvent r, int v) {
    String s = v >= 0 && r.isString(v) ? r.text(v) : null;
    return s == null ? "" : s;
  }

  private static void field(StringBuilder sb, String name, String value) {
    sb.append(',');
    JsonText.quote(sb, name).append(':');
    JsonText.quote(sb, value);
  }

  private static void optional(StringBuilder sb, String name, String value) {
    if (!value.isEmpty()) {
      field(sb, name, value);
    }
  }

  private static void raw(StringBuilder sb, AuditEvent r, String name, int v) {
    if (v < 0) {
      return;
    }
    String t = r.text(v);
    String json = r.isString(v) && t != null ? JsonText.quote(t) : t;
    if (json != null) {
      sb.append(",\"").append(name).append("\":").append(json);
    }
  }
}
