package dev.vigil.k8saudit.fields;

import dev.vigil.k8saudit.event.AuditEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Walking member paths in an event, with the k8saudit plugin's rules for arrays met on the way:
 * without an index every element is followed (an element without the rest of the path counts as
 * missing), with an index only that element is.
 */
final class Paths {
  private Paths() {}

  static byte[][] keys(String... names) {
    byte[][] out = new byte[names.length][];
    for (int i = 0; i < names.length; i++) {
      out[i] = names[i].getBytes(StandardCharsets.UTF_8);
    }
    return out;
  }

  /** The value at {@code keys} below the object at {@code v} (no arrays followed), or -1. */
  static int get(AuditEvent e, int v, byte[][] keys) {
    for (byte[] k : keys) {
      if (v < 0) {
        return -1;
      }
      v = e.member(v, k);
    }
    return v;
  }

  /**
   * Every value at {@code keys[from..]} below {@code v}, following arrays; -1 entries for elements
   * that lack the path. Returns false when the path is missing outside of any array (no value).
   */
  static boolean recursive(AuditEvent e, int v, int index, byte[][] keys, int from, IntList out) {
    for (int i = from; i < keys.length; i++) {
      if (v < 0) {
        return false;
      }
      if (e.isArray(v)) {
        if (index < 0) {
          for (int el = e.firstElement(v); el >= 0; el = e.nextElement(el)) {
            int mark = out.size();
            if (!recursive(e, el, index, keys, i, out)) {
              out.truncate(mark);
              out.add(-1);
            }
          }
          return true;
        }
        v = e.element(v, index);
        if (v < 0) {
          return false;
        }
      }
      v = keys[i].length == 0 ? v : e.member(v, keys[i]);
      if (v < 0) {
        return false;
      }
    }
    out.add(v);
    return true;
  }

  /** The values' texts, skipping missing ones; null when the path itself is missing. */
  static @Nullable List<String> texts(AuditEvent e, int root, int index, byte[][] keys) {
    IntList vs = new IntList();
    if (!recursive(e, root, index, keys, 0, vs)) {
      return null;
    }
    List<String> out = new ArrayList<>(vs.size());
    for (int i = 0; i < vs.size(); i++) {
      String t = e.text(vs.get(i));
      if (t != null && vs.get(i) >= 0) {
        out.add(t);
      }
    }
    return out;
  }

  /** The elements of the array at {@code v} as texts; null when {@code v} is not an array. */
  static @Nullable List<String> elements(AuditEvent e, int v) {
    if (!e.isArray(v)) {
      return null;
    }
    List<String> out = new ArrayList<>();
    for (int el = e.firstElement(v); el >= 0; el = e.nextElement(el)) {
      String t = e.text(el);
      if (t != null) {
        out.add(t);
      }
    }
    return out;
  }

  /** A growable list of ints. */
  static final class IntList {
    private int[] a = new int[8];
    private int n;

    void add(int v) {
      if (n == a.length) {
        a = java.util.Arrays.copyOf(a, n * 2);
      }
      a[n++] = v;
    }

    int get(int i) {
      return a[i];
    }

    int size() {
      return n;
    }

    void truncate(int size) {
      n = size;
    }
  }
}
