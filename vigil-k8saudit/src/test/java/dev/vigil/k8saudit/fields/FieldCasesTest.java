package dev.vigil.k8saudit.fields;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.event.Extractor;
import dev.vigil.event.FieldResolution;
import dev.vigil.k8saudit.Corpus;
import dev.vigil.k8saudit.K8sAuditSource;
import dev.vigil.k8saudit.event.AuditEvent;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** Field values over corpus events, from the table in {@code fields/cases.yaml}. */
class FieldCasesTest {

  @SuppressWarnings("unchecked")
  static Stream<Named<Map<String, Object>>> cases() throws IOException {
    try (InputStream in = FieldCasesTest.class.getResourceAsStream("/fields/cases.yaml")) {
      List<Object> rows =
          (List<Object>)
              new Load(LoadSettings.builder().build())
                  .loadFromString(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      List<Named<Map<String, Object>>> out = new ArrayList<>();
      for (Object o : rows) {
        Map<String, Object> m = (Map<String, Object>) o;
        out.add(
            Named.of(m.get("file") + ":" + m.getOrDefault("line", 1) + " " + m.get("field"), m));
      }
      return out.stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void fieldValue(Map<String, Object> c) throws IOException {
    List<String> lines = Files.readAllLines(Corpus.events().resolve(String.valueOf(c.get("file"))));
    int line = ((Number) c.getOrDefault("line", 1)).intValue();
    byte[] b = lines.get(line - 1).getBytes(StandardCharsets.UTF_8);
    AuditEvent e = new AuditEvent();
    e.reset(b, 0, b.length);
    String field = String.valueOf(c.get("field"));
    int br = field.indexOf('[');
    FieldResolution r =
        br < 0
            ? K8sAuditSource.info().fields().resolve(field, "")
            : K8sAuditSource.info()
                .fields()
                .resolve(field.substring(0, br), field.substring(br + 1, field.length() - 1));
    assertThat(r).isInstanceOf(FieldResolution.Resolved.class);
    FieldResolution.Resolved res = (FieldResolution.Resolved) r;
    Extractor<AuditEvent> x = new K8sAuditFields().extractor(res.field(), res.argument());
    Object expect = c.get("expect");
    Object actual =
        switch (x) {
          case Extractor.OfList<AuditEvent> l -> {
            List<String> v = l.values(e);
            yield v == null || v.isEmpty() ? "NA" : v;
          }
          default -> {
            String v = x.format(e);
            yield v == null ? "NA" : v;
          }
        };
    assertThat(actual).isEqualTo(expect);
  }
}
