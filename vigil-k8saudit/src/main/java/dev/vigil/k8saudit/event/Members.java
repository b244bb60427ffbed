package dev.vigil.k8saudit.event;

/**
 * The members of the objects an {@link AuditEvent} view looked into so far in its event, found as
 * lookups needed them: a later lookup in the same object (the user's name and groups, objectRef's
 * resource, namespace and name) goes on from where the last one stopped instead of scanning the
 * object again. At most {@value #OBJECTS} objects and {@value #PER_OBJECT} members of each are
 * kept; past those, lookups scan as they would without it.
 */
final class Members {
  private static final int OBJECTS = 8;
  private static final int PER_OBJECT = 16;

  private final int[] object = new int[OBJECTS];

  /** Where the scan of each object goes on: the next key's quote, or -1 when it is finished. */
  private final int[] resume = new int[OBJECTS];

  private final int[] count = new int[OBJECTS];
  private final boolean[] pending = new boolean[OBJECTS];

  /** Per object and member: key start (after the quote), key end (the closing quote), value. */
  private final int[] keyStart = new int[OBJECTS * PER_OBJECT];

  private final int[] keyEnd = new int[OBJECTS * PER_OBJECT];
  private final int[] value = new int[OBJECTS * PER_OBJECT];
  private int used;
  private int next;

  /** Forgets everything (the view moved to another event). */
  void clear() {
    used = 0;
    next = 0;
  }

  /**
   * The value of member {@code key} of the object whose opening brace is at {@code buf[obj]}, or
   * -1; problems met on the way are recorded in {@code scan}.
   */
  int find(byte[] buf, int end, JsonScanner scan, int obj, byte[] key) {
    int slot = -1;
    for (int s = 0; s < used; s++) {
      if (object[s] == obj) {
        slot = s;
        break;
      }
    }
    if (slot < 0) {
      slot = next;
      next = (next + 1) % OBJECTS;
      used = Math.max(used, slot + 1);
      object[slot] = obj;
      count[slot] = 0;
      pending[slot] = false;
      int i = JsonScanner.ws(buf, obj + 1, end);
      resume[slot] = i < end && buf[i] == '}' ? -1 : i;
    }
    int base = slot * PER_OBJECT;
    byte[] b = buf;
    for (int m = 0; m < count[slot]; m++) {
      if (Unescape.equalsKey(b, keyStart[base + m], keyEnd[base + m], key)) {
        return value[base + m];
      }
    }
    int i = resume[slot];
    if (i >= 0 && pending[slot]) {
      pending[slot] = false;
      i = resume[slot] = after(buf, end, scan, i);
    }
    while (i >= 0) {
      if (i >= end || b[i] != '"') {
        if (i < end) {
          scan.expected("a field name in quotes", i, end);
        }
        return stop(slot, i);
      }
      int ke = scan.string(i, end);
      if (ke < 0) {
        return stop(slot, i);
      }
      int c = JsonScanner.ws(b, ke, end);
      if (c >= end || b[c] != ':') {
        scan.expected("':'", c, end);
        return stop(slot, i);
      }
      int v = JsonScanner.ws(b, c + 1, end);
      if (v >= end) {
        scan.expected("a value", v, end);
        return stop(slot, i);
      }
      boolean hit = Unescape.equalsKey(b, i + 1, ke - 1, key);
      if (count[slot] == PER_OBJECT) {
        // past the members kept: each lookup scans the rest of the object anew
        if (hit) {
          return v;
        }
        i = after(buf, end, scan, v);
        continue;
      }
      int m = base + count[slot]++;
      keyStart[m] = i + 1;
      keyEnd[m] = ke - 1;
      value[m] = v;
      if (hit) {
        resume[slot] = v; // the value is skipped only if a later lookup goes on past it
        pending[slot] = true;
        return v;
      }
      i = resume[slot] = after(buf, end, scan, v);
    }
    return -1;
  }

  /**
   * A problem in the member at {@code i}: no lookup goes past it again if it is where they resume.
   */
  private int stop(int slot, int i) {
    if (resume[slot] == i) {
      resume[slot] = -1;
    }
    return -1;
  }

  /** The key after the member whose value is at {@code v}; -1 after the last or on a problem. */
  private static int after(byte[] buf, int end, JsonScanner scan, int v) {
    int ve = scan.skip(v, end);
    if (ve < 0) {
      return -1;
    }
    int i = JsonScanner.ws(buf, ve, end);
    if (i < end && buf[i] == ',') {
      return JsonScanner.ws(buf, i + 1, end);
    }
    if (i >= end || buf[i] != '}') {
      scan.expected("',' or '}'", i, end);
    }
    return -1;
  }
}
