package dev.vigil.k8saudit.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.k8saudit.policy.load.LoadReport;
import dev.vigil.k8saudit.policy.load.PolicyDecoder;
import dev.vigil.k8saudit.policy.load.PolicyLoader;
import dev.vigil.k8saudit.policy.load.RawPolicy;
import dev.vigil.k8saudit.policy.load.YamlReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;

/** Test helpers: policies from YAML text or from oracle maps. */
public final class Policies {
  private Policies() {}

  public static LoadReport load(String yaml, KubeVersion version) {
    return PolicyLoader.load("policy.yaml", yaml.getBytes(StandardCharsets.UTF_8), version);
  }

  /** A policy that must load. */
  public static Policy loaded(String yaml, KubeVersion version) {
    LoadReport r = load(yaml, version);
    assertThat(r.verdict()).as("%s", r).isInstanceOf(LoadReport.Loads.class);
    return r.policy().orElseThrow();
  }

  /** The leniently decoded form of a YAML document. */
  public static RawPolicy raw(String yaml) {
    YamlReader.Result r = YamlReader.read("policy.yaml", yaml.getBytes(StandardCharsets.UTF_8));
    assertThat(r).isInstanceOf(YamlReader.Read.class);
    return PolicyDecoder.decode(((YamlReader.Read) r).root()).policy();
  }

  /** A v1 policy document for the given rule maps and policy-level stages, as YAML text. */
  public static String document(List<Object> rules, List<String> omitStages) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("apiVersion", "audit.k8s.io/v1");
    doc.put("kind", "Policy");
    if (!omitStages.isEmpty()) {
      doc.put("omitStages", omitStages);
    }
    doc.put("rules", rules);
    return yaml(doc);
  }

  public static String yaml(Object o) {
    return new Dump(DumpSettings.builder().build()).dumpToString(o);
  }
}
