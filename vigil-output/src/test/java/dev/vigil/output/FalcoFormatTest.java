package dev.vigil.output;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.rules.Alert;
import dev.vigil.rules.AlertValue;
import dev.vigil.rules.Priority;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class FalcoFormatTest {
  /** 2026-11-22T14:05:32.012345678Z. */
  static final long TIME = 1_795_356_332_012_345_678L;

  static Alert alert() {
    Map<String, AlertValue> fields = new LinkedHashMap<>();
    fields.put("user.name", new AlertValue.Text("root"));
    fields.put("user.uid", new AlertValue.Num("0"));
    fields.put("proc.cmdline", new AlertValue.Text("cat /etc/shadow"));
    fields.put("fd.name", new AlertValue.Text("/etc/shadow"));
    fields.put("proc.tty", new AlertValue.Num("34816"));
    fields.put("container.privileged", new AlertValue.Bool(false));
    fields.put("k8s.pod.name", new AlertValue.Missing());
    fields.put("ka.user.groups", new AlertValue.Values(List.of("system:masters", "dev")));
    return new Alert(
        "Read sensitive file untrusted",
        Priority.WARNING,
        "syscall",
        TIME,
        new TreeSet<>(List.of("maturity_stable", "host", "container", "filesystem", "T1555")),
        "Sensitive file opened for reading by non-trusted program | file=/etc/shadow"
            + " user=root command=cat /etc/shadow k8s_pod_name=<NA>",
        fields);
  }

  static FalcoFormat format(boolean iso) {
    return new FalcoFormat(new FalcoFormat.Options(iso, true, true, false, true, ZoneOffset.UTC));
  }

  @Test
  void textLineIsFalcos() throws Exception {
    Golden.check(
        "alert.txt", format(false).text(alert()) + "\n" + format(true).text(alert()) + "\n");
  }

  @Test
  void jsonIsFalcosShapeWithSortedKeys() throws Exception {
    String json = format(false).json(alert(), "node-1");
    Golden.check("alert.json", json + "\n");
    JsonNode n = new ObjectMapper().readTree(json);
    assertThat(n.fieldNames())
        .toIterable()
        .containsExactly(
            "hostname", "output", "output_fields", "priority", "rule", "source", "tags", "time");
    assertThat(n.get("time").asText()).isEqualTo("2026-11-22T14:05:32.012345678Z");
    assertThat(n.get("output_fields").get("k8s.pod.name").isNull()).isTrue();
    assertThat(n.get("output_fields").get("user.uid").isNumber()).isTrue();
    assertThat(n.get("output_fields").get("evt.time").asLong()).isEqualTo(TIME);
    assertThat(n.get("output").asText()).startsWith("14:05:32.012345678: Warning ");
  }

  @Test
  void jsonBytesAreTheUtf8OfTheJsonStringForAnyText() throws Exception {
    Map<String, AlertValue> fields = new LinkedHashMap<>();
    fields.put(
        "fd.name", new AlertValue.Text("/tmp/caf\u00e9/\u65e5\u672c/\ud83d\ude00\n\"q\"\u0001"));
    fields.put("evt.time", new AlertValue.Num("7"));
    Alert a =
        new Alert(
            "r \u00e9", Priority.ERROR, "syscall", TIME, new TreeSet<>(), "out \u65e5\t", fields);
    FalcoFormat f = format(true);
    byte[] bytes = f.jsonBytes(a, "h\u00f6st");
    String json = f.json(a, "h\u00f6st");
    assertThat(new String(bytes, java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(json);
    JsonNode n = new ObjectMapper().readTree(bytes);
    assertThat(n.get("output_fields").get("fd.name").asText())
        .isEqualTo("/tmp/caf\u00e9/\u65e5\u672c/\ud83d\ude00\n\"q\"\u0001");
    assertThat(n.get("output_fields").get("evt.time").asLong()).isEqualTo(7);
    assertThat(n.get("hostname").asText()).isEqualTo("h\u00f6st");
  }

  @Test
  void alertsOfOneRuleNameWithOtherFieldsAreSortedAfresh() throws Exception {
    FalcoFormat f = format(false);
    ObjectMapper m = new ObjectMapper();
    List<Map<String, AlertValue>> variants =
        List.of(
            Map.of("b", new AlertValue.Text("1"), "a", new AlertValue.Text("2")),
            Map.of("b", new AlertValue.Text("1"), "evt.time", new AlertValue.Num("5")),
            Map.of("b", new AlertValue.Text("1")),
            Map.of("c", new AlertValue.Text("3"), "a", new AlertValue.Text("2")),
            Map.of("b", new AlertValue.Text("1"), "a", new AlertValue.Text("2")));
    for (Map<String, AlertValue> fields : variants) {
      Alert a = new Alert("same", Priority.ERROR, "syscall", TIME, new TreeSet<>(), "o", fields);
      JsonNode of = m.readTree(f.json(a, "h")).get("output_fields");
      TreeSet<String> expected = new TreeSet<>(fields.keySet());
      expected.add("evt.time");
      assertThat(of.fieldNames()).toIterable().containsExactlyElementsOf(expected);
      fields.forEach((k, v) -> assertThat(of.get(k).asText()).isEqualTo(v.text()));
      if (!fields.containsKey("evt.time")) {
        assertThat(of.get("evt.time").asLong()).isEqualTo(TIME);
      }
    }
  }

  @Test
  void controlCharactersInTextAreEscaped() {
    assertThat(FalcoFormat.escapeControls("a\nb\u0001c")).isEqualTo("a\\nb\\u0001c");
    assertThat(FalcoFormat.escapeControls("plain")).isSameAs("plain");
  }

  @Test
  void optionalPropertiesFollowFalcosFlags() throws Exception {
    FalcoFormat f =
        new FalcoFormat(new FalcoFormat.Options(false, false, false, true, false, ZoneOffset.UTC));
    JsonNode n = new ObjectMapper().readTree(f.json(alert(), "h"));
    assertThat(n.has("output")).isFalse();
    assertThat(n.has("tags")).isFalse();
    assertThat(n.has("output_fields")).isFalse();
    assertThat(n.get("message").asText()).startsWith("Sensitive file opened");
  }
}
