package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Vigil's bundled k8s_audit rules ({@code rules/vigil_k8s_audit_rules.yaml}). */
class DefaultAuditRulesTest {
  private static final Path EVENTS =
      Path.of(System.getProperty("vigil.shared", "../shared"), "corpus/k8s-audit/events");
  private static final Path CASES = Path.of("src/test/resources/audit");

  private static List<JsonNode> alerts(Cli.Result r) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    ObjectMapper m = new ObjectMapper();
    for (String line : r.out().lines().toList()) {
      out.add(m.readTree(line));
    }
    return out;
  }

  /** Each hand-written event raises exactly the rule its line in the expectations names. */
  @Test
  void positivesAndNearMisses() throws IOException {
    List<String> expected =
        Files.readAllLines(CASES.resolve("default-rules-expected.txt")).stream()
            .filter(l -> !l.startsWith("#"))
            .toList();
    List<String> events = Files.readAllLines(CASES.resolve("default-rules-cases.jsonl"));
    assertThat(events).hasSameSizeAs(expected);
    for (int i = 0; i < events.size(); i++) {
      Path one = Files.createTempFile("vigil-case", ".jsonl");
      Files.writeString(one, events.get(i) + "\n");
      Cli.Result r = Cli.run("replay", "--audit", one.toString(), "-o", "json_output=true");
      Files.delete(one);
      List<String> fired = alerts(r).stream().map(a -> a.get("rule").asText()).toList();
      assertThat(fired)
          .as("line %d: %s", i + 1, r.err())
          .isEqualTo(expected.get(i).equals("-") ? List.of() : List.of(expected.get(i)));
    }
  }

  /** The corpus' events, replayed with the bundled rules: which rules fire, how often. */
  @Test
  void corpusEvents() throws IOException {
    List<String> args = new ArrayList<>(List.of("replay", "-o", "json_output=true", "--audit"));
    args.add(EVENTS.resolve("synthetic/vigil-synthetic-events.jsonl").toString());
    args.add(EVENTS.resolve("audit2rbac/demo.jsonl").toString());
    try (var s = Files.list(EVENTS.resolve("falco"))) {
      s.filter(p -> p.toString().endsWith(".json"))
          .filter(p -> !p.getFileName().toString().equals("fal_01_003.json"))
          .sorted()
          .forEach(p -> args.add(p.toString()));
    }
    Cli.Result r = Cli.run(args.toArray(String[]::new));
    assertThat(r.code()).as(r.err()).isZero();
    Map<String, Integer> counts = new TreeMap<>();
    for (JsonNode a : alerts(r)) {
      counts.merge(a.get("rule").asText(), 1, Integer::sum);
      assertThat(a.get("source").asText()).isEqualTo("k8s_audit");
    }
    assertThat(counts)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "Anonymous request allowed", 2,
                "Binding to cluster-admin", 1,
                "Exec or attach into a pod", 3,
                "Pod sharing host namespaces created", 1,
                "Pod with hostPath volume created", 2,
                "Privileged pod created", 3,
                "Request denied by the authorizer", 3,
                "Secret or ConfigMap changed", 13,
                "Unauthenticated request", 1,
                "Unauthorized Secret or ConfigMap access", 4));
  }
}
