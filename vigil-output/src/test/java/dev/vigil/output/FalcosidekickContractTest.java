package dev.vigil.output;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.vigil.rules.Alert;
import dev.vigil.rules.AlertValue;
import dev.vigil.rules.Priority;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * The HTTP output against a loopback receiver that decodes each request as falcosidekick does
 * (reference: {@code ../shared/reference/ecosystem.md} §3.1): {@code POST /} only; the body decoded
 * into its payload type field by field, where a JSON value of the wrong type fails the request;
 * then its check (a known priority, a rule, a non-zero time, non-empty output fields). What the
 * receiver refuses it answers with 400, which the output counts as a refused delivery.
 */
class FalcosidekickContractTest {
  static final ObjectMapper JSON = new ObjectMapper();

  /** falcosidekick's payload keys; anything else in the body is ignored by its decoder. */
  static final Set<String> PAYLOAD_KEYS =
      Set.of(
          "uuid",
          "output",
          "priority",
          "rule",
          "time",
          "output_fields",
          "source",
          "tags",
          "hostname");

  static final Set<String> PRIORITIES =
      Set.of(
          "emergency", "alert", "critical", "error", "warning", "notice", "informational", "debug");

  /** Decodes a body as falcosidekick's payload; returns why it would be refused, or "". */
  static String refusal(String body) throws IOException {
    JsonNode n = JSON.readTree(body);
    if (!n.isObject()) {
      return "not an object";
    }
    for (String k : List.of("uuid", "output", "rule", "source", "hostname")) {
      if (n.has(k) && !n.get(k).isTextual() && !n.get(k).isNull()) {
        return k + ": not a string";
      }
    }
    if (n.has("priority") && !n.get("priority").isTextual()) {
      return "priority: not a string";
    }
    if (n.has("tags") && !(n.get("tags").isArray() || n.get("tags").isNull())) {
      return "tags: not an array";
    }
    if (n.has("tags")) {
      for (JsonNode t : n.get("tags")) {
        if (!t.isTextual()) {
          return "tags: not strings";
        }
      }
    }
    if (n.has("output_fields") && !n.get("output_fields").isObject()) {
      return "output_fields: not an object";
    }
    // Go's time.Time decodes RFC 3339 (fractional seconds optional)
    String time = n.path("time").asText("");
    try {
      if (OffsetDateTime.parse(time).toInstant().getEpochSecond() <= 0) {
        return "time: zero";
      }
    } catch (java.time.format.DateTimeParseException e) {
      return "time: not RFC 3339";
    }
    if (!PRIORITIES.contains(n.path("priority").asText("").toLowerCase(java.util.Locale.ROOT))) {
      return "priority: unknown";
    }
    if (n.path("rule").asText("").isEmpty()) {
      return "rule: empty";
    }
    if (n.path("output_fields").isEmpty()) {
      return "output_fields: empty";
    }
    return "";
  }

  /** A loopback receiver with falcosidekick's request handling. */
  static final class Sidekick implements AutoCloseable {
    final HttpServer server;
    final List<JsonNode> accepted = new CopyOnWriteArrayList<>();
    final List<String> refused = new CopyOnWriteArrayList<>();

