package dev.vigil.k8saudit.policy.simulate;

import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * A gzip-compressed log (a rotated backup), decompressed. Compressed data that is corrupt or ends
 * early — a backup cut short, or still being compressed — ends the stream instead of failing it, so
 * that the lines before the damage are processed; {@link #damage} then says what was wrong and at
 * which line.
 */
final class GzipInput extends FilterInputStream {
  private long lines = 1;
  private Optional<String> damage = Optional.empty();

  private GzipInput(InputStream in) {
    super(in);
  }

  /** The decompressed stream, or what is wrong with the gzip header. */
  static GzipInput open(InputStream compressed) throws IOException {
    return new GzipInput(new GZIPInputStream(compressed, 1 << 16));
  }

  /** Whether {@code e} says the compressed data is damaged (rather than the file unreadable). */
  static boolean damaged(IOException e) {
    return e instanceof ZipException || e instanceof EOFException;
  }

  /** The problem that ended the stream early, if any. */
  Optional<String> damage() {
    return damage;
  }

  /** The line the stream ended in (1-based). */
  long line() {
    return lines;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (damage.isPresent()) {
      return -1;
    }
    int n;
    try {
      n = in.read(b, off, len);
    } catch (IOException e) {
      if (!damaged(e)) {
        throw e;
      }
      damage = Optional.of(describe(e));
      return -1;
    }
    for (int i = off; i < off + n; i++) {
      if (b[i] == '\n') {
        lines++;
      }
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    long done = 0;
    byte[] sink = new byte[8192];
    while (done < n) {
      int r = read(sink, 0, (int) Math.min(sink.length, n - done));
      if (r < 0) {
        break;
      }
      done += r;
    }
    return done;
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  static String describe(IOException e) {
    String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return e instanceof EOFException
        ? "the compressed data ends early (a gzip file cut short?): the rest of the file is lost"
        : "the compressed data is corrupt (" + why + "): the rest of the file is skipped";
  }
}
