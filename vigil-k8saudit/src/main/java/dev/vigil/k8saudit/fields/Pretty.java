package dev.vigil.k8saudit.fields;

import dev.vigil.k8saudit.event.AuditEvent;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/** The whole event re-indented with two spaces per level ({@code json.obj}). */
final class Pretty {
  private Pretty() {}

  static @Nullable String json(AuditEvent e) {
    if (!e.validate()) {
      return null;
    }
    byte[] b = e.bytes();
    StringBuilder sb = new StringBuilder((e.end() - e.start()) * 2);
    int depth = 0;
    for (int i = e.start(); i < e.end(); i++) {
      byte c = b[i];
      switch (c) {
        case '"' -> {
          int s = i;
          i++;
          while (b[i] != '"') {
            i += b[i] == '\\' ? 2 : 1;
          }
          sb.append(new String(b, s, i - s + 1, StandardCharsets.UTF_8));
        }
        case '{', '[' -> {
          int j = skipWs(b, i + 1, e.end());
          if (b[j] == '}' || b[j] == ']') {
            sb.append((char) c).append((char) b[j]);
            i = j;
            continue;
          }
          depth++;
          sb.append((char) c).append('\n').append("  ".repeat(depth));
        }
        case '}', ']' -> {
          depth--;
          sb.append('\n').append("  ".repeat(Math.max(0, depth))).append((char) c);
        }
        case ',' -> sb.append(",\n").append("  ".repeat(depth));
        case ':' -> sb.append(": ");
        case ' ', '\n', '\r', '\t' -> {}
        default -> sb.append((char) c);
      }
    }
    return sb.toString();
  }

  private static int skipWs(byte[] b, int i, int end) {
    while (i < end && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t')) {
      i++;
    }
    return i;
  }
}