    Sidekick() throws IOException {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
      server.createContext(
          "/",
          ex -> {
            String body;
            try (InputStream in = ex.getRequestBody()) {
              body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            String why =
                !ex.getRequestMethod().equals("POST") || !ex.getRequestURI().getPath().equals("/")
                    ? "not POST /"
                    : refusal(body);
            if (why.isEmpty()) {
              accepted.add(JSON.readTree(body));
              ex.sendResponseHeaders(200, -1);
            } else {
              refused.add(why);
              ex.sendResponseHeaders(400, -1);
            }
            ex.close();
          });
      server.start();
    }

    URI url() {
      return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }

  static Alert auditAlert() {
    return new Alert(
        "Create Privileged Pod",
        Priority.WARNING,
        "k8s_audit",
        1_773_478_800_123_456_789L,
        new TreeSet<>(List.of("k8s", "container", "T1610", "maturity_stable", "k8s")),
        "Pod started with privileged container (user=alice pod=nginx ns=default"
            + " image=nginx:1.27)",
        Map.of(
            "ka.user.name", new AlertValue.Text("alice"),
            "ka.target.name", new AlertValue.Text("nginx"),
            "ka.target.namespace", new AlertValue.Text("default"),
            "ka.req.pod.containers.image", new AlertValue.Values(List.of("nginx:1.27"))));
  }

  /** A rule whose output names no field at all: evt.time alone keeps output_fields non-empty. */
  static Alert bareAlert() {
    return new Alert(
        "Bare",
        Priority.INFORMATIONAL,
        "syscall",
        1_773_478_800_000_000_001L,
        new TreeSet<>(),
        "something happened",
        Map.of());
  }

  @Test
  void everyAlertIsAcceptedAndEachFieldHasTheTypeFalcosidekickDecodes() throws Exception {
    List<Alert> alerts =
        new ArrayList<>(List.of(FalcoFormatTest.alert(), auditAlert(), bareAlert()));
    for (Priority p : Priority.values()) {
      Alert a = bareAlert();
      alerts.add(new Alert(a.rule(), p, a.source(), a.time(), a.tags(), a.output(), a.fields()));
    }
    try (Sidekick sk = new Sidekick();
        Outputs out = SinksTest.start(SinksTest.JSON_RENDERING, SinksTest.http(sk.url()))) {
      alerts.forEach(out::submit);
      assertThat(Await.until(SinksTest.WAIT, () -> sk.accepted.size() == alerts.size()))
          .as("refused: %s", sk.refused)
          .isTrue();
      assertThat(sk.refused).isEmpty();
      assertThat(out.stats().getFirst().droppedFailed()).isZero();
    }
  }

  @Test
  void theAuditAlertMatchesTheReferencePayloadFieldByField() throws Exception {
    try (Sidekick sk = new Sidekick();
        Outputs out = SinksTest.start(SinksTest.JSON_RENDERING, SinksTest.http(sk.url()))) {
      out.submit(auditAlert());
      assertThat(Await.until(SinksTest.WAIT, () -> sk.accepted.size() == 1)).isTrue();
      JsonNode n = sk.accepted.getFirst();
      assertThat(n.fieldNames()).toIterable().isSubsetOf(PAYLOAD_KEYS).doesNotContain("uuid");
      assertThat(n.get("hostname").asText()).isEqualTo("node-1");
      assertThat(n.get("priority").asText()).isEqualTo("Warning");
      assertThat(n.get("rule").asText()).isEqualTo("Create Privileged Pod");
      assertThat(n.get("source").asText()).isEqualTo("k8s_audit");
      // the reference's example: event time, UTC, nine fractional digits, Z
      assertThat(n.get("time").asText()).isEqualTo("2026-03-14T09:00:00.123456789Z");
      // output: the text line's HH:MM:SS.nnnnnnnnn (here in UTC) and priority, then the output
      assertThat(n.get("output").asText())
          .isEqualTo(
              "09:00:00.123456789: Warning Pod started with privileged container (user=alice"
                  + " pod=nginx ns=default image=nginx:1.27)");
      // tags: sorted and de-duplicated (Falco keeps them in a std::set)
      assertThat(n.get("tags").toString())
          .isEqualTo("[\"T1610\",\"container\",\"k8s\",\"maturity_stable\"]");
      // output_fields: sorted keys, list fields as arrays, evt.time as an integer
      JsonNode f = n.get("output_fields");
      assertThat(f.fieldNames())
          .toIterable()
          .containsExactly(
              "evt.time",
              "ka.req.pod.containers.image",
              "ka.target.name",
              "ka.target.namespace",
              "ka.user.name");
      assertThat(f.get("evt.time").isIntegralNumber()).isTrue();
      assertThat(f.get("evt.time").asLong()).isEqualTo(1_773_478_800_123_456_789L);
      assertThat(f.get("ka.req.pod.containers.image").toString()).isEqualTo("[\"nginx:1.27\"]");
    }
  }

  @Test
  void withoutOutputFieldsFalcosidekickRefusesTheAlertAndTheOutputCountsIt() throws Exception {
    Rendering noFields =
        new Rendering(
            new FalcoFormat.Options(false, true, true, false, false, ZoneOffset.UTC),
            true,
            "node-1");
    try (Sidekick sk = new Sidekick();
        Outputs out = SinksTest.start(noFields, SinksTest.http(sk.url()))) {
      out.submit(auditAlert());
      assertThat(Await.until(SinksTest.WAIT, () -> out.stats().getFirst().droppedFailed() == 1))
          .isTrue();
      assertThat(sk.refused).containsExactly("output_fields: empty");
      assertThat(out.stats().getFirst().retries()).isZero();
    }
  }
}
