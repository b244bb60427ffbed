package dev.vigil.k8saudit.event;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads audit events from logs and bodies: JSON lines as kube-apiserver's log backend writes them
 * (one event per line, read in chunks, each line scanned only as far as the reader of the event
 * needs), or JSON documents (an EventList, an array of events, pretty-printed events one after the
 * other), optionally gzip-compressed. Each record goes through {@link Records}. A line longer than
 * the event size limit is reported and skipped; a document larger than the document limit is
 * refused.
 *
 * <p>One reader per thread; the {@link AuditEvent} handed to the sink is reused.
 */
public final class AuditReader {
  /** Longest event (one line) read from a file: a 1.5 MiB object logged twice fits easily. */
  public static final int MAX_EVENT_BYTES = 64 << 20;

  /** Largest JSON document (not JSON lines) read whole. */
  public static final int MAX_DOCUMENT_BYTES = 512 << 20;

  static final int CHUNK = 4 << 20;

  /** Receives events and problems with their position. */
  public interface Sink {
    /** An event that starts on 1-based line {@code line}; the view is valid during the call. */
    void event(AuditEvent event, long line);

    void problem(InputProblem problem);

    /**
     * The test that spares this sink the JSON lines it would ignore (each counted as an event,
     * never handed to it); by default none.
     */
    default Prefilter prefilter() {
      return Prefilter.none();
    }
  }

  /**
   * What was read.
   *
   * @param events audit events delivered
   * @param problems records reported as problems
   * @param bytes bytes read (uncompressed)
   */
  public record Stats(long events, long problems, long bytes) {}

  private final Records records = new Records();
  private final AuditEvent view = new AuditEvent();
  private final JsonScanner scan = new JsonScanner();
  private final int maxEvent;
  private long events;
  private long problems;

  public AuditReader() {
    this(MAX_EVENT_BYTES);
  }

  public AuditReader(int maxEventBytes) {
    this.maxEvent = maxEventBytes;
  }

