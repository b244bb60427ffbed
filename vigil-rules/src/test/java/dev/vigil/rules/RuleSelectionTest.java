package dev.vigil.rules;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RuleSelectionTest {
  @ParameterizedTest
  @CsvSource({
    "*, anything, true",
    "*, '', true",
    "'', '', true",
    "'', x, false",
    "*rule, first actual rule, true",
    "*rule, first actual rules, false",
    "*second*r*, second disabled rule, true",
    "*second*r*, first actual rule, false",
    "a*b*c, aXbYc, true",
    "a*b*c, aXbYcZ, false",
    "a**c, ac, true",
    "Terminal shell*, Terminal shell in container, true",
    "terminal shell*, Terminal shell in container, false",
    "a?c, abc, false",
    "a?c, a?c, true"
  })
  void wildcardMatchesTheWholeName(String pattern, String name, boolean expected) {
    assertThat(RuleSelection.wildcard(pattern, name)).isEqualTo(expected);
  }
}
