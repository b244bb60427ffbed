package dev.vigil.k8saudit.event;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A quick test, on the bytes of one JSON line, that a condition cannot hold for the event on it, so
 * that the line need not be read as an event at all.
 *
 * <p>It serves conditions that read only fields at fixed places ({@link Field}: a top-level member
 * of the event, or a member of one, such as {@code verb} or {@code responseStatus.code}) and that
 * require some of them to have one of a few values ({@code ka.response.code=403}, {@code ka.verb in
 * (update,patch)}: the necessary values the rule engine derives for its dispatch index). One tight
 * walk over the line finds those members and compares their values as bytes, without the event
 * view, the condition's matcher or any string; a query spends most of its time on the events it
 * does not print, and this walk is also small enough for the JIT to compile early.
 *
 * <p>It is exact: {@link #rejects} is true only when reading the line through {@link AuditReader}
 * would deliver exactly one audit event for which the condition is false, and report no problem. So
 * the walk accepts only the compact form kube-apiserver writes (no whitespace between tokens, no
 * escapes in member names or in the compared values, ASCII compared values, nothing after the
 * event's closing brace), checks every value it passes as the lazy scan does (the same {@link
 * JsonScanner}), and always covers at least what that scan would read: up to the first member that
 * shows the line is an event, the {@code auditID} (every {@code ka.*} field is read only when it is
 * present) and either the field of the condition's first test, when that test fails (the matcher
 * evaluates {@code and} from the left and stops there), or the first occurrence of every field the
 * condition reads, or the end of the event when one is missing. Whenever anything else is met it
 * answers false and the line is read as usual.
 *
 * <p>Not thread-safe: one per reading thread.
 */
public final class Prefilter {
  /**
   * Where a field reads its one value: top-level member {@code top}, or its member {@code member}
   * when that is not empty. A value that is not a string is read as its compact JSON text.
   */
  public record Field(Key top, String member) {}

  private static final byte[][] NOTHING = {};

  private static final Prefilter NONE = new Prefilter(List.of(), Map.of(), Optional.empty());

  /** A member walk met something only the event view handles: let it read the line. */
  private static final int GIVE_UP = -2;

  private final JsonScanner scan = new JsonScanner();

  /** Per field read: the top-level member's id, the nested member's name (empty: none). */
  private final int[] topOf;

  private final byte[][] memberOf;

  /** Per field read: whether it must have one of {@link #needed}'s values, as bytes. */
  private final boolean[] constrained;

  private final byte[][][] needed;

  /** The top-level members to find before stopping: {@code auditID} and every field's. */
  private final long wanted;

  private final boolean active;

  /**
   * The field of the test the condition evaluates first whatever the event (its leftmost test
   * through {@code and}s), -1 when that is not a test of a field in {@code reads} against values;
   * the values it holds for; the top-level members its reading needs ({@code auditID} and the
   * field's).
   */
  private final int first;

  private final byte[][] firstValues;
  private final long firstTops;

  /** Per top-level member: the offset of its first value on the current line, and its end. */
  private final int[] at = new int[Key.ALL.length];

  private final int[] atEnd = new int[Key.ALL.length];

