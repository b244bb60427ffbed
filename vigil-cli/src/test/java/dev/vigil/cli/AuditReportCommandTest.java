package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code vigil audit report} over the corpus' synthetic and audit2rbac events. */
class AuditReportCommandTest {
  private static final Path EVENTS =
      Path.of(System.getProperty("vigil.shared", "../shared"), "corpus/k8s-audit/events");
  private static final String SYNTHETIC =
      EVENTS.resolve("synthetic/vigil-synthetic-events.jsonl").toString();
  private static final String DEMO = EVENTS.resolve("audit2rbac/demo.jsonl").toString();

  @Test
  void unauthorizedAttemptsAreSplitByCause() throws IOException {
    Cli.Result r = Cli.run("audit", "report", SYNTHETIC, DEMO, "--json");
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertThat(j.get("events").asLong()).isEqualTo(50);
    // the watch and the exec session each have two events; each request is counted once
    assertThat(j.get("requests").asLong()).isEqualTo(48);
    JsonNode u = j.get("unauthorized");
    assertThat(u.get("authentication").get("count").asInt()).isEqualTo(1);
    assertThat(u.get("authorization").get("count").asInt()).isEqualTo(5);
    // audit2rbac's 2017 events predate the decision annotation
    assertThat(u.get("other_forbidden").get("count").asInt()).isEqualTo(11);
    assertThat(j.get("sessions").get("count").asInt()).isEqualTo(1);
    assertThat(j.get("sessions").get("requests").get(0).get("resource").asText())
        .isEqualTo("pods/exec");
    assertThat(j.get("secret_access").get("count").asInt()).isEqualTo(4);
    assertThat(j.get("identities").get(0).get("identity").asText()).isEqualTo("system:admin");
    assertThat(j.get("first_seen_identities").get(0).get("name").asText())
        .isEqualTo("system:admin");
  }

  @Test
  void admissionAndImpersonationRefusalsAreToldApart() throws IOException {
    Path cases = Path.of("src/test/resources/audit/default-rules-cases.jsonl");
    Cli.Result r = Cli.run("audit", "report", cases.toString(), "--json");
    JsonNode u = new ObjectMapper().readTree(r.out()).get("unauthorized");
    assertThat(u.get("impersonation").get("count").asInt()).isEqualTo(1);
    assertThat(u.get("authorization").get("count").asInt()).isEqualTo(1);
    assertThat(new ObjectMapper().readTree(r.out()).get("destructive").get("count").asInt())
        .isEqualTo(3);
  }

  @Test
  void textAndHtml() {
    Cli.Result t = Cli.run("audit", "report", SYNTHETIC);
    assertThat(t.code()).isZero();
    assertThat(t.out())
        .contains("13 events, 11 requests")
        .contains("authentication failed (401): 1")
        .contains("denied by the authorizer (403, decision forbid): 5")
        .contains("Exec, attach and port-forward sessions: 1")
        .contains("pods/exec");
    Cli.Result h = Cli.run("audit", "report", SYNTHETIC, "--format", "html");
    assertThat(h.out())
        .startsWith("<!DOCTYPE html>")
        .contains("<svg")
        .contains("Unauthorized attempts")
        .contains("bob@example.com")
        .doesNotContain("<script");
  }
}
