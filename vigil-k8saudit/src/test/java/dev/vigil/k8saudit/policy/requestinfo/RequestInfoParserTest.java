package dev.vigil.k8saudit.policy.requestinfo;

import static dev.vigil.k8saudit.policy.Corpus.bool;
import static dev.vigil.k8saudit.policy.Corpus.map;
import static dev.vigil.k8saudit.policy.Corpus.str;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** kube-apiserver's RequestInfo algorithm, from {@code policy/requestinfo-cases.yaml}. */
class RequestInfoParserTest {
  static final Map<String, Object> CASES = load();

  static Map<String, Object> load() {
    try (InputStream in =
        Objects.requireNonNull(
            RequestInfoParserTest.class.getResourceAsStream("/policy/requestinfo-cases.yaml"))) {
      return map(new Load(LoadSettings.builder().build()).loadFromInputStream(in));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static Stream<Arguments> http() {
    return dev.vigil.k8saudit.policy.Corpus.list(CASES.get("http")).stream()
        .map(c -> Arguments.of(str(map(c), "method") + " " + str(map(c), "uri"), map(c)));
  }

  static Stream<Arguments> audit() {
    return dev.vigil.k8saudit.policy.Corpus.list(CASES.get("audit")).stream()
        .map(c -> Arguments.of(str(map(c), "verb") + " " + str(map(c), "uri"), map(c)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("http")
  void liveRequests(String name, Map<String, Object> c) {
    RequestInfo info = RequestInfoParser.parse(str(c, "method"), str(c, "uri"));
    expect(info, c, str(c, "verb"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("audit")
  void auditEvents(String name, Map<String, Object> c) {
    RequestInfo info = RequestInfoParser.fromAuditEvent(str(c, "verb"), str(c, "uri"));
    expect(info, c, str(c, "verb"));
  }

  private static void expect(RequestInfo info, Map<String, Object> c, String verb) {
    boolean resource = bool(c, "r");
    assertThat(info.resourceRequest()).isEqualTo(resource);
    assertThat(info.verb()).isEqualTo(verb);
    if (resource) {
      assertThat(
              List.of(
                  info.apiGroup(),
                  info.apiVersion(),
                  info.namespace(),
                  info.resource(),
                  info.subresource(),
                  info.name()))
          .containsExactly(
              str(c, "group"),
              str(c, "version"),
              str(c, "ns"),
              str(c, "resource"),
              str(c, "sub"),
              str(c, "name"));
    } else {
      assertThat(info.path()).isEqualTo(str(c, "path"));
      assertThat(info.resource()).isEmpty();
    }
  }

  @Test
  void fieldSelectorEscapes() {
    assertThat(FieldSelector.exactMatch("metadata.name=a\\,b", "metadata.name")).contains("a,b");
    assertThat(FieldSelector.exactMatch("metadata.name=a,b", "metadata.name")).isEmpty();
    assertThat(FieldSelector.exactMatch("spec.nodeName=n,metadata.name=x", "metadata.name"))
        .contains("x");
    assertThat(FieldSelector.exactMatch("", "metadata.name")).isEmpty();
  }
}
