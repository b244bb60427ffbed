package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link Utf8Reader} decodes as the JDK does and hands out what precedes bytes that are bad. */
class Utf8ReaderTest {
  private static final String[] PIECES = {"a", "key: value\n", "é", "値", "😀", "\u00a0", "\n"};

  @Test
  void decodesLikeTheJdkWhateverTheChunks() throws IOException {
    Random random = new Random(7);
    for (int round = 0; round < 200; round++) {
      StringBuilder b = new StringBuilder();
      int n = random.nextInt(200_000);
      while (b.length() < n) {
        b.append(PIECES[random.nextInt(PIECES.length)]);
      }
      String text = b.toString();
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      assertThat(readAll(new Utf8Reader(new Trickle(bytes, random)), random)).isEqualTo(text);
    }
  }

  @Test
  void everythingBeforeBadBytesComesFirst() throws IOException {
    byte[][] bad = {
      {(byte) 0xff}, {(byte) 0xe9, '-'}, {(byte) 0xc3}, {(byte) 0xed, (byte) 0xa0, (byte) 0x80}
    };
    for (byte[] b : bad) {
      String before = "ok: é\n".repeat(20_000) + "x: ";
      byte[] head = before.getBytes(StandardCharsets.UTF_8);
      byte[] all = new byte[head.length + b.length + 3];
      System.arraycopy(head, 0, all, 0, head.length);
      System.arraycopy(b, 0, all, head.length, b.length);
      all[all.length - 3] = 'a';
      all[all.length - 2] = 'b';
      all[all.length - 1] = '\n';
      Reader r = new Utf8Reader(new Trickle(all, new Random(1)));
      StringBuilder got = new StringBuilder();
      char[] buf = new char[777];
      assertThatThrownBy(
              () -> {
                for (int k = r.read(buf, 0, buf.length); k >= 0; k = r.read(buf, 0, buf.length)) {
                  got.append(buf, 0, k);
                }
              })
          .isInstanceOf(MalformedInputException.class);
      assertThat(got.toString()).isEqualTo(before);
    }
  }

  private static String readAll(Reader r, Random random) throws IOException {
    StringBuilder out = new StringBuilder();
    char[] buf = new char[8192];
    while (true) {
      int k = r.read(buf, 0, 1 + random.nextInt(buf.length));
      if (k < 0) {
        return out.toString();
      }
      out.append(buf, 0, k);
    }
  }

  /** Hands out the bytes in chunks of random sizes, cutting multi-byte characters. */
  private static final class Trickle extends InputStream {
    private final ByteArrayInputStream in;
    private final Random random;

    Trickle(byte[] bytes, Random random) {
      this.in = new ByteArrayInputStream(bytes);
      this.random = random;
    }

    @Override
    public int read() {
      return in.read();
    }

    @Override
    public int read(byte[] b, int off, int len) {
      return in.read(b, off, Math.min(len, 1 + random.nextInt(5000)));
    }
  }
}
