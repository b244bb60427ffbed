package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link Numbers} writes exactly what {@code String.format(Locale.ROOT, ...)} writes. */
class NumbersTest {

  @Test
  void groupedIsPercentCommaD() {
    long[] edges = {
      0,
      1,
      -1,
      999,
      1000,
      -1000,
      999_999,
      1_000_000,
      -1_234_567,
      12_345,
      123_456,
      Long.MAX_VALUE,
      Long.MIN_VALUE,
      Long.MIN_VALUE + 1
    };
    for (long n : edges) {
      assertThat(Numbers.grouped(n)).as("%d", n).isEqualTo(String.format(Locale.ROOT, "%,d", n));
    }
    SplittableRandom r = new SplittableRandom(1);
    for (int i = 0; i < 100_000; i++) {
      long n = r.nextLong() >> r.nextInt(64);
      assertThat(Numbers.grouped(n)).as("%d", n).isEqualTo(String.format(Locale.ROOT, "%,d", n));
    }
  }

  @Test
  void oneDecimalIsPercentPointOneF() {
    double[] edges = {
      0.0,
      -0.0,
      0.05,
      0.15,
      0.25,
      0.35,
      0.45,
      0.95,
      1.05,
      9.95,
      99.95,
      1023.95,
      -0.04,
      -0.05,
      -0.15,
      1e7,
      1.5e15,
      1e20,
      123456789.25,
      Double.MIN_VALUE,
      -Double.MIN_VALUE,
      Double.MAX_VALUE,
      Double.NaN,
      Double.POSITIVE_INFINITY,
      Double.NEGATIVE_INFINITY,
      100.0 / 3,
      200.0 / 3
    };
    for (double v : edges) {
      check(v);
    }
    SplittableRandom r = new SplittableRandom(2);
    for (int i = 0; i < 100_000; i++) {
      check(r.nextDouble(-2000, 2000));
      check(r.nextInt(-100_000, 100_000) / 100.0); // two decimals: every tie at the second
      check(r.nextLong(1, 1L << 50) / 1024.0 / 1024.0); // sizes as the reports divide them
      check(Double.longBitsToDouble(r.nextLong()));
    }
  }

  private static void check(double v) {
    assertThat(Numbers.oneDecimal(v)).as("%s", v).isEqualTo(String.format(Locale.ROOT, "%.1f", v));
    assertThat(Numbers.signedOneDecimal(v))
        .as("%s", v)
        .isEqualTo(String.format(Locale.ROOT, "%+.1f", v));
  }
}
