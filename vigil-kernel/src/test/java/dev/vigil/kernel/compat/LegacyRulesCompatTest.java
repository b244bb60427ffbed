package dev.vigil.kernel.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.kernel.SyscallSource;
import dev.vigil.rules.Diagnostic;
import dev.vigil.rules.LoadResult;
import dev.vigil.rules.Location;
import dev.vigil.rules.RulesFile;
import dev.vigil.rules.RulesLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The rule-loading cases of Falco 0.34.1's regression suite (the corpus' falco-0.34.1-legacy-tests:
 * validate_rules_file with expected errors and warnings). Where Falco 0.44 behaves differently,
 * compat/legacy/overrides.yaml states the 0.44 expectation and why.
 */
class LegacyRulesCompatTest {
  private static final Path DIR = Corpus.falco("falco-0.34.1-legacy-tests");

  /** Every spec case, keyed by spec file and name. */
  @SuppressWarnings("unchecked")
  private static Map<String, Map<String, Object>> specCases() throws IOException {
    Map<String, Map<String, Object>> out = new LinkedHashMap<>();
    for (String spec : List.of("falco_tests.yaml", "falco_tests_exceptions.yaml")) {
      String text = Files.readString(DIR.resolve(spec)).replace("!mux", "");
      Map<String, Object> doc =
          (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(text);
      ((Map<String, Object>) doc.get("trace_files"))
          .forEach((name, v) -> out.put(spec + " " + name, (Map<String, Object>) v));
    }
    return out;
  }

  /** Cases that run Falco on a capture with rules files that must simply load. */
  static Stream<Named<List<String>>> runCases() throws IOException {
    List<Named<List<String>>> out = new ArrayList<>();
    specCases()
        .forEach((name, c) -> {
          if (c.containsKey("rules_file") && !c.containsKey("validate_rules_file")) {
            Object v = c.get("rules_file");
            List<String> files =
                v instanceof List<?> l
                    ? l.stream().map(String::valueOf).toList()
                    : List.of(String.valueOf(v));
            out.add(Named.of(name, files));
          }
        });
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("runCases")
  void rulesFilesOfRunCasesLoad(List<String> names) throws IOException {
    List<RulesFile> files = new ArrayList<>();
    for (String n : names) {
      Path p = DIR.resolve(n);
      if (Files.isDirectory(p)) {
        try (Stream<Path> s = Files.list(p)) {
          for (Path f : s.filter(x -> x.toString().endsWith(".yaml")).sorted().toList()) {
            files.add(new RulesFile(f.toString(), Files.readString(f)));
          }
        }
      } else {
        files.add(new RulesFile(n, Files.readString(p)));
      }
    }
    LoadResult r = new RulesLoader(List.of(SyscallSource.info())).load(files);
    assertThat(r.errors()).isEmpty();
  }

  @SuppressWarnings("unchecked")
  static Stream<Named<Map<String, Object>>> cases() throws IOException {
    Map<String, Object> overrides = new LinkedHashMap<>();
    for (Map<String, Object> o : Tables.entries("legacy/overrides.yaml")) {
      overrides.put(Tables.str(o, "case"), o);
    }
    List<Named<Map<String, Object>>> out = new ArrayList<>();
    for (String spec : List.of("falco_tests.yaml", "falco_tests_exceptions.yaml")) {
      String text = Files.readString(DIR.resolve(spec)).replace("!mux", "");
      Map<String, Object> doc =
          (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(text);
      Map<String, Object> cases = (Map<String, Object>) doc.get("trace_files");
      cases.forEach((name, v) -> {
        Map<String, Object> c = new LinkedHashMap<>((Map<String, Object>) v);
        if (!c.containsKey("validate_rules_file")) {
          return;
        }
        Map<String, Object> o = (Map<String, Object>) overrides.get(name);
        if (o != null) {
          c.putAll(Tables.map(o, "expect"));
        }
        c.put("case", name);
        out.add(Named.of(spec + " " + name, c));
      });
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void validatesAsFalco(Map<String, Object> c) throws IOException {
    Object v = c.get("validate_rules_file");
    List<String> names =
        v instanceof List<?> l
            ? l.stream().map(String::valueOf).toList()
            : List.of(String.valueOf(v));
    List<RulesFile> files = new ArrayList<>();
    for (String n : names) {
      files.add(
          new RulesFile(Path.of(n).getFileName().toString(), Files.readString(DIR.resolve(n))));
    }
    LoadResult r = new RulesLoader(List.of(SyscallSource.info())).load(files);
    boolean expectFailure = ((Number) c.getOrDefault("exit_status", 0)).intValue() != 0;
    assertThat(!r.ok()).as("fails; %s", r.diagnostics()).isEqualTo(expectFailure);
    for (Object ok : Tables.list(c, "validate_ok")) {
      assertThat(r.files())
          .filteredOn(f -> f.name().equals(String.valueOf(ok)))
          .allMatch(LoadResult.FileResult::ok);
    }
    check(r.errors(), Tables.list(c, "validate_errors"));
    check(r.warnings(), Tables.list(c, "validate_warnings"));
  }

  @SuppressWarnings("unchecked")
  private static void check(List<Diagnostic> actual, List<Object> expected) {
    for (Object o : expected) {
      Map<String, Object> e = (Map<String, Object>) o;
      String code = Tables.str(e, "code");
      String message =
          e.containsKey("message") ? Tables.str(e, "message") : Tables.str(e, "message_contains");
      String type = Tables.str(e, "item_type");
      String name = Tables.str(e, "item_name");
      assertThat(actual)
          .as("%s %s on %s '%s'", code, message, type, name)
          .anyMatch(d ->
              d.code().name().equals(code)
                  && d.message().contains(message)
                  && (type.isEmpty() || on(d, type, name)));
    }
  }

  private static boolean on(Diagnostic d, String type, String name) {
    for (Location l : d.trail()) {
      if (l.kind().equals(type) && l.name().equals(name)) {
        return true;
      }
    }
    return false;
  }
}
