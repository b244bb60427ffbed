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
 * golden files under {@code src/test/resources/golden/audit-policy/}. Run with {@code
 * -Dvigil.golden.accept=true} to write the current output as the new golden files.
 */
class LintGoldenTest {
  static final Path CORPUS = Path.of(Cli.corpus("policies")).resolve("..").normalize();
  static final Path GOLDEN = Path.of("src/test/resources/golden/audit-policy");

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
    Cli check = Cli.run("audit", "policy", "check", file);
    Cli lint = Cli.run("audit", "policy", "lint", file);
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
    Path golden = GOLDEN.resolve(policy.replace(".yaml", ".txt"));
    if (Boolean.getBoolean("vigil.golden.accept")) {
      Files.createDirectories(golden.getParent());
      Files.writeString(golden, got);
    }
    assertThat(golden).as("golden file (run with -Dvigil.golden.accept=true)").exists();
    assertThat(got).isEqualTo(Files.readString(golden));
  }
}