  /** Reads a file (gzip-compressed when it starts with gzip's magic bytes). */
  public Stats read(Path file, Sink sink) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return read(in, file.toString(), sink);
    }
  }

  /** Reads a stream to its end (gzip-compressed when it starts with gzip's magic bytes). */
  public Stats read(InputStream raw, String name, Sink sink) throws IOException {
    BufferedInputStream bin = new BufferedInputStream(raw, 1 << 16);
    bin.mark(2);
    int m1 = bin.read();
    int m2 = bin.read();
    bin.reset();
    InputStream in = m1 == 0x1f && m2 == 0x8b ? new GZIPInputStream(bin, 1 << 16) : bin;
    events = 0;
    problems = 0;
    byte[] buf = new byte[CHUNK];
    int len = fill(in, buf, 0);
    int first = JsonScanner.ws(buf, 0, len);
    if (first < len && isDocument(buf, first, len)) {
      byte[] all = readAll(in, buf, len, name);
      document(all, 0, all.length, name, 0, sink);
      return new Stats(events, problems, all.length);
    }
    long bytes = lines(in, buf, len, name, sink);
    return new Stats(events, problems, bytes);
  }

  /**
   * Whether the first {@code len} bytes of a stream (a whole buffer of {@link #CHUNK} bytes, or the
   * whole stream when shorter) make it JSON lines read by {@link #read}: not gzip, not a JSON
   * document.
   */
  boolean isPlainLines(byte[] head, int len) {
    if (len >= 2 && head[0] == 0x1f && head[1] == (byte) 0x8b) {
      return false;
    }
    int first = JsonScanner.ws(head, 0, len);
    return first >= len || !isDocument(head, first, len);
  }

  /** Whether the text at {@code i} is a JSON document rather than JSON lines. */
  private boolean isDocument(byte[] buf, int i, int len) {
    if (buf[i] == '[') {
      return true;
    }
    if (buf[i] != '{') {
      return false;
    }
    int nl = JsonScanner.newline(buf, i, len);
    scan.reset(buf);
    int e = scan.value(i, len);
    // a value spanning lines, or a broken one whose first line is just its opening brace
    return e > nl || (e < 0 && nl < len && JsonScanner.ws(buf, i + 1, nl) == nl);
  }

  private byte[] readAll(InputStream in, byte[] head, int len, String name) throws IOException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(Math.max(len, 1 << 16));
    out.write(head, 0, len);
    byte[] chunk = new byte[1 << 16];
    int n;
    while ((n = in.read(chunk)) > 0) {
      if (out.size() + (long) n > MAX_DOCUMENT_BYTES) {
        throw new IOException(
            name
                + " is a JSON document (not JSON lines) larger than "
                + (MAX_DOCUMENT_BYTES >> 20)
                + " MiB; write it as one event per line");
      }
      out.write(chunk, 0, n);
    }
    return out.toByteArray();
  }

  private static int fill(InputStream in, byte[] buf, int from) throws IOException {
    int len = from;
    while (len < buf.length) {
      int n = in.read(buf, len, buf.length - len);
      if (n < 0) {
        break;
      }
      len += n;
    }
    return len;
  }

  private long lines(InputStream in, byte[] buf, int len, String name, Sink sink)
      throws IOException {
    long total = len;
    boolean eof = len < buf.length;
    int pos = 0;
    long line = 1;
    boolean skipping = false;
    while (true) {
      int nl = JsonScanner.newline(buf, pos, len);
      if (nl < len || eof) {
        if (skipping) {
          skipping = false;
        } else {
          int end = nl > pos && buf[nl - 1] == '\r' ? nl - 1 : nl;
          if (end - pos > maxEvent) {
            problem(sink, name, line, 0, "line longer than " + (maxEvent >> 20) + " MiB; skipped");
          } else if (JsonScanner.ws(buf, pos, end) < end) {
            line(buf, pos, end, name, line, sink);
          }
        }
        if (nl >= len) {
          return total;
        }
        pos = nl + 1;
        line++;
        continue;
      }
      // the line continues past the buffer: move it to the front, grow if needed, read on
      if (pos == 0 && len == buf.length) {
        if (buf.length >= maxEvent) {
          if (!skipping) {
            problem(sink, name, line, 0, "line longer than " + (maxEvent >> 20) + " MiB; skipped");
          }
          skipping = true;
          len = 0;
        } else {
          buf = java.util.Arrays.copyOf(buf, Math.min(maxEvent, buf.length * 2));
        }
      } else if (pos > 0) {
        System.arraycopy(buf, pos, buf, 0, len - pos);
        len -= pos;
        pos = 0;
      }
      int before = len;
      len = fill(in, buf, len);
      total += len - before;
      eof = len < buf.length;
    }
  }

  /** The current line, for the handler (one per reader, so nothing is allocated per line). */
  private final LineHandler lineHandler = new LineHandler();

  private final class LineHandler implements Records.Handler {
    private Sink sink = NO_SINK;
    private String name = "";
    private long line;
    private int start;
    private int end;

    @Override
    public void event(AuditEvent event) {
      events++;
      sink.event(event, line);
    }

    @Override
    public void problem(String message, int offset) {
      AuditReader.this.problem(
          sink, name, line, offset >= start && offset <= end ? offset - start + 1 : 0, message);
    }
  }

  private static final Sink NO_SINK =
      new Sink() {
        @Override
        public void event(AuditEvent event, long line) {}

        @Override
        public void problem(InputProblem problem) {}
      };

  /** Events delivered since the last {@link #read} or {@link #resetCounts}. */
  long eventCount() {
    return events;
  }

  long problemCount() {
    return problems;
  }

  void resetCounts() {
    events = 0;
    problems = 0;
  }

  /** The event size limit: a longer line is skipped. */
  int maxEvent() {
    return maxEvent;
  }

  /** Reads the line {@code buf[s, e)} (no line break), line {@code line} of {@code name}. */
  void line(byte[] buf, int s, int e, String name, long line, Sink sink) {
    if (sink.prefilter().rejects(buf, s, e)) {
      events++;
      return;
    }
    view.reset(buf, s, e);
    LineHandler h = lineHandler;
    h.sink = sink;
    h.name = name;
    h.line = line;
    h.start = s;
    h.end = e;
    records.dispatch(view, 0, h);
  }

  /** Counts an event that a {@link Prefilter} ruled out before its line was handed here. */
  void rejected() {
    events++;
  }

  void problem(Sink sink, String name, long line, long col, String message) {
    problems++;
    sink.problem(new InputProblem(name, line, col, message));
  }

  /**
   * Checks that {@code b[off, off+len)} is one JSON object or array (the body of a webhook request)
   * with nothing after it: the grammar, string escapes and nesting depth. Returns the problem, or
   * an empty optional for a well-formed body.
   */
  public java.util.Optional<InputProblem> checkDocument(byte[] b, int off, int len, String name) {
    int end = off + len;
    Lines lines = new Lines(b, off);
    int i = JsonScanner.ws(b, off, end);
    if (i >= end) {
      return java.util.Optional.of(new InputProblem(name, 1, 1, "the body is empty"));
    }
    scan.reset(b);
    if (b[i] != '{' && b[i] != '[') {
      return at(name, lines, i, "not JSON: expected '{' or '[', found " + scan.describe(i, end));
    }
    int e = scan.value(i, end);
    if (e < 0) {
      return at(name, lines, scan.errorAt, scan.error);
    }
    int rest = JsonScanner.ws(b, e, end);
    if (rest < end) {
      return at(name, lines, rest, "data after the end of the JSON value");
    }
    return java.util.Optional.empty();
  }

  private static java.util.Optional<InputProblem> at(
      String name, Lines lines, int offset, String message) {
    long line = lines.lineOf(offset);
    return java.util.Optional.of(
        new InputProblem(name, line, offset - lines.lineStart(offset) + 1, message));
  }

  /**
   * Reads a JSON document held in memory: one or more records (events, EventLists, arrays of
   * either) one after the other. Events without a time of their own get {@code fallbackTime}.
   */
  public Stats document(byte[] b, int off, int len, String name, long fallbackTime, Sink sink) {
    events = 0;
    problems = 0;
    int end = off + len;
    Lines lines = new Lines(b, off);
    int i = JsonScanner.ws(b, off, end);
    scan.reset(b);
    while (i < end) {
      byte c = b[i];
      if (c == '[') {
        i = array(b, i, end, name, fallbackTime, lines, sink);
      } else if (c == '{') {
        int e = scan.value(i, end);
        if (e < 0) {
          problemAt(sink, name, lines, scan.errorAt, scan.error);
          break;
        }
        record(b, i, e, name, fallbackTime, lines, sink);
        i = e;
      } else {
        problemAt(
            sink,
            name,
            lines,
            i,
            "expected an audit event ('{') or an array of events ('['), found "
                + scan.describe(i, end));
        break;
      }
      if (i < 0) {
        break;
      }
      i = JsonScanner.ws(b, i, end);
      if (i < end && b[i] == ',') {
        i = JsonScanner.ws(b, i + 1, end);
      }
    }
    return new Stats(events, problems, len);
  }

  private int array(
      byte[] b, int i, int end, String name, long fallbackTime, Lines lines, Sink sink) {
    i = JsonScanner.ws(b, i + 1, end);
    if (i < end && b[i] == ']') {
      return i + 1;
    }
    while (i < end) {
      int e = scan.value(i, end);
      if (e < 0) {
        problemAt(sink, name, lines, scan.errorAt, scan.error);
        return -1;
      }
      record(b, i, e, name, fallbackTime, lines, sink);
      i = JsonScanner.ws(b, e, end);
      if (i < end && b[i] == ',') {
        i = JsonScanner.ws(b, i + 1, end);
      } else if (i < end && b[i] == ']') {
        return i + 1;
      } else {
        problemAt(sink, name, lines, i, "expected ',' or ']' in the array of events");
        return -1;
      }
    }
    problemAt(sink, name, lines, end, "the JSON ends inside the array of events (truncated?)");
    return -1;
  }

  private void record(
      byte[] b, int s, int e, String name, long fallbackTime, Lines lines, Sink sink) {
    view.reset(b, s, e);
    long line = lines.lineOf(s);
    records.dispatch(
        view,
        fallbackTime,
        new Records.Handler() {
          @Override
          public void event(AuditEvent event) {
            events++;
            sink.event(event, line);
          }

          @Override
          public void problem(String message, int offset) {
            problemAt(sink, name, lines, offset >= s && offset <= e ? offset : s, message);
          }
        });
  }

  private void problemAt(Sink sink, String name, Lines lines, int offset, String message) {
    long line = lines.lineOf(offset);
    problem(sink, name, line, offset - lines.lineStart(offset) + 1, message);
  }

  /** Line numbers of offsets in a document, counted forward (offsets mostly increase). */
  private static final class Lines {
    private final byte[] b;
    private final int base;
    private int at;
    private long line = 1;
    private int lineStart;

    Lines(byte[] b, int base) {
      this.b = b;
      this.base = base;
      this.at = base;
      this.lineStart = base;
    }

    long lineOf(int offset) {
      if (offset < at) {
        at = base;
        line = 1;
        lineStart = base;
      }
      while (at < offset && at < b.length) {
        if (b[at] == '\n') {
          line++;
          lineStart = at + 1;
        }
        at++;
      }
      return line;
    }

    int lineStart(int offset) {
      lineOf(offset);
      return lineStart;
    }
  }
}
