package dev.vigil.k8saudit.policy.simulate;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A growable byte buffer for per-event output lines, written without intermediate strings. */
final class Bytes {
  private byte[] buf;
  private int size;

  Bytes(int capacity) {
    this.buf = new byte[capacity];
  }

  byte[] array() {
    return buf;
  }

  int size() {
    return size;
  }

  void reset() {
    size = 0;
  }

  private void ensure(int extra) {
    if (size + extra > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + extra));
    }
  }

  Bytes ascii(String s) {
    ensure(s.length());
    for (int i = 0; i < s.length(); i++) {
      buf[size++] = (byte) s.charAt(i);
    }
    return this;
  }

  Bytes raw(byte[] b, int s, int e) {
    ensure(e - s);
    System.arraycopy(b, s, buf, size, e - s);
    size += e - s;
    return this;
  }

  /** A non-negative decimal number, without allocating. */
  Bytes number(long v) {
    if (v < 0) {
      return ascii(Long.toString(v));
    }
    ensure(20);
    int digits = 1;
    for (long x = v; x >= 10; x /= 10) {
      digits++;
    }
    for (int i = size + digits - 1; i >= size; i--) {
      buf[i] = (byte) ('0' + v % 10);
      v /= 10;
    }
    size += digits;
    return this;
  }

  Bytes raw(byte[] b) {
    return raw(b, 0, b.length);
  }

  /** A JSON string literal of arbitrary text. */
  Bytes jsonString(String s) {
    ensure(s.length() * 6 + 2);
    buf[size++] = '"';
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    for (byte c : utf8) {
      if (c == '"' || c == '\\') {
        ensure(2);
        buf[size++] = '\\';
        buf[size++] = c;
      } else if (c >= 0 && c < 0x20) {
        ascii(String.format("\\u%04x", (int) c));
      } else {
        ensure(1);
        buf[size++] = c;
      }
    }
    ensure(1);
    buf[size++] = '"';
    return this;
  }

  Bytes bool(boolean b) {
    return ascii(b ? "true" : "false");
  }

  void writeTo(OutputStream out) throws IOException {
    out.write(buf, 0, size);
  }
}
