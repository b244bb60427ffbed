package dev.vigil.kernel.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.kernel.SyscallSource;
import dev.vigil.rules.AppendOutput;
import dev.vigil.rules.LoadResult;
import dev.vigil.rules.Rule;
import dev.vigil.rules.RulesFile;
import dev.vigil.rules.RulesLoader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Falco's append_output tests (compat/falco/extra_output.yaml). */
class ExtraOutputCompatTest {
  static Stream<Named<Map<String, Object>>> cases() {
    return Tables.entries("falco/extra_output.yaml").stream()
        .map(e -> Named.of(Tables.str(e, "test"), e));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  @SuppressWarnings("unchecked")
  void appliesAsFalco(Map<String, Object> c) {
    Map<String, Object> config = Tables.map(c, "config");
    List<AppendOutput> append = new ArrayList<>();
    for (Object o : Tables.list(config, "extra_output_formats")) {
      Map<String, Object> f = (Map<String, Object>) o;
      append.add(AppendOutput.format(Tables.str(f, "format"), match(f)));
    }
    for (Object o : Tables.list(config, "extra_output_fields")) {
      Map<String, Object> f = (Map<String, Object>) o;
      append.add(AppendOutput.field(Tables.str(f, "key"), Tables.str(f, "format"), match(f)));
    }
    List<RulesFile> files = new ArrayList<>();
    for (Object f : Tables.list(c, "files")) {
      files.add(new RulesFile("legit_rules.yaml", String.valueOf(f)));
    }
    LoadResult r =
        new RulesLoader(List.of(SyscallSource.info()), RulesLoader.BUILTIN_PLUGINS, append)
            .load(files);
    Map<String, Object> expect = Tables.map(c, "expect");
    assertThat(r.ok()).as("diagnostics %s", r.diagnostics()).isEqualTo(Tables.bool(expect, "ok"));

    Tables.map(expect, "compiled_output")
        .forEach((rule, text) -> assertThat(output(r, rule)).as(rule).isEqualTo(text));
    Tables.map(expect, "compiled_output_not_contains")
        .forEach((rule, text) ->
            assertThat(output(r, rule)).as(rule).doesNotContain(String.valueOf(text)));
    Tables.map(expect, "formatted_fields")
        .forEach((rule, fields) -> {
          Map<String, String> actual = new LinkedHashMap<>();
          rule(r, rule).extraFields().forEach((k, t) -> actual.put(k, t.text().value()));
          assertThat(actual).as(rule).isEqualTo(fields);
        });
  }

  private static AppendOutput.Match match(Map<String, Object> f) {
    List<String> tags = Tables.list(f, "tags").stream().map(String::valueOf).toList();
    return new AppendOutput.Match(Tables.str(f, "source"), tags, Tables.str(f, "rule"));
  }

  private static Rule rule(LoadResult r, String name) {
    return r.ruleset().rule(name).orElseThrow(() -> new AssertionError("no rule " + name));
  }

  private static String output(LoadResult r, String name) {
    return rule(r, name).output().text().value();
  }
}
