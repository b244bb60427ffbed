package dev.vigil.kernel.fields;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.kernel.SyscallSource;
import dev.vigil.kernel.event.SyscallEvent;
import dev.vigil.rules.Alert;
import dev.vigil.rules.Engine;
import dev.vigil.rules.LoadResult;
import dev.vigil.rules.Priority;
import dev.vigil.rules.RulesFile;
import dev.vigil.rules.RulesLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Vigil's bundled syscall rules ({@code rules/vigil_rules.yaml}) against the behaviour they
 * describe: each case of {@code default-rules/cases.yaml} builds a process, its container, an fd
 * and a syscall record, and names the rule that fires with {@code rule_matching: first} (or none),
 * the later rules its first match hides, and text the alert must show. Every rule needs at least
 * one case where it fires and one near miss where it must stay quiet.
 */
class DefaultRulesTest {
  private static final Path RULES = Path.of("../rules/vigil_rules.yaml");
  private static final Engine<SyscallEvent> ENGINE = engine();
  private static final List<RuleCase> CASES = RuleCases.load("/default-rules/cases.yaml");

  private static Engine<SyscallEvent> engine() {
    String text;
    try {
      text = Files.readString(RULES);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    LoadResult r =
        new RulesLoader(List.of(SyscallSource.info()))
            .load(List.of(new RulesFile("vigil_rules.yaml", text)));
    assertThat(r.diagnostics()).as("errors and warnings of %s", RULES).isEmpty();
    return Engine.bind(
        r.ruleset(),
        SyscallSource.info(),
        new SyscallFields(SyscallSource.info().eventTypes(), "node-1"),
        new Engine.Options(Engine.Matching.FIRST, Priority.DEBUG, List.of()));
  }

  static Stream<RuleCase> cases() {
    return CASES.stream();
  }

  private static final dev.vigil.kernel.OpenFilter OPEN_FILTER =
      dev.vigil.kernel.OpenFilter.forRules(
          ENGINE.rules().stream().map(Engine.BoundRule::rule).toList());

  /** The kernel's open filter never keeps back an open some rule matches. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void theOpenFilterSendsEveryOpenARuleMatches(RuleCase c) {
    SyscallEvent e = c.event();
    String type = SyscallSource.info().eventTypes().byCode(e.eventType()).name();
    dev.vigil.kernel.state.FdInfo fd = e.fd();
    if (!Set.of("open", "openat", "openat2").contains(type) || fd == null) {
      return;
    }
    boolean matched =
        ENGINE.rules().stream()
            .anyMatch(r -> r.rule().eventTypes().get(e.eventType()) && r.matches(e));
    if (matched) {
      assertThat(OPEN_FILTER.sends(fd.name(), fd.openFlags(), true))
          .as("%s: %s %s flags %s sent", c, type, fd.name(), fd.openFlags())
          .isTrue();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void firstMatchIsTheExpectedRule(RuleCase c) {
    SyscallEvent e = c.event();
    List<Engine.BoundRule<SyscallEvent>> matching =
        ENGINE.rules().stream()
            .filter(r -> r.rule().eventTypes().get(e.eventType()) && r.matches(e))
            .toList();
    Optional<String> first = ENGINE.first(e).map(r -> r.rule().name());
    assertThat(first.orElse(RuleCase.NONE)).as("%s: first matching rule", c).isEqualTo(c.expect());
    assertThat(matching.stream().skip(1).map(r -> r.rule().name()).toList())
        .as("%s: later rules that match too (hidden by the first match)", c)
        .containsExactlyInAnyOrderElementsOf(c.shadowed());
    for (Engine.BoundRule<SyscallEvent> r : matching) {
      Alert a = r.alert(e, e.timestamp());
      assertThat(a.output()).as("%s: output of %s", c, r.rule().name()).doesNotContain("%");
    }
    if (!c.output().isEmpty()) {
      assertThat(matching).as("%s: a case with output checks must match", c).isNotEmpty();
      String output = matching.getFirst().alert(e, e.timestamp()).output();
      assertThat(output).as("%s: output", c).contains(c.output());
    }
  }

  @Test
  void everyRuleFiresInOneCaseAndStaysQuietOnANearMiss() {
    Set<String> rules = ruleNames();
    assertThat(rules).hasSize(32);
    Set<String> fired = CASES.stream().map(RuleCase::expect).collect(Collectors.toSet());
    Set<String> missed =
        CASES.stream()
            .filter(c -> !c.near().isEmpty())
            .map(RuleCase::near)
            .collect(Collectors.toSet());
    assertThat(fired).as("rules with a case that fires them").containsAll(rules);
    assertThat(missed).as("rules with a near-miss case").containsAll(rules);
  }

  @Test
  void casesNameRulesThatExist() {
    Set<String> known = ruleNames();
    known.add(RuleCase.NONE);
    for (RuleCase c : CASES) {
      assertThat(known).as(c.name()).contains(c.expect());
      assertThat(known).as(c.name()).containsAll(c.shadowed());
      if (!c.near().isEmpty()) {
        assertThat(known).as(c.name()).contains(c.near());
        assertThat(c.near())
            .as("%s: a near miss must not fire its rule", c.name())
            .isNotEqualTo(c.expect());
      }
    }
    assertThat(CASES.stream().map(RuleCase::name).distinct()).hasSameSizeAs(CASES);
  }

  private static Set<String> ruleNames() {
    return ENGINE.rules().stream()
        .map(r -> r.rule().name())
        .collect(Collectors.toCollection(TreeSet::new));
  }
}
