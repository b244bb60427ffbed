package dev.vigil.k8saudit.event;

import java.nio.charset.StandardCharsets;

/** Compact JSON text of a value: its bytes with the whitespace outside strings removed. */
final class Compact {
  private Compact() {}

  static String json(byte[] b, int s, int e) {
    boolean spaced = false;
    boolean inString = false;
    for (int i = s; i < e; i++) {
      byte c = b[i];
      if (inString) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          inString = false;
        }
      } else if (c == '"') {
        inString = true;
      } else if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
        spaced = true;
        break;
      }
    }
    if (!spaced) {
      return new String(b, s, e - s, StandardCharsets.UTF_8);
    }
    byte[] out = new byte[e - s];
    int n = 0;
    inString = false;
    for (int i = s; i < e; i++) {
      byte c = b[i];
      if (inString) {
        out[n++] = c;
        if (c == '\\' && i + 1 < e) {
          out[n++] = b[++i];
        } else if (c == '"') {
          inString = false;
        }
      } else if (c == '"') {
        inString = true;
        out[n++] = c;
      } else if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
        out[n++] = c;
      }
    }
    return new String(out, 0, n, StandardCharsets.UTF_8);
  }
}
