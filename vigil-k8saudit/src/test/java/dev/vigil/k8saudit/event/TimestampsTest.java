package dev.vigil.k8saudit.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/** {@link Timestamps} against {@code java.time}: every day of four centuries, and bad dates. */
class TimestampsTest {
  @Test
  void everyDayFrom1900To2300IsTheDayJavaTimeCounts() {
    for (LocalDate d = LocalDate.of(1900, 1, 1);
        d.isBefore(LocalDate.of(2300, 1, 1));
        d = d.plusDays(1)) {
      assertThat(Timestamps.epochDay(d.getYear(), d.getMonthValue(), d.getDayOfMonth()))
          .as(d.toString())
          .isEqualTo(d.toEpochDay());
      assertThat(Timestamps.daysIn(d.getYear(), d.getMonthValue())).isEqualTo(d.lengthOfMonth());
    }
    for (int y : new int[] {0, 1, 4, 100, 400, 1600, 1969, 1970, 9999}) {
      for (int m = 1; m <= 12; m++) {
        LocalDate d = LocalDate.of(y, m, 1);
        assertThat(Timestamps.epochDay(y, m, 1)).as(d.toString()).isEqualTo(d.toEpochDay());
      }
    }
  }

  @Test
  void daysThatDoNotExistAreNotTimestamps() {
    for (String bad :
        new String[] {
          "2026-02-29T00:00:00Z",
          "2100-02-29T00:00:00Z",
          "2026-04-31T00:00:00Z",
          "2026-13-01T00:00:00Z",
          "2026-00-10T00:00:00Z",
          "2026-01-32T00:00:00Z"
        }) {
      assertThat(Timestamps.parse(bad)).as(bad).isEqualTo(Long.MIN_VALUE);
      assertThat(parses(bad.substring(0, 10))).as(bad).isFalse();
    }
    assertThat(Timestamps.parse("2024-02-29T23:59:59.5Z"))
        .isEqualTo(nanos(Instant.parse("2024-02-29T23:59:59.5Z")));
    assertThat(Timestamps.parse("2000-02-29T00:00:00+01:30"))
        .isEqualTo(nanos(Instant.parse("2000-02-28T22:30:00Z")));
  }

  private static boolean parses(String date) {
    try {
      LocalDate.parse(date);
      return true;
    } catch (DateTimeException e) {
      return false;
    }
  }

  private static long nanos(Instant i) {
    return i.getEpochSecond() * 1_000_000_000L + i.getNano();
  }
}
