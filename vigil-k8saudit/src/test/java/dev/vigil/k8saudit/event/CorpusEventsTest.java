package dev.vigil.k8saudit.event;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.k8saudit.Corpus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Must-show 1 (second half): every event file of the corpus is read; the malformed one is rejected
 * with a clear message and its position.
 */
class CorpusEventsTest {

  static Stream<Path> eventFiles() throws IOException {
    try (Stream<Path> s = Files.walk(Corpus.events())) {
      return s
          .filter(Files::isRegularFile)
          .filter(p -> p.toString().endsWith(".json") || p.toString().endsWith(".jsonl"))
          .filter(p -> !p.getFileName().toString().startsWith("panther"))
          .sorted()
          .toList()
          .stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("eventFiles")
  void everyEventFileIsRead(Path file) throws IOException {
    Collected c = new Collected();
    AuditReader.Stats st = new AuditReader().read(file, c);
    if (file.getFileName().toString().equals("fal_01_003.json")) {
      assertThat(c.events).isEmpty();
      assertThat(c.problems).hasSize(1);
      InputProblem p = c.problems.getFirst();
      assertThat(p.render())
          .isEqualTo(file + ":1:10: 'kind' is a number; an audit event has kind \"Event\"");
      return;
    }
    assertThat(c.problems).isEmpty();
    assertThat(st.events()).isPositive().isEqualTo(c.events.size());
    for (String e : c.events) {
      AuditEvent v = new AuditEvent();
      byte[] b = e.getBytes(StandardCharsets.UTF_8);
      v.reset(b, 0, b.length);
      assertThat(v.validate()).as(e).isTrue();
    }
  }

  @Test
  void expectedEventCounts() throws IOException {
    Map<String, Integer> counts = new TreeMap<>();
    for (Path f : eventFiles().toList()) {
      Collected c = new Collected();
      new AuditReader().read(f, c);
      counts.put(Corpus.events().relativize(f).toString(), c.events.size());
    }
    assertThat(counts)
        .containsEntry("audit2rbac/demo.jsonl", 37)
        .containsEntry("falco/create_configmap_sensitive_values.json", 6)
        .containsEntry("synthetic/vigil-synthetic-events.jsonl", 13)
        .containsEntry("falco/exec_pod.json", 1);
    assertThat(counts.get("synthetic/vigil-synthetic-webhook-eventlist.json")).isPositive();
  }

  /**
   * The Panther rows hold native events, AKS diagnostic records and GKE LogEntries: every native
   * and AKS one is an event; GKE entries are events when they come from the Kubernetes API, and
   * rejected with the service they come from otherwise.
   */
  @Test
  void pantherEnvelopes() throws IOException {
    Path file = Corpus.events().resolve("panther/panther-analysis-k8s-rule-tests.jsonl");
    Map<String, int[]> byShape = new TreeMap<>();
    List<String> rows = Files.readAllLines(file);
    for (String row : rows) {
      byte[] b = row.getBytes(StandardCharsets.UTF_8);
      AuditEvent r = new AuditEvent();
      r.reset(b, 0, b.length);
      String shape = r.text(r.member(0, "shape"));
      int log = r.member(0, "log");
      int end = r.valueEnd(log);
      Collected c = new Collected();
      new AuditReader().document(b, log, end - log, "row", 0, c);
      int[] n = byShape.computeIfAbsent(String.valueOf(shape), k -> new int[2]);
      n[0] += c.events.size();
      n[1] += c.problems.size();
      if (!c.problems.isEmpty()) {
        assertThat(shape).isEqualTo("gke-logentry");
        assertThat(c.problems.getFirst().message()).contains("not from the Kubernetes API");
      }
    }
    assertThat(byShape.get("k8s-audit-event")).containsExactly(188, 0);
    assertThat(byShape.get("aks-diagnostic")).containsExactly(34, 0);
    int[] gke = byShape.getOrDefault("gke-logentry", new int[2]);
    assertThat(gke[0] + gke[1]).isEqualTo(57);
    assertThat(gke[0]).isPositive();
  }
}
