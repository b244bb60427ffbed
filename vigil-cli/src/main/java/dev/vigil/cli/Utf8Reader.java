package dev.vigil.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;

/**
 * A strict UTF-8 reader that hands out every character before bytes that are not UTF-8 and only
 * then fails, so that the reader of the characters can say where the bad bytes are (the JDK's
 * {@code InputStreamReader} fails at once, dropping the characters decoded before them).
 */
final class Utf8Reader extends Reader {
  private final InputStream in;
  private final CharsetDecoder decoder =
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);
  private final ByteBuffer bytes = ByteBuffer.allocate(1 << 16).flip();
  private boolean eof;
  private boolean bad;

  Utf8Reader(InputStream in) {
    this.in = in;
  }

  @Override
  public int read(char[] buf, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    CharBuffer out = CharBuffer.wrap(buf, off, len);
    while (true) {
      if (bad) {
        throw new MalformedInputException(1);
      }
      CoderResult r = decoder.decode(bytes, out, eof);
      if (r.isError()) {
        bad = true;
      } else if (r.isUnderflow() && eof) {
        if (out.position() == off) {
          CoderResult f = decoder.flush(out);
          if (f.isError()) {
            bad = true;
            continue;
          }
        }
        return out.position() > off ? out.position() - off : -1;
      } else if (r.isUnderflow() && out.position() == off) {
        fill();
        continue;
      }
      if (out.position() > off) {
        return out.position() - off;
      }
    }
  }

  private void fill() throws IOException {
    bytes.compact();
    int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
    if (n < 0) {
      eof = true;
    } else {
      bytes.position(bytes.position() + n);
    }
    bytes.flip();
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
