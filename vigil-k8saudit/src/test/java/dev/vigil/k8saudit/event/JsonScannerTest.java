package dev.vigil.k8saudit.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * {@link JsonScanner}'s word-at-a-time searches against byte-by-byte ones: every position of the
 * byte sought within and across words, at every alignment.
 */
class JsonScannerTest {
  @Test
  void firstByteIsTheLowestByteWithItsHighBitSetWhateverIsAbove() {
    for (int k = 0; k < 8; k++) {
      for (int above = 0; above < 1 << (7 - k); above++) {
        long hit = 1L << (8 * k + 7);
        for (int j = k + 1; j < 8; j++) {
          if ((above & (1 << (j - k - 1))) != 0) {
            hit |= 1L << (8 * j + 7);
          }
        }
        assertThat(JsonScanner.firstByte(hit)).as("%016x", hit).isEqualTo(k);
      }
    }
  }

  @Test
  void newlineFindsTheFirstLineBreakAtEveryOffset() {
    for (int len = 0; len < 80; len++) {
      for (int at = 0; at <= len; at++) {
        byte[] b = new byte[len + 8];
        java.util.Arrays.fill(b, (byte) 'x');
        if (at < len) {
          b[at] = '\n';
          if (at + 3 < len) {
            b[at + 3] = '\n'; // a later one must not be reported instead
          }
        }
        b[len] = '\n'; // past the limit: never reported
        for (int from = 0; from <= Math.min(at, 9); from++) {
          assertThat(JsonScanner.newline(b, from, len))
              .as("len %d at %d from %d", len, at, from)
              .isEqualTo(at);
        }
      }
    }
  }

  @Test
  void stringStopsAtItsClosingQuoteOrTheFirstByteThatInterruptsIt() {
    JsonScanner s = new JsonScanner();
    for (int len = 0; len < 40; len++) {
      for (int pad = 0; pad < 8; pad++) {
        String body = "a".repeat(len);
        String text = " ".repeat(pad) + "\"" + body + "\",\"x\"";
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        s.reset(b);
        assertThat(s.string(pad, b.length)).isEqualTo(pad + len + 2);
        for (int at = 0; at < len; at++) {
          for (char c : new char[] {'\\', '\n', '\u0001'}) {
            byte[] d = b.clone();
            d[pad + 1 + at] = (byte) c;
            s.reset(d);
            int end = s.string(pad, d.length);
            if (c == '\\' && at == len - 1) {
              // an escaped closing quote: the string goes on to the next quote
              assertThat(end).as("escaped quote").isEqualTo(pad + len + 4);
            } else if (c == '\\') {
              // an escape of the next byte: valid only when that is an escape letter ('a' is not)
              assertThat(end).as("escape at %d", at).isEqualTo(-1);
              assertThat(s.errorAt).isEqualTo(pad + 1 + at);
            } else {
              assertThat(end).isEqualTo(-1);
              assertThat(s.errorAt).as("control byte at %d", at).isEqualTo(pad + 1 + at);
            }
          }
        }
      }
    }
  }
}
