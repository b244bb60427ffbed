package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code vigil audit policy check} and {@code lint} output for every policy of the corpus, against
 * golden files under {@code src/test/resources/golden/audit-policy/} (see {@link Golden}: run with
 * {@code -Dvigil.golden.update=true} to write the current output as the new golden files).
 */
class LintGoldenTest {
  static final Path CORPUS = Path.of(AuditCli.corpus("policies")).resolve("..").normalize();

  static Stream<String> policies() throws IOException {
    try (Stream<Path> s = Files.walk(CORPUS.resolve("policies"))) {
      return s
          .filter(p -> p.toString().endsWith(".yaml"))
          .map(p -> CORPUS.relativize(p).toString())
          .sorted()
          .toList()
          .stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("policies")
  void output(String policy) throws IOException {
    String file = CORPUS.resolve(policy).toString();
    AuditCli check = AuditCli.run("audit", "policy", "check", file);
    AuditCli lint = AuditCli.run("audit", "policy", "lint", file);
    String got =
        ("$ vigil audit policy check "
                + policy
                + "  # exit "
                + check.code()
                + "\n"
                + check.out()
                + "\n$ vigil audit policy lint "
                + policy
                + "  # exit "
                + lint.code()
                + "\n"
                + lint.out())
            .replace(CORPUS + "/", "");
    assertThat(check.err() + lint.err()).isEmpty();
    Golden.check("audit-policy/" + policy.replace(".yaml", ".txt"), got);
  }
}
