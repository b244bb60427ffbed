package dev.vigil.k8saudit.event;

import dev.vigil.event.Event;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * One audit event, as a view over its JSON bytes: nothing is parsed until a field is asked for, and
 * then only as far as needed. The top-level members are indexed as the scan passes them, so a rule
 * that reads {@code stage}, {@code verb} and {@code objectRef} never reads the request and response
 * bodies that follow them. Nested values are found by scanning the (small) enclosing object.
 *
 * <p>A view is reused: {@link #reset} points it at the next event. It is not thread-safe; each
 * thread that evaluates events has its own. Values are addressed by their offset in {@link #bytes}
 * ({@code -1}: absent). A problem found while scanning (the JSON is malformed) makes the rest of
 * the event read as absent and is kept in {@link #problem}; {@link #validate} checks the whole
 * event.
 *
 * <p>Over 400 lines because the lazy index, value access and per-event memo share one cursor and
 * one set of offsets; splitting them would put those on the hot path behind another object.
 */
public final class AuditEvent implements Event {
  private static final int UNKNOWN = -2;

  /** What an event record turned out to be once its distinguishing members were seen. */
  public enum Shape {
    EVENT,
    EVENT_LIST,
    GKE_LOG_ENTRY,
    AKS_RECORD,
    UNKNOWN
  }

  private final JsonScanner scan = new JsonScanner();
  private final int[] at = new int[Key.ALL.length];
  private final Interner interner = new Interner();
  private byte[] buf = new byte[0];
  private int start;
  private int end;

  /** Where the top-level scan stands: the start of the next member's value to skip, or a key. */
  private int cursor;

  private int pendingValue;

  /** The last indexed member the top-level scan met (null: none yet). */
  private @Nullable Key last;

  private boolean done;
  private @Nullable Shape shape;
  private long fallbackTime;
  private long time;
  private boolean timeKnown;

  private final Members members = new Members();

  private @Nullable Object[] memo = new Object[32];
  private int[] memoStamp = new int[32];
  private int stamp = 1;

  /** Points this view at the event whose JSON object is {@code b[start..end)}. */
  public void reset(byte[] b, int start, int end) {
    this.buf = b;
    this.start = start;
    this.end = end;
    scan.reset(b);
    Arrays.fill(at, UNKNOWN);
    int i = JsonScanner.ws(b, start, end);
    if (i >= end || b[i] != '{') {
      done = true;
      Arrays.fill(at, -1);
      scan.fail(
          i >= end
              ? "empty event"
              : "an audit event is a JSON object; found " + scan.describe(i, end),
          i);
    } else {
      done = false;
      cursor = i + 1;
    }
    pendingValue = -1;
    last = null;
    shape = null;
    timeKnown = false;
    fallbackTime = 0;
    if (++stamp == Integer.MAX_VALUE) {
      Arrays.fill(memoStamp, 0);
      stamp = 1;
    }
    members.clear();
  }

  /** The time to use when the event carries none (for example when it was received). */
  public void fallbackTime(long nanos) {
    this.fallbackTime = nanos;
  }

  /** The time used when the event carries none (0 unless set since the last {@link #reset}). */
  public long fallbackTime() {
    return fallbackTime;
  }

  public byte[] bytes() {
    return buf;
  }

  public int start() {
    return start;
  }

  public int end() {
    return end;
  }

  @Override
  public int eventType() {
    return 0;
  }

  /** The first problem found in the event's JSON, or {@code ""}. */
  public String problem() {
    return scan.error;
  }

  /** The offset (in {@link #bytes}) of the problem, or -1. */
  public int problemOffset() {
    return scan.errorAt;
  }

  /** Scans the whole event: well-formed JSON, one object, nesting bounded, valid UTF-8. */
  public boolean validate() {
    if (scan.failed()) {
      return false;
    }
    int after = checkMembers(JsonScanner.ws(buf, start, end));
    if (after < 0) {
      return false;
    }
    int rest = JsonScanner.ws(buf, after, end);
    if (rest < end) {
      scan.fail("unexpected " + scan.describe(rest, end) + " after the event's closing '}'", rest);
      return false;
    }
    int bad = Unescape.invalidUtf8(buf, start, end);
    if (bad >= 0) {
      scan.fail("invalid UTF-8", bad);
      return false;
    }
    return true;
  }

  /**
   * Checks the event object whose brace is at {@code i} as {@link JsonScanner#value} does, and that
   * no indexed member occurs twice; returns the offset after it, or -1 (the problem recorded).
   */
  private int checkMembers(int i) {
    byte[] b = buf;
    i = JsonScanner.ws(b, i + 1, end);
    if (i < end && b[i] == '}') {
      return i + 1;
    }
    long seen = 0;
    while (true) {
      if (i >= end) {
        return scan.fail("the JSON ends inside an object (truncated?)", i);
      }
      if (b[i] != '"') {
        return scan.fail("expected a field name in quotes, found " + scan.describe(i, end), i);
      }
      int ke = scan.string(i, end);
      if (ke < 0) {
        return -1;
      }
      Key k = Key.of(b, i + 1, ke - 1);
      if (k != null) {
        // parsers disagree on which of two equal members counts (Go's and Falco's take the last,
        // the lazy index the first, the walk from the end the last): not a well-formed event
        if ((seen & (1L << k.id())) != 0) {
          return scan.fail("duplicate member \"" + k.json() + "\" in the event", i);
        }
        seen |= 1L << k.id();
      }
      int c = JsonScanner.ws(b, ke, end);
      if (c >= end || b[c] != ':') {
        return scan.expected("':'", c, end);
      }
      int ve = scan.value(c + 1, end, 1);
      if (ve < 0) {
        return -1;
      }
      i = JsonScanner.ws(b, ve, end);
      if (i < end && b[i] == ',') {
        i = JsonScanner.ws(b, i + 1, end);
      } else if (i < end && b[i] == '}') {
        return i + 1;
      } else {
        return scan.expected("',' or '}'", i, end);
      }
    }
  }

  /** What this record is: an event, a list of events, or a provider's envelope around one. */
  public Shape shape() {
    Shape s = shape;
    if (s != null) {
      return s;
    }
    while (shape == null && !done) {
      step();
    }
    if (shape == null) {
      shape = Shape.UNKNOWN;
    }
    int kind = at[Key.KIND.id()];
    if (kind >= 0 && shape != Shape.GKE_LOG_ENTRY && shape != Shape.AKS_RECORD) {
      if (buf[kind] != '"') {
        scan.fail(
            "'kind' is " + scan.describe(kind, end) + "; an audit event has kind \"Event\"", kind);
        shape = Shape.UNKNOWN;
      } else {
        String k = java.util.Objects.requireNonNullElse(text(kind), "");
        if (k.equals("EventList")) {
          shape = Shape.EVENT_LIST;
        } else if (!k.equals("Event")) {
          scan.fail("kind \"" + k + "\" is not an audit Event or EventList", kind);
          shape = Shape.UNKNOWN;
        }
      }
    }
    return shape;
  }

  /** The offset of a top-level member's value, or -1 when the event has none. */
  public int top(Key k) {
    int v = at[k.id()];
    while (v == UNKNOWN) {
      step();
      v = at[k.id()];
    }
    return v;
  }

  /** Advances the top-level scan by one member (or to the end). */
  private void step() {
    if (done) {
      return;
    }
    byte[] b = buf;
    int i;
    if (pendingValue >= 0) {
      i = scan.skip(pendingValue, end);
      pendingValue = -1;
      if (i < 0) {
        finish();
        return;
      }
      i = JsonScanner.ws(b, i, end);
      if (i < end && b[i] == ',') {
        i = JsonScanner.ws(b, i + 1, end);
      } else if (i < end && b[i] == '}') {
        finishAt(i + 1);
        return;
      } else {
        scan.expected("',' or '}'", i, end);
        finish();
        return;
      }
    } else {
      i = JsonScanner.ws(b, cursor, end);
      if (i < end && b[i] == '}') {
        finishAt(i + 1);
        return;
      }
    }
    if (i >= end || b[i] != '"') {
      scan.expected("a field name in quotes", i, end);
      finish();
      return;
    }
    // kube-apiserver writes the members in one order: the next one is usually the one after the
    // last (or the one after that), and its name is then known without scanning it
    Key k = Key.following(last, b, i + 1, end);
    int ke;
    if (k != null) {
      ke = i + 2 + k.bytes().length;
    } else {
      ke = scan.string(i, end);
      if (ke < 0) {
        finish();
        return;
      }
      k = Key.of(b, i + 1, ke - 1);
    }
    int c = JsonScanner.ws(b, ke, end);
    if (c >= end || b[c] != ':') {
      scan.expected("':'", c, end);
      finish();
      return;
    }
    int v = JsonScanner.ws(b, c + 1, end);
    if (v >= end) {
      scan.expected("a value", v, end);
      finish();
      return;
    }
    if (k != null) {
      last = k;
    }
    if (k != null && at[k.id()] == UNKNOWN) {
      at[k.id()] = v;
      if (shape == null) {
        shape =
            switch (k) {
              case ITEMS -> Shape.EVENT_LIST;
              case PROTO_PAYLOAD -> Shape.GKE_LOG_ENTRY;
              case PROPERTIES -> Shape.AKS_RECORD;
              default -> k.marksEvent() ? Shape.EVENT : null;
            };
      }
    }
    pendingValue = v;
  }

  private void finishAt(int after) {
    int rest = JsonScanner.ws(buf, after, end);
    if (rest < end) {
      scan.fail("unexpected " + scan.describe(rest, end) + " after the event's closing '}'", rest);
    }
    finish();
  }

  private void finish() {
    done = true;
    for (int k = 0; k < at.length; k++) {
      if (at[k] == UNKNOWN) {
        at[k] = -1;
      }
    }
  }

  /** Whether the top-level scan reached the end (every member is indexed). */
  public boolean fullyIndexed() {
    return done;
  }

  // ---- values by offset -----------------------------------------------------------------------

  /** The first byte of the value at {@code v}: a quote, an opening brace or bracket, a digit... */
  public byte kindAt(int v) {
    return buf[v];
  }

  public boolean isString(int v) {
    return v >= 0 && buf[v] == '"';
  }

  public boolean isObject(int v) {
    return v >= 0 && buf[v] == '{';
  }

  public boolean isArray(int v) {
    return v >= 0 && buf[v] == '[';
  }

  public boolean isNull(int v) {
    return v >= 0 && buf[v] == 'n';
  }

  /** The offset after the value at {@code v}, or -1 when it is malformed. */
  public int valueEnd(int v) {
    return scan.skip(v, end);
  }

  /** The value of member {@code key} of the object at {@code obj}, or -1. */
  public int member(int obj, byte[] key) {
    if (obj < 0 || buf[obj] != '{') {
      return -1;
    }
    return members.find(buf, end, scan, obj, key);
  }

  public int member(int obj, String key) {
    return member(obj, key.getBytes(StandardCharsets.UTF_8));
  }

  /** The first element of the array at {@code arr}, or -1 (not an array, or empty). */
  public int firstElement(int arr) {
    if (arr < 0 || buf[arr] != '[') {
      return -1;
    }
    int i = JsonScanner.ws(buf, arr + 1, end);
    return i < end && buf[i] != ']' ? i : -1;
  }

  /** The element after the one at {@code elem}, or -1 at the end of the array. */
  public int nextElement(int elem) {
    int e = scan.skip(elem, end);
    if (e < 0) {
      return -1;
    }
    int i = JsonScanner.ws(buf, e, end);
    if (i < end && buf[i] == ',') {
      return JsonScanner.ws(buf, i + 1, end);
    }
    if (i >= end || buf[i] != ']') {
      scan.expected("',' or ']'", i, end);
    }
    return -1;
  }

  /** Element {@code index} of the array at {@code arr}, or -1. */
  public int element(int arr, int index) {
    int e = firstElement(arr);
    for (int n = 0; e >= 0 && n < index; n++) {
      e = nextElement(e);
    }
    return e;
  }

  /** Calls {@code action} with the name of every member of the object at {@code obj}. */
  public void memberNames(int obj, Consumer<String> action) {
    if (obj < 0 || buf[obj] != '{') {
      return;
    }
    byte[] b = buf;
    int i = JsonScanner.ws(b, obj + 1, end);
    while (i < end && b[i] == '"') {
      int ke = scan.string(i, end);
      if (ke < 0) {
        return;
      }
      action.accept(Unescape.decode(b, i + 1, ke - 1));
      int c = JsonScanner.ws(b, ke, end);
      if (c >= end || b[c] != ':') {
        scan.expected("':'", c, end);
        return;
      }
      int ve = scan.value(c + 1, end);
      if (ve < 0) {
        return;
      }
      i = JsonScanner.ws(b, ve, end);
      if (i < end && b[i] == ',') {
        i = JsonScanner.ws(b, i + 1, end);
      } else {
        return;
      }
    }
  }

  /**
   * The value at {@code v} as a field value: a string's contents, anything else as compact JSON
   * text ({@code 403}, {@code true}, {@code {"a":1}}); null when {@code v} is -1 or malformed.
   */
  public @Nullable String text(int v) {
    if (v < 0) {
      return null;
    }
    if (buf[v] == '"') {
      int e = scan.string(v, end);
      if (e < 0) {
        return null;
      }
      return interner.get(buf, v + 1, e - 1);
    }
    int e = scan.skip(v, end);
    if (e < 0) {
      return null;
    }
    return Compact.json(buf, v, e);
  }

  /** Whether the value at {@code v} is the string {@code s} (ASCII). */
  public boolean stringEquals(int v, byte[] s) {
    if (v < 0 || buf[v] != '"') {
      return false;
    }
    int n = s.length;
    if (v + n + 2 > end || buf[v + n + 1] != '"') {
      return false;
    }
    for (int i = 0; i < n; i++) {
      if (buf[v + 1 + i] != s[i]) {
        return false;
      }
    }
    return true;
  }

  // ---- time -----------------------------------------------------------------------------------

  /**
   * The event time in nanoseconds since the epoch: {@code stageTimestamp}, else the v1beta1 {@code
   * timestamp}, else {@code requestReceivedTimestamp}, else the fallback time.
   */
  @Override
  public long timestamp() {
    if (!timeKnown) {
      time = computeTime();
      timeKnown = true;
    }
    return time;
  }

  private static final Key[] TIME_KEYS = {
    Key.STAGE_TIMESTAMP, Key.TIMESTAMP, Key.REQUEST_RECEIVED_TIMESTAMP
  };

  private long computeTime() {
    boolean backward = true;
    for (Key k : TIME_KEYS) {
      int v = at[k.id()];
      if (v == UNKNOWN && backward) {
        // kube-apiserver writes the timestamps after the request and response bodies: walking
        // back from the end finds them without scanning the bodies
        v = Backward.member(buf, start, end, k.bytes());
        backward = v >= 0; // absent or unreadable that way: the forward scan decides
      }
      if (v == UNKNOWN) {
        v = top(k);
      }
      if (v >= 0 && buf[v] == '"') {
        int e = scan.string(v, end);
        if (e > 0) {
          long t = Timestamps.parse(buf, v + 1, e - 1);
          if (t != Long.MIN_VALUE) {
            return t;
          }
        }
      }
    }
    return fallbackTime;
  }

  // ---- per-event memo for extractors ----------------------------------------------------------

  /** Whether slot {@code slot} holds a value computed for this event. */
  public boolean memoized(int slot) {
    return slot < memoStamp.length && memoStamp[slot] == stamp;
  }

  /** The value memoized in {@code slot} (only meaningful when {@link #memoized}). */
  public @Nullable Object memo(int slot) {
    return memo[slot];
  }

  /** Memoizes a value (null: the field has no value) for the rest of this event. */
  public void memo(int slot, @Nullable Object value) {
    if (slot >= memo.length) {
      int n = Math.max(slot + 1, memo.length * 2);
      memo = Arrays.copyOf(memo, n);
      memoStamp = Arrays.copyOf(memoStamp, n);
    }
    memo[slot] = value;
    memoStamp[slot] = stamp;
  }

  /** The event's JSON text (for output). */
  @Override
  public String toString() {
    return new String(buf, start, end - start, StandardCharsets.UTF_8);
  }
}
