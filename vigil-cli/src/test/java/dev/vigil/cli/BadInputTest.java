package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Must-show 3: bad rules files give a positioned diagnostic with Falco's code and a non-zero exit;
 * never a stack trace, a hang or an out-of-memory.
 */
class BadInputTest {
  @TempDir Path dir;

  private static final String RULE =
      "- rule: r\n  desc: d\n  condition: %s\n  output: \"%%proc.name\"\n  priority: WARNING\n";

  static Stream<Arguments> cases() {
    return Stream.of(
        bad("malformed YAML", "- rule: r\n  desc: [unclosed\n", "LOAD_ERR_YAML_PARSE", 3),
        bad("bad indentation", "- rule: r\n   desc: d\n  condition: x\n", "LOAD_ERR_YAML_PARSE", 2),
        bad("tab indentation", "- rule: r\n\tdesc: d\n", "LOAD_ERR_YAML_PARSE", 2),
        bad("top level mapping", "rule: r\ndesc: d\n", "LOAD_ERR_YAML_VALIDATE", 1),
        bad("items not a sequence", "- list: l\n  items: notalist\n", "LOAD_ERR_YAML_VALIDATE", 2),
        bad(
            "priority a list",
            """
            - rule: r
              desc: d
              condition: evt.type=open
              output: o
              priority: [a]
            """,
            "LOAD_ERR_YAML_VALIDATE",
            5),
        bad(
            "enabled not a boolean",
            """
            - rule: r
              desc: d
              condition: evt.type=open
              output: o
              priority: INFO
              enabled: maybe
            """,
            "LOAD_ERR_YAML_VALIDATE",
            6),
        bad(
            "misspelled key leaves condition missing",
            "- rule: r\n  desc: d\n  conditon: evt.type=open\n  output: o\n  priority: INFO\n",
            "LOAD_ERR_YAML_VALIDATE",
            1),
        bad(
            "unknown field",
            String.format(RULE, "evt.type=open and proc.nmae=x"),
            "LOAD_ERR_COMPILE_CONDITION",
            3),
        bad(
            "undefined macro",
            String.format(RULE, "evt.type=open and not my_undefined_macro"),
            "LOAD_ERR_VALIDATE",
            3),
        bad(
            "append to undefined list",
            "- list: nope\n  items: [a]\n  override:\n    items: append\n",
            "LOAD_ERR_VALIDATE",
            1),
        bad(
            "macro cycle",
            "- macro: a\n  condition: evt.type=open\n- macro: b\n  condition: a\n"
                + "- macro: a\n  condition: b\n  override:\n    condition: replace\n"
                + String.format(RULE, "b"),
            "LOAD_ERR_VALIDATE",
            6),
        bad(
            "10,000 nested parentheses",
            String.format(RULE, "(".repeat(10_000) + "evt.type=open" + ")".repeat(10_000)),
            "LOAD_ERR_COMPILE_CONDITION",
            3),
        bad(
            "a 10 MB condition",
            String.format(RULE, "evt.type=open and proc.name in (" + "x,".repeat(5_000_000) + "y)"),
            "LOAD_ERR_COMPILE_CONDITION",
            3),
        bad("alias bomb", aliasBomb(), "LOAD_ERR_YAML_PARSE", 0),
        bad("binary garbage", "\u0000\u0001\u0002\u00ff\ufffe garbage", "LOAD_ERR_YAML_PARSE", 1),
        bad(
            "invalid escape in a quoted string",
            String.format(RULE, "'evt.type=open and proc.name=\"a\\qb\"'"),
            "LOAD_ERR_COMPILE_CONDITION",
            3),
        bad(
            "unknown output field",
            """
            - rule: r
              desc: d
              condition: evt.type=open
              output: "%proc.nope"
              priority: INFO
            """,
            "LOAD_ERR_COMPILE_OUTPUT",
            4));
  }

  private static Arguments bad(String name, String content, String code, int line) {
    return Arguments.of(Named.of(name, content), code, line);
  }

  /** The "billion laughs" shape: each level references the previous one a dozen times. */
  private static String aliasBomb() {
    StringBuilder sb = new StringBuilder("- list: bomb\n  items: &a0 [lol]\n");
    for (int i = 1; i <= 12; i++) {
      sb.append("- list: bomb").append(i).append("\n  items: &a").append(i).append(" [");
      for (int k = 0; k < 12; k++) {
        sb.append(k == 0 ? "" : ", ").append("*a").append(i - 1);
      }
      sb.append("]\n");
    }
    return sb.toString();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void badInputIsAPositionedDiagnostic(String content, String code, int line) throws IOException {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(file, content, StandardCharsets.UTF_8);
    Cli.Result r = Cli.run("rules", "validate", "-r", file.toString());
    assertThat(r.code()).as(r.err()).isEqualTo(ExitCode.FINDINGS);
    assertThat(r.err()).contains("[" + code + "]");
    if (line > 0) {
      assertThat(r.err()).contains(file + ":" + line + ":");
    } else {
      assertThat(r.err())
          .containsPattern(java.util.regex.Pattern.quote(file.toString()) + ":\\d+:\\d+: error");
    }
    assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
    assertThat(r.out()).contains("Invalid");

    Cli.Result json = Cli.run("rules", "validate", "-r", file.toString(), "--json");
    assertThat(json.code()).isEqualTo(ExitCode.FINDINGS);
    assertThat(json.out()).contains("\"code\" : \"" + code + "\"").contains("\"line\"");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unreadable")
  void unreadableInputIsAUsageError(String path) {
    Cli.Result r = Cli.run("rules", "validate", "-r", path);
    assertThat(r.code()).isEqualTo(ExitCode.USAGE);
    assertThat(r.err()).startsWith("vigil: cannot open rules file");
  }

  static Stream<String> unreadable() {
    return Stream.of("/nonexistent/rules.yaml", "/proc/self/nope.yaml");
  }

  static Stream<Arguments> misspellings() {
    return Stream.of(
        Arguments.of(
            Named.of(
                "macro",
                "- macro: spawned_process\n  condition: evt.type=execve\n"
                    + String.format(RULE, "spawned_proces")),
            "did you mean 'spawned_process'?"),
        Arguments.of(
            Named.of("field", String.format(RULE, "evt.type=open and proc.nmae=x")),
            "did you mean 'proc.name'?"),
        Arguments.of(
            Named.of(
                "key",
                """
                - rule: r
                  desc: d
                  conditon: evt.type=open
                  output: o
                  priority: INFO
                """),
            "did you mean 'condition'?"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("misspellings")
  void misspelledNamesGetADidYouMeanHint(String content, String hint) throws IOException {
    Path file = dir.resolve("typo.yaml");
    Files.writeString(file, content, StandardCharsets.UTF_8);
    Cli.Result r = Cli.run("rules", "validate", "-r", file.toString());
    assertThat(r.err()).contains("  hint: " + hint);
    Cli.Result json = Cli.run("rules", "validate", "-r", file.toString(), "--json");
    assertThat(json.out()).contains("\"hint\" : \"" + hint + "\"");
  }

  @org.junit.jupiter.api.Test
  void notUtf8IsAnErrorNotACrash() throws IOException {
    Path file = dir.resolve("latin1.yaml");
    Files.write(file, new byte[] {'-', ' ', 'l', 'i', 's', 't', ':', ' ', (byte) 0xe9, '\n'});
    Cli.Result r = Cli.run("rules", "validate", "-r", file.toString());
    assertThat(r.code()).isEqualTo(ExitCode.FINDINGS);
    assertThat(r.err()).contains("not valid UTF-8");
  }
}
