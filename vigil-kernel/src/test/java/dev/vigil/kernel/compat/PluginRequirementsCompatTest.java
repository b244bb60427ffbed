package dev.vigil.kernel.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.rules.LoadResult;
import dev.vigil.rules.RulesFile;
import dev.vigil.rules.RulesLoader;
import dev.vigil.rules.load.Requirements;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Falco's plugin-requirement tests (compat/falco/plugin_requirements.yaml). */
class PluginRequirementsCompatTest {
  static Stream<Named<Map<String, Object>>> cases() {
    return Tables.entries("falco/plugin_requirements.yaml").stream()
        .map(e -> Named.of(Tables.str(e, "test") + ": " + Tables.str(e, "case"), e));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  @SuppressWarnings("unchecked")
  void checksAsFalco(Map<String, Object> c) {
    List<Requirements.PluginVersion> loaded = new ArrayList<>();
    for (Object o : Tables.list(c, "loaded_plugins")) {
      Map<String, Object> p = (Map<String, Object>) o;
      loaded.add(new Requirements.PluginVersion(Tables.str(p, "name"), Tables.str(p, "version")));
    }
    List<RulesFile> files = new ArrayList<>();
    for (Object f : Tables.list(c, "files")) {
      files.add(new RulesFile("rules" + files.size() + ".yaml", String.valueOf(f)));
    }
    LoadResult r = new RulesLoader(List.of(), loaded).load(files);
    assertThat(r.ok())
        .as("diagnostics %s", r.diagnostics())
        .isEqualTo(Tables.bool(Tables.map(c, "expect"), "accepted"));
  }
}
