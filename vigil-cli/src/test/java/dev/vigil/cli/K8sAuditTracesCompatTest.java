package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Must-show 1: Falco 0.34.1's expectations for its k8s audit traces ({@code
 * falco_k8s_audit_tests.yaml}: which rules fire, how often, at what level) hold when Vigil replays
 * the traces with the current {@code k8s_audit_rules.yaml} (plus Falco's stable syscall rules and
 * the 0.34-era rule files each case names). Cases that cannot hold any more, and rules files that
 * had to be restated for the current rules, are in {@code compat/k8saudit/overrides.yaml} with the
 * reason; {@code compat/k8saudit/README.md} explains them.
 */
class K8sAuditTracesCompatTest {
  private static final Path CORPUS =
      Path.of(System.getProperty("vigil.shared", "../shared"), "corpus/falco");
  private static final Path LEGACY = CORPUS.resolve("falco-0.34.1-legacy-tests");
  private static final Path OWN = Path.of("src/test/resources/compat/k8saudit");

  @SuppressWarnings("unchecked")
  static Map<String, Object> load(Path p) throws IOException {
    String text = Files.readString(p).replace("!mux", "");
    return (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(text);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Map<String, Object>> overrides() throws IOException {
    Map<String, Map<String, Object>> out = new LinkedHashMap<>();
    for (Object o : (List<Object>) req(load(OWN.resolve("overrides.yaml")), "cases")) {
      Map<String, Object> m = (Map<String, Object>) o;
      out.put(String.valueOf(m.get("case")), m);
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  static Stream<Named<Map<String, Object>>> cases() throws IOException {
    Map<String, Object> doc = load(LEGACY.resolve("falco_k8s_audit_tests.yaml"));
    Map<String, Map<String, Object>> overrides = overrides();
    List<Named<Map<String, Object>>> out = new ArrayList<>();
    ((Map<String, Object>) req(doc, "trace_files"))
        .forEach((name, v) -> {
          Map<String, Object> c = new LinkedHashMap<>((Map<String, Object>) v);
          Map<String, Object> o = overrides.get(name);
          if (o != null && o.containsKey("left_out")) {
            return;
          }
          if (o != null) {
            c.putAll((Map<String, Object>) o.get("expect"));
          }
          out.add(Named.of(name, c));
        });
    return out.stream();
  }

  @Test
  void everyCaseRunsOrIsLeftOutWithAReason() throws IOException {
    Map<String, Object> doc = load(LEGACY.resolve("falco_k8s_audit_tests.yaml"));
    @SuppressWarnings("unchecked")
    Map<String, Object> all = (Map<String, Object>) req(doc, "trace_files");
    Map<String, Map<String, Object>> overrides = overrides();
    assertThat(all.keySet()).containsAll(overrides.keySet());
    long run = cases().count();
    long leftOut = overrides.values().stream().filter(o -> o.containsKey("left_out")).count();
    assertThat(run + leftOut).isEqualTo(all.size());
    assertThat(leftOut).isEqualTo(4);
    String readme = Files.readString(OWN.resolve("README.md"));
    overrides.forEach((name, o) -> assertThat(readme).as(name).contains("`" + name + "`"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  @SuppressWarnings("unchecked")
  void falcosExpectationHolds(Map<String, Object> c) throws IOException {
    List<String> args = new ArrayList<>(List.of("replay", "-o", "json_output=true"));
    for (Object f : (List<Object>) req(c, "rules_file")) {
      args.add("-r");
      args.add(rulesFile(String.valueOf(f)).toString());
    }
    String opts = String.valueOf(c.get("addl_cmdline_opts"));
    String trace = opts.substring(opts.indexOf("trace_files/"));
    args.add("--audit");
    args.add(LEGACY.resolve(trace).toString());
    Cli.Result r = Cli.run(args.toArray(String[]::new));
    Object loadError = c.get("load_error");
    if (loadError != null) {
      assertThat(r.code()).isEqualTo(ExitCode.FINDINGS);
      assertThat(r.err()).contains(String.valueOf(loadError)).contains("rules have errors");
      return;
    }
    assertThat(r.err()).doesNotContain("rules have errors");
    Map<String, Integer> fired = new TreeMap<>();
    List<String> levels = new ArrayList<>();
    ObjectMapper json = new ObjectMapper();
    for (String line : r.out().split("\n", -1)) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode a = json.readTree(line);
      fired.merge(a.get("rule").asText(), 1, Integer::sum);
      levels.add(a.get("priority").asText().toUpperCase(Locale.ROOT));
    }
    boolean detect = String.valueOf(c.get("detect")).equalsIgnoreCase("true");
    if (!detect) {
      assertThat(fired).as(r.err()).isEmpty();
      return;
    }
    Map<String, Integer> expected = new TreeMap<>();
    for (Object o : (List<Object>) c.getOrDefault("detect_counts", List.of())) {
      ((Map<String, Object>) o).forEach((rule, n) -> expected.put(rule, ((Number) n).intValue()));
    }
    assertThat(fired).as(r.err()).isNotEmpty();
    expected.forEach(
        (rule, n) -> assertThat(fired.get(rule)).as(rule + "\n" + r.err()).isEqualTo(n));
    Object level = c.get("detect_level");
    if (level != null) {
      String want = String.valueOf(level).toUpperCase(Locale.ROOT);
      assertThat(levels).contains(want.equals("INFO") ? "INFORMATIONAL" : want);
    }
  }

  private static Object req(Map<String, Object> m, String key) {
    return java.util.Objects.requireNonNull(m.get(key), key);
  }

  private static Path rulesFile(String f) {
    if (f.endsWith("falcosecurity-rules-falco/falco_rules.yaml")) {
      return CORPUS.resolve("falco_rules.yaml");
    }
    if (f.endsWith("k8saudit-rules/k8s_audit_rules.yaml")) {
      return CORPUS.resolve("k8s_audit_rules.yaml");
    }
    if (f.startsWith("vigil:")) {
      return OWN.resolve(f.substring("vigil:".length()));
    }
    return LEGACY.resolve(f);
  }
}
