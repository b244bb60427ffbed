package dev.vigil.k8saudit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.rules.LoadResult;
import dev.vigil.rules.Rule;
import dev.vigil.rules.RulesFile;
import dev.vigil.rules.RulesLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Must-show 1: Falco's k8s_audit_rules.yaml loads unchanged against the k8s_audit catalogue. */
class K8sAuditRulesTest {

  @Test
  void falcosK8sAuditRulesLoadWithoutErrorsOrWarnings() throws IOException {
    Path file =
        Path.of(
            System.getProperty("vigil.shared", "../shared"), "corpus/falco/k8s_audit_rules.yaml");
    LoadResult r =
        new RulesLoader(List.of(K8sAuditSource.info()))
            .load(List.of(new RulesFile("k8s_audit_rules.yaml", Files.readString(file))));
    assertThat(r.errors()).isEmpty();
    assertThat(r.warnings()).isEmpty();
    assertThat(r.ruleset().rules()).hasSize(48);
    assertThat(r.ruleset().rules()).allMatch(rule -> rule.source().equals("k8s_audit"));
    Rule exec = r.ruleset().rule("Attach/Exec Pod").orElseThrow();
    assertThat(exec.compiled()).contains("ka.target.subresource in (exec, attach)");
  }
}
