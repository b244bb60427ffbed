package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.k8saudit.K8sAuditSource;
import dev.vigil.k8saudit.event.AuditEvent;
import dev.vigil.k8saudit.event.AuditReader;
import dev.vigil.k8saudit.event.InputProblem;
import dev.vigil.k8saudit.fields.K8sAuditFields;
import dev.vigil.rules.Alert;
import dev.vigil.rules.Engine;
import dev.vigil.rules.LoadResult;
import dev.vigil.rules.Priority;
import dev.vigil.rules.RulesFile;
import dev.vigil.rules.RulesLoader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Replaying audit events on several threads raises the alerts of evaluating them one after the
 * other, in the same order: Falco's k8s audit traces, repeated until many batches are in flight.
 */
class ParallelAuditRulesTest {
  private static final Path SHARED = Path.of(System.getProperty("vigil.shared", "../shared"));

  @ParameterizedTest
  @EnumSource(Engine.Matching.class)
  void alertsComeInInputOrder(Engine.Matching matching) throws IOException {
    Path rulesFile = SHARED.resolve("corpus/falco/k8s_audit_rules.yaml");
    LoadResult r =
        new RulesLoader(List.of(K8sAuditSource.info()))
            .load(List.of(new RulesFile("k8s_audit_rules.yaml", Files.readString(rulesFile))));
    K8sAuditRules rules =
        new K8sAuditRules(
            Engine.bind(
                r.ruleset(),
                K8sAuditSource.info(),
                new K8sAuditFields(),
                new Engine.Options(matching, Priority.DEBUG, List.of())));
    byte[] log = log();

    List<String> sequential = new ArrayList<>();
    read(log, e -> rules.evaluate(e, a -> sequential.add(render(a))));
    List<String> parallel = new ArrayList<>();
    try (ParallelAuditRules p = new ParallelAuditRules(rules, 3, a -> parallel.add(render(a)))) {
      read(log, p::accept);
      p.finish();
    }
    assertThat(sequential).hasSizeGreaterThan(10 * ParallelAuditRules.BATCH_EVENTS);
    assertThat(parallel).isEqualTo(sequential);
  }

  private static String render(Alert a) {
    return a.rule() + " " + a.time() + " " + a.output();
  }

  /** Every k8s audit trace's events, many times over, as one JSON-lines log. */
  private static byte[] log() throws IOException {
    List<Path> traces;
    try (Stream<Path> s =
        Files.list(
            SHARED.resolve("corpus/falco/falco-0.34.1-legacy-tests/trace_files/k8s_audit"))) {
      traces = s.sorted().toList();
    }
    ByteArrayOutputStream one = new ByteArrayOutputStream();
    for (Path t : traces) {
      read(
          Files.readAllBytes(t),
          e -> {
            one.write(e.bytes(), e.start(), e.end() - e.start());
            one.write('\n');
          });
    }
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (int i = 0; i < 400; i++) {
      all.writeBytes(one.toByteArray());
    }
    return all.toByteArray();
  }

  private static void read(byte[] log, java.util.function.Consumer<AuditEvent> each)
      throws IOException {
    new AuditReader()
        .read(
            new ByteArrayInputStream(log),
            "log",
            new AuditReader.Sink() {
              @Override
              public void event(AuditEvent event, long line) {
                each.accept(event);
              }

              @Override
              public void problem(InputProblem problem) {}
            });
  }
}