  private Prefilter(
      List<Field> reads,
      Map<Field, Set<String>> needs,
      Optional<Map.Entry<Field, Set<String>>> lead) {
    List<Field> fields = new ArrayList<>(new java.util.LinkedHashSet<>(reads));
    int firstIndex = lead.isPresent() ? fields.indexOf(lead.get().getKey()) : -1;
    first = firstIndex;
    firstValues =
        firstIndex < 0
            ? NOTHING
            : lead.get().getValue().stream()
                .map(v -> v.getBytes(StandardCharsets.UTF_8))
                .toArray(byte[][]::new);
    firstTops =
        firstIndex < 0 ? 0 : (1L << Key.AUDIT_ID.id()) | (1L << fields.get(firstIndex).top().id());
    topOf = new int[fields.size()];
    memberOf = new byte[fields.size()][];
    needed = new byte[fields.size()][][];
    constrained = new boolean[fields.size()];
    long w = 1L << Key.AUDIT_ID.id();
    for (int f = 0; f < fields.size(); f++) {
      Field field = fields.get(f);
      topOf[f] = field.top().id();
      memberOf[f] = field.member().getBytes(StandardCharsets.UTF_8);
      w |= 1L << field.top().id();
      Set<String> values = needs.getOrDefault(field, Set.of());
      constrained[f] = needs.containsKey(field);
      needed[f] =
          values.stream().map(v -> v.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
    }
    wanted = w;
    active = !needs.isEmpty() && fields.containsAll(needs.keySet());
  }

  /** A filter that rejects nothing. */
  public static Prefilter none() {
    return NONE;
  }

  /**
   * The filter for a condition that reads exactly the fields {@code reads} and holds only when each
   * field in {@code needs} has one of its values (an empty set: never); {@code lead}, when present,
   * is the test the condition evaluates first on every event (a field of {@code reads} and the
   * values for which that test holds), whose failure alone decides. Rejects nothing when {@code
   * needs} is empty or names a field not in {@code reads}.
   */
  public static Prefilter of(
      List<Field> reads,
      Map<Field, Set<String>> needs,
      Optional<Map.Entry<Field, Set<String>>> lead) {
    return new Prefilter(reads, new LinkedHashMap<>(needs), lead);
  }

  /** Whether this filter can reject anything. */
  public boolean active() {
    return active;
  }

  /**
   * Whether the line {@code b[s..e)} (without its line break) certainly holds one audit event for
   * which the condition is false and in which reading finds no problem.
   */
  public boolean rejects(byte[] b, int s, int e) {
    return walk(b, s, e, false) >= 0;
  }

  /**
   * For a line that starts at {@code b[s]} and whose end is not known yet (the bytes up to {@code
   * limit} may hold several lines): whether {@link #rejects} would rule it out, judged from bytes
   * before the line's first line break. That is when the condition's first test fails, or when the
   * walk reaches the event's closing brace with a line break right after it. Returns the offset
   * after the last byte read, none of which is a line break, so that the line's end can be sought
   * from there; -1 when there is no such verdict (the line is then handed to the reader as usual).
   * For conditions without a first test of a field against values, always -1.
   */
  public int rejectsAhead(byte[] b, int s, int limit) {
    return first < 0 ? -1 : walk(b, s, limit, true);
  }

  /**
   * The walk of {@link #rejects} ({@code ahead} false: {@code b[s..limit)} is the line) and {@link
   * #rejectsAhead} ({@code ahead}: {@code limit} only bounds the bytes until a line break after the
   * event's closing brace shows where the line ends): the offset after the last byte read when the
   * line is rejected, -1 otherwise.
   */
  private int walk(byte[] b, int s, int limit, boolean ahead) {
    if (!active || s >= limit || b[s] != '{') {
      return -1;
    }
    int e = limit;
    boolean open = ahead; // the line's end is not known yet
    JsonScanner sc = scan;
    sc.reset(b);
    sc.oneLine = ahead;
    long seen = 0;
    long firstNeeds = firstTops;
    boolean event = false;
    int kind = -1;
    Key last = null;
    int i = s + 1;
    while (true) {
      if (i >= e) {
        return -1;
      }
      byte c = b[i];
      if (c == '}') {
        if (open) {
          // the line ends here when a line break follows: then judge it whole, as rejects would
          int n = i + 1;
          if (n < e && (b[n] == '\n' || (b[n] == '\r' && n + 1 < e && b[n + 1] == '\n'))) {
            e = n;
            open = false;
          } else {
            return -1;
          }
        }
        if (i + 1 != e || !event) {
          return -1; // something after the event, or not an event: the view reports it
        }
        break;
      }
      if (c != '"') {
        return -1;
      }
      Key k = Key.following(last, b, i + 1, e);
      int ke;
      if (k != null) {
        ke = i + 2 + k.bytes().length;
      } else {
        ke = sc.string(i, e);
        if (ke < 0 || Unescape.escaped(b, i + 1, ke - 1)) {
          return -1;
        }
        k = Key.of(b, i + 1, ke - 1);
      }
      int v = ke + 1;
      if (v >= e || b[ke] != ':') {
        return -1;
      }
      int ve = sc.skip(v, e); // whitespace before the value fails here too
      if (ve < 0 || ve >= e) {
        return -1;
      }
      if (k != null) {
        last = k;
        long bit = 1L << k.id();
        if ((seen & bit) == 0) {
          seen |= bit;
          at[k.id()] = v;
          atEnd[k.id()] = ve;
          if (!event) {
            switch (k) {
              case ITEMS, PROTO_PAYLOAD, PROPERTIES -> {
                return -1; // a list or an envelope
              }
              case KIND -> kind = v;
              default -> {}
            }
            if (k.marksEvent()) {
              if (kind >= 0 && !isEventKind(b, kind, atEnd[Key.KIND.id()])) {
                return -1;
              }
              event = true;
            }
          }
        }
      }
      byte d = b[ve];
      if (d == ',') {
        i = ve + 1;
      } else if (d == '}') {
        i = ve;
      } else {
        return -1;
      }
      if (first >= 0 && event && (seen & firstNeeds) == firstNeeds) {
        // the condition's first test reads only this far: when it fails, the event view stops too
        int found = test(first, true, firstValues, b, e, seen);
        if (found == 0) {
          return ve + 1;
        }
        if (found < 0 || open) {
          return -1;
        }
        firstNeeds = 0; // it holds: read on for the rest
      }
      if (event && (seen & wanted) == wanted) {
        if (open) {
          return -1;
        }
        break;
      }
    }
    if ((seen & (1L << Key.AUDIT_ID.id())) == 0) {
      return e; // no ka.* field has a value without an auditID: the whole event was read
    }
    boolean holds = true;
    for (int f = 0; f < topOf.length; f++) {
      boolean checking = constrained[f] && holds;
      int found = test(f, checking, needed[f], b, e, seen);
      if (found < 0) {
        return -1;
      }
      if (checking) {
        holds = found == 1;
      }
    }
    return holds ? -1 : e;
  }

  /**
   * Reads field {@code f} of the line as the event view would, after the walk saw the top-level
   * members {@code seen}: -1 when reading it meets a problem or, when {@code check}, only the event
   * view can tell whether its value is one of {@code values}; otherwise 1 when it is (or when not
   * {@code check}), 0 when not or when the field has no value.
   */
  private int test(int f, boolean check, byte[][] values, byte[] b, int e, long seen) {
    int t = topOf[f];
    int v = (seen & (1L << t)) != 0 ? at[t] : -1;
    int ve = v >= 0 ? atEnd[t] : -1;
    byte[] m = memberOf[f];
    if (m.length > 0) {
      v = member(b, v, e, m);
      if (v == GIVE_UP) {
        return -1;
      }
      if (v >= 0) {
        ve = scan.skip(v, e);
        if (ve < 0) {
          return -1;
        }
      }
    }
    if (!check) {
      return 1;
    }
    return v < 0 ? 0 : oneOf(b, v, ve, values);
  }

  /** Whether the string {@code b[v..ve)} is exactly {@code "Event"}. */
  private static boolean isEventKind(byte[] b, int v, int ve) {
    return ve - v == 7
        && b[v] == '"'
        && b[v + 1] == 'E'
        && b[v + 2] == 'v'
        && b[v + 3] == 'e'
        && b[v + 4] == 'n'
        && b[v + 5] == 't';
  }

  /**
   * The value of member {@code key} of the object at {@code obj} in compact form: its offset, -1
   * when {@code obj} is not an object or has no such member, {@link #GIVE_UP} otherwise.
   */
  private int member(byte[] b, int obj, int e, byte[] key) {
    if (obj < 0 || b[obj] != '{') {
      return -1;
    }
    JsonScanner sc = scan;
    int i = obj + 1;
    if (i < e && b[i] == '}') {
      return -1;
    }
    while (true) {
      if (i >= e || b[i] != '"') {
        return GIVE_UP;
      }
      int ke = sc.string(i, e);
      if (ke < 0 || ke >= e || b[ke] != ':' || Unescape.escaped(b, i + 1, ke - 1)) {
        return GIVE_UP;
      }
      int v = ke + 1;
      if (ke - 1 - (i + 1) == key.length && Arrays.equals(b, i + 1, ke - 1, key, 0, key.length)) {
        return v < e ? v : GIVE_UP;
      }
      int ve = sc.skip(v, e);
      if (ve < 0 || ve >= e) {
        return GIVE_UP;
      }
      if (b[ve] == ',') {
        i = ve + 1;
      } else if (b[ve] == '}') {
        return -1;
      } else {
        return GIVE_UP;
      }
    }
  }

  /**
   * Whether the text of the value {@code b[v..ve)} is one of {@code values}: 1 yes, 0 no, -1 when
   * only the event view can tell (an escape, a byte outside ASCII, an object or array).
   */
  private static int oneOf(byte[] b, int v, int ve, byte[][] values) {
    int s = v;
    int t = ve;
    byte c = b[v];
    if (c == '"') {
      s++;
      t--;
    } else if (c == '{' || c == '[') {
      return -1;
    }
    for (int i = s; i < t; i++) {
      byte x = b[i];
      if (x < 0 || x == '\\') {
        return -1;
      }
    }
    int n = t - s;
    for (byte[] want : values) {
      if (want.length == n && Arrays.equals(b, s, t, want, 0, n)) {
        return 1;
      }
    }
    return 0;
  }
}
