package dev.vigil.k8saudit.policy.simulate;

/**
 * A log that is one or more JSON documents rather than lines: a webhook {@code EventList}, an array
 * of events, or pretty-printed events. Read whole (bounded), scanned in order; a problem ends the
 * document, since there is no line to resume at.
 */
final class DocumentInput {
  /** Largest document read whole. */
  static final int MAX_BYTES = 1 << 30;

  private DocumentInput() {}

  static void process(EventProcessor p, byte[] b, int len, Bytes out) {
    p.scanner().lineMode = false;
    int i = EventScanner.ws(b, skipBom(b, len), len);
    LineCounter lc = new LineCounter(b);
    while (i < len) {
      if (b[i] == '[') {
        i = array(p, b, i, len, lc, out);
      } else {
        i = object(p, b, i, len, lc, out);
      }
      if (i < 0) {
        return;
      }
      i = EventScanner.ws(b, i, len);
    }
  }

  private static int array(EventProcessor p, byte[] b, int i, int len, LineCounter lc, Bytes out) {
    i = EventScanner.ws(b, i + 1, len);
    while (i < len && b[i] != ']') {
      i = object(p, b, i, len, lc, out);
      if (i < 0) {
        return -1;
      }
      i = EventScanner.ws(b, i, len);
      if (i < len && b[i] == ',') {
        i = EventScanner.ws(b, i + 1, len);
      } else if (i < len && b[i] != ']') {
        p.problem(lc.line(i), lc.column(i), "expected ',' or ']' between array elements");
        return -1;
      }
    }
    if (i >= len) {
      p.problem(
          lc.line(len), lc.column(len), "the JSON ends in the middle of an array (truncated?)");
      return -1;
    }
    return i + 1;
  }

  /** One top-level object: an event or an EventList. */
  private static int object(EventProcessor p, byte[] b, int i, int len, LineCounter lc, Bytes out) {
    EventScanner sc = p.scanner();
    int end = sc.scan(b, i, len);
    long line = lc.line(i);
    if (end < 0) {
      p.problem(lc.line(sc.errorAt), lc.column(sc.errorAt), sc.error);
      return -1;
    }
    if (sc.equals(EventScanner.KIND, "EventList") && sc.has(EventScanner.ITEMS)) {
      p.items(b, sc.start[EventScanner.ITEMS], sc.end[EventScanner.ITEMS], line, i, out);
    } else {
      p.event(b, i, end, end - i + 1, line, out);
    }
    return end;
  }

  private static int skipBom(byte[] b, int len) {
    return len >= 3 && (b[0] & 0xff) == 0xef && (b[1] & 0xff) == 0xbb && (b[2] & 0xff) == 0xbf
        ? 3
        : 0;
  }

  /** Line numbers of offsets, counted incrementally as offsets increase. */
  private static final class LineCounter {
    private final byte[] b;
    private int at;
    private long line = 1;
    private int lineStart;

    LineCounter(byte[] b) {
      this.b = b;
    }

    long line(int offset) {
      advance(offset);
      return line;
    }

    int column(int offset) {
      advance(offset);
      return offset - lineStart + 1;
    }

    private void advance(int offset) {
      if (offset < at) {
        at = 0;
        line = 1;
        lineStart = 0;
      }
      for (; at < offset && at < b.length; at++) {
        if (b[at] == '\n') {
          line++;
          lineStart = at + 1;
        }
      }
    }
  }
}
