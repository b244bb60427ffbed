package dev.vigil.rules.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SuggestTest {
  private static final List<String> NAMES =
      List.of("spawned_process", "open_write", "open_read", "proc.name", "proc.pname", "condition");

  @ParameterizedTest
  @CsvSource({
    "spawned_proces, spawned_process",
    "spawend_process, spawned_process",
    "proc.nmae, proc.name",
    "PROC.NAME, proc.name",
    "conditon, condition",
    "open_wirte, open_write"
  })
  void suggestsTheClosestName(String written, String expected) {
    assertThat(Suggest.closest(written, NAMES)).contains(expected);
  }

  @ParameterizedTest
  @CsvSource({"xyz", "something_else_entirely", "proc.name", "ab"})
  void staysQuietWhenNothingIsClose(String written) {
    assertThat(Suggest.closest(written, NAMES)).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({"abc, abc, 0", "abc, acb, 1", "kitten, sitting, 3", "'', abc, 3", "ca, abc, 3"})
  void distanceCountsAdjacentSwapsOnce(String a, String b, int expected) {
    assertThat(Suggest.distance(a, b)).isEqualTo(expected);
  }
}
