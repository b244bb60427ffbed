package dev.vigil.k8saudit.fields;

import dev.vigil.k8saudit.event.AuditEvent;
import dev.vigil.k8saudit.event.Key;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A JSON pointer (RFC 6901) as {@code json.value[...]} takes it: the leading {@code /} may be
 * omitted, {@code ~1} and {@code ~0} stand for {@code /} and {@code ~}, numeric segments index
 * arrays. The first segment of an audit event's own members is looked up in the event's index.
 */
record JsonPointer(List<byte[]> segments, @Nullable Key first) {

  static JsonPointer parse(String text) {
    String t = text.startsWith("/") ? text.substring(1) : text;
    List<byte[]> segs = new ArrayList<>();
    if (!text.isEmpty()) {
      for (String s : t.split("/", -1)) {
        segs.add(s.replace("~1", "/").replace("~0", "~").getBytes(StandardCharsets.UTF_8));
      }
    }
    Key first = null;
    if (!segs.isEmpty()) {
      String name = new String(segs.getFirst(), StandardCharsets.UTF_8);
      for (Key k : Key.values()) {
        if (k.json().equals(name)) {
          first = k;
        }
      }
    }
    return new JsonPointer(segs, first);
  }

  /** The value's text at this pointer, or null. */
  @Nullable String text(AuditEvent e) {
    return e.text(find(e));
  }

  int find(AuditEvent e) {
    if (segments.isEmpty()) {
      return e.bytes().length > 0 ? root(e) : -1;
    }
    int v;
    int from;
    if (first != null) {
      v = e.top(first);
      from = 1;
    } else {
      v = root(e);
      from = 0;
    }
    for (int i = from; i < segments.size() && v >= 0; i++) {
      byte[] s = segments.get(i);
      if (e.isArray(v)) {
        int idx = index(s);
        v = idx < 0 ? -1 : e.element(v, idx);
      } else {
        v = e.member(v, s);
      }
    }
    return v;
  }

  private static int root(AuditEvent e) {
    int i = e.start();
    byte[] b = e.bytes();
    while (i < e.end() && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t')) {
      i++;
    }
    return i < e.end() ? i : -1;
  }

  private static int index(byte[] s) {
    if (s.length == 0 || s.length > 9 || (s.length > 1 && s[0] == '0')) {
      return -1;
    }
    int n = 0;
    for (byte c : s) {
      if (c < '0' || c > '9') {
        return -1;
      }
      n = n * 10 + (c - '0');
    }
    return n;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof JsonPointer p && toString().equals(p.toString());
  }

  @Override
  public int hashCode() {
    return toString().hashCode();
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (byte[] s : segments) {
      sb.append('/').append(new String(s, StandardCharsets.UTF_8));
    }
    return sb.toString();
  }
}
