package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.k8saudit.policy.lint.Check;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/audit-policy.md documents every lint check with its id and severity. */
class AuditPolicyDocsTest {
  @Test
  void everyCheckIsDocumented() throws IOException {
    Path doc = Path.of(System.getProperty("vigil.root", ".."), "docs", "audit-policy.md");
    String text = Files.readString(doc, StandardCharsets.UTF_8);
    for (Check c : Check.values()) {
      assertThat(text)
          .as("docs/audit-policy.md documents %s", c.id())
          .contains("| `" + c.id() + "` | " + c.severity().label() + " |");
    }
  }
}
