package dev.vigil.kernel.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.event.FieldCatalogue;
import dev.vigil.event.FieldClass;
import dev.vigil.event.FieldDef;
import dev.vigil.event.FieldType;
import dev.vigil.event.SourceInfo;
import dev.vigil.kernel.SyscallSource;
import dev.vigil.rules.Code;
import dev.vigil.rules.LoadResult;
import dev.vigil.rules.RulesFile;
import dev.vigil.rules.RulesLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Falco's filter_warning_resolver tests (compat/falco/warning_resolver.yaml): {@code <NA>}
 * comparisons on Kubernetes audit fields and deprecated fields warn. Each condition is loaded as a
 * rule's condition over a source that knows the tests' field names.
 */
class WarningResolverCompatTest {
  private static final SourceInfo SOURCE = source();

  private static SourceInfo source() {
    SourceInfo real = SyscallSource.info();
    List<FieldClass> classes = new ArrayList<>(real.fields().classes());
    List<FieldDef> extra = new ArrayList<>();
    for (String n : List.of("ka.field", "jevt.field", "some.field", "safe.field")) {
      extra.add(new FieldDef(n, FieldType.CHARBUF, Set.of(), "test field"));
    }
    classes.add(new FieldClass("t", "test", "test fields", extra));
    return new SourceInfo(
        "syscall", FieldCatalogue.of("syscall", classes), real.eventTypes(), "evt.type");
  }

  static Stream<Named<Map<String, Object>>> cases() {
    return Tables.entries("falco/warning_resolver.yaml").stream()
        .filter(e -> e.get("warns") != null)
        .map(e -> Named.of(Tables.str(e, "condition"), e));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void warnsAsFalco(Map<String, Object> c) {
    String rule =
        "- rule: r\n  desc: d\n  condition: evt.type = open and ("
            + Tables.str(c, "condition").replace("'", "''")
            + ")\n  output: o\n  priority: INFO\n";
    LoadResult r = new RulesLoader(List.of(SOURCE)).load(List.of(new RulesFile("w.yaml", rule)));
    assertThat(r.ok()).as("%s", r.diagnostics()).isTrue();
    boolean warned =
        r.warnings().stream()
            .anyMatch(d ->
                d.code() == Code.LOAD_UNSAFE_NA_CHECK || d.code() == Code.LOAD_DEPRECATED_ITEM);
    assertThat(warned).isEqualTo(Tables.bool(c, "warns"));
    if (c.containsKey("code") && Tables.bool(c, "warns")) {
      assertThat(r.warnings()).anyMatch(d -> d.code().name().equals(Tables.str(c, "code")));
    }
  }
}
