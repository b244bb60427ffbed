package dev.vigil.k8saudit.policy.simulate;

import java.nio.charset.StandardCharsets;

/**
 * Scans one JSON audit event in a byte array and records where the fields the simulator needs are:
 * {@code apiVersion}, {@code kind}, {@code level}, {@code auditID}, {@code stage}, {@code verb},
 * {@code requestURI}, {@code user.username}, {@code user.groups}, {@code objectRef.*}, and the
 * extent of {@code requestObject}, {@code responseObject} and {@code items}. Everything else is
 * skipped without decoding: strings by scanning for their closing quote, objects and arrays by
 * matching brackets (checked against a stack, at most {@link #MAX_DEPTH} deep). Skipped numbers and
 * literals are checked only loosely; strings must not contain raw control characters.
 *
 * <p>Not thread-safe: one scanner per thread, reused for every event. Values are spans into the
 * array ({@code start}, {@code end} exclusive, quotes excluded) decoded on demand.
 */
final class EventScanner {
  static final int MAX_DEPTH = 512;

  // Field slots.
  static final int API_VERSION = 0;
  static final int KIND = 1;
  static final int LEVEL = 2;
  static final int AUDIT_ID = 3;
  static final int STAGE = 4;
  static final int VERB = 5;
  static final int REQUEST_URI = 6;
  static final int USERNAME = 7;
  static final int OR_RESOURCE = 8;
  static final int OR_SUBRESOURCE = 9;
  static final int OR_NAMESPACE = 10;
  static final int OR_NAME = 11;
  static final int OR_API_GROUP = 12;
  static final int REQUEST_OBJECT = 13;
  static final int RESPONSE_OBJECT = 14;
  static final int ITEMS = 15;
  private static final int SLOTS = 16;

  private static final java.lang.invoke.VarHandle LONGS =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(
          long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;
  private static final long QUOTES = 0x2222222222222222L;
  private static final long BACKSLASHES = 0x5c5c5c5c5c5c5c5cL;
  private static final long SPACES = 0x2020202020202020L;

  /**
   * Line mode (JSON lines): a line break can only end an event, so one inside it means the line was
   * cut short; in document mode line breaks are whitespace.
   */
  boolean lineMode;

  byte[] buf = new byte[0];

  /** Span starts; -1 when the field is absent (or null). */
  final int[] start = new int[SLOTS];

  final int[] end = new int[SLOTS];

  /** Whether a string span contains escapes. */
  final boolean[] escaped = new boolean[SLOTS];

  boolean hasUser;
  boolean hasObjectRef;
  int groupCount;
  int[] groupStart = new int[8];
  int[] groupEnd = new int[8];
  boolean[] groupEscaped = new boolean[8];

  /** The first problem found: a message and the offset it concerns. */
  String error = "";

  int errorAt;
  private final byte[] stack = new byte[MAX_DEPTH];

  /**
   * Scans the JSON value starting at or after {@code from} (leading whitespace skipped), which must
   * be an object ending before {@code limit}. Returns the offset after it, or -1 on error.
   */
  int scan(byte[] b, int from, int limit) {
    this.buf = b;
    for (int k = 0; k < SLOTS; k++) {
      start[k] = -1;
    }
    hasUser = false;
    hasObjectRef = false;
    groupCount = 0;
    error = "";
    int i = ws(from, limit);
    if (i >= limit) {
      return fail("empty input", i);
    }
    if (b[i] != '{') {
      return fail("expected a JSON object, found " + describe(i, limit), i);
    }
    return object(i, limit, 0);
  }

  /** Top level ({@code level} 0), {@code user} (1) or {@code objectRef} (2). */
  private int object(int i, int limit, int where) {
    byte[] b = buf;
    i = ws(i + 1, limit);
    if (i < limit && b[i] == '}') {
      return i + 1;
    }
    while (true) {
      if (i >= limit) {
        return truncated(i);
      }
      if (b[i] != '"') {
        return fail("expected a field name, found " + describe(i, limit), i);
      }
      int ks = i + 1;
      int ke = string(i, limit);
      if (ke < 0) {
        return -1;
      }
      i = ws(ke, limit);
      if (i >= limit) {
        return truncated(i);
      }
      if (b[i] != ':') {
        return fail("expected ':' after a field name, found " + describe(i, limit), i);
      }
      i = ws(i + 1, limit);
      if (i >= limit) {
        return truncated(i);
      }
      i = field(ks, ke - 1, i, limit, where);
      if (i < 0) {
        return -1;
      }
      i = ws(i, limit);
      if (i >= limit) {
        return truncated(i);
      }
      if (b[i] == ',') {
        i = ws(i + 1, limit);
      } else if (b[i] == '}') {
        return i + 1;
      } else {
        return fail("expected ',' or '}', found " + describe(i, limit), i);
      }
    }
  }

  /** Dispatches on a key (bytes [ks, ke)); returns the offset after its value. */
  private int field(int ks, int ke, int v, int limit, int where) {
    int slot = slot(ks, ke - ks, where);
    if (slot >= REQUEST_OBJECT) {
      int e = skip(v, limit);
      if (e >= 0 && buf[v] != 'n') {
        start[slot] = v;
        end[slot] = e;
      }
      return e;
    }
    if (slot >= 0) {
      return stringField(slot, v, limit);
    }
    byte c = buf[v];
    if (slot == USER_OBJECT && c == '{') {
      hasUser = true;
      return object(v, limit, 1);
    }
    if (slot == OBJECT_REF && c == '{') {
      hasObjectRef = true;
      return object(v, limit, 2);
    }
    if (slot == GROUPS && c == '[') {
      return groups(v, limit);
    }
    return skip(v, limit);
  }

  /** A key as two little-endian words, for comparing a key in the input with one load each. */
  private record Key(String text, long w0, long w1) {
    static Key of(String text) {
      byte[] b = text.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      return new Key(text, word(b, 0), word(b, 8));
    }

    private static long word(byte[] b, int from) {
      long w = 0;
      for (int i = Math.min(b.length, from + 8) - 1; i >= from; i--) {
        w = (w << 8) | (b[i] & 0xff);
      }
      return w;
    }
  }

  private static final Key K_VERB = Key.of("verb");
  private static final Key K_KIND = Key.of("kind");
  private static final Key K_USER = Key.of("user");
  private static final Key K_STAGE = Key.of("stage");
  private static final Key K_LEVEL = Key.of("level");
  private static final Key K_ITEMS = Key.of("items");
  private static final Key K_AUDIT_ID = Key.of("auditID");
  private static final Key K_API_VERSION = Key.of("apiVersion");
  private static final Key K_REQUEST_URI = Key.of("requestURI");
  private static final Key K_OBJECT_REF = Key.of("objectRef");
  private static final Key K_REQUEST_OBJECT = Key.of("requestObject");
  private static final Key K_RESPONSE_OBJECT = Key.of("responseObject");
  private static final Key K_USERNAME = Key.of("username");
  private static final Key K_GROUPS = Key.of("groups");
  private static final Key K_NAME = Key.of("name");
  private static final Key K_RESOURCE = Key.of("resource");
  private static final Key K_API_GROUP = Key.of("apiGroup");
  private static final Key K_NAMESPACE = Key.of("namespace");
  private static final Key K_SUBRESOURCE = Key.of("subresource");

  /** Pseudo-slots for the objects the scanner descends into. */
  private static final int USER_OBJECT = -2;

  private static final int OBJECT_REF = -3;
  private static final int GROUPS = -4;

  /** Whether the {@code n} key bytes at {@code ks} are {@code k} (n is its length). */
  private boolean key(int ks, int n, Key k) {
    byte[] b = buf;
    if (ks + 16 > b.length) {
      return is(ks, k.text());
    }
    long w0 = (long) LONGS.get(b, ks);
    if (n < 8) {
      return (w0 & ((1L << (8 * n)) - 1)) == k.w0();
    }
    if (w0 != k.w0()) {
      return false;
    }
    long w1 = (long) LONGS.get(b, ks + 8);
    return n == 8 || (n < 16 ? (w1 & ((1L << (8 * (n - 8))) - 1)) == k.w1() : w1 == k.w1());
  }

  /** The slot for a key of length {@code n} at {@code ks} in object {@code where}, or -1. */
  private int slot(int ks, int n, int where) {
    if (where == 1) {
      return n == 8 && key(ks, n, K_USERNAME)
          ? USERNAME
          : n == 6 && key(ks, n, K_GROUPS) ? GROUPS : -1;
    }
    if (where == 2) {
      return switch (n) {
        case 4 -> key(ks, n, K_NAME) ? OR_NAME : -1;
        case 8 ->
            key(ks, n, K_RESOURCE) ? OR_RESOURCE : key(ks, n, K_API_GROUP) ? OR_API_GROUP : -1;
        case 9 -> key(ks, n, K_NAMESPACE) ? OR_NAMESPACE : -1;
        case 11 -> key(ks, n, K_SUBRESOURCE) ? OR_SUBRESOURCE : -1;
        default -> -1;
      };
    }
    return switch (n) {
      case 4 ->
          key(ks, n, K_VERB)
              ? VERB
              : key(ks, n, K_KIND) ? KIND : key(ks, n, K_USER) ? USER_OBJECT : -1;
      case 5 ->
          key(ks, n, K_STAGE)
              ? STAGE
              : key(ks, n, K_LEVEL) ? LEVEL : key(ks, n, K_ITEMS) ? ITEMS : -1;
      case 7 -> key(ks, n, K_AUDIT_ID) ? AUDIT_ID : -1;
      case 9 -> key(ks, n, K_OBJECT_REF) ? OBJECT_REF : -1;
      case 10 ->
          key(ks, n, K_API_VERSION) ? API_VERSION : key(ks, n, K_REQUEST_URI) ? REQUEST_URI : -1;
      case 13 -> key(ks, n, K_REQUEST_OBJECT) ? REQUEST_OBJECT : -1;
      case 14 -> key(ks, n, K_RESPONSE_OBJECT) ? RESPONSE_OBJECT : -1;
      default -> -1;
    };
  }

  private int stringField(int slot, int v, int limit) {
    byte c = buf[v];
    if (c == '"') {
      int e = string(v, limit);
      if (e < 0) {
        return -1;
      }
      start[slot] = v + 1;
      end[slot] = e - 1;
      escaped[slot] = lastEscaped;
      return e;
    }
    int e = skip(v, limit);
    if (e >= 0 && c != 'n') {
      return fail("\"" + name(slot) + "\" is " + describe(v, limit) + ", not a string", v);
    }
    return e;
  }

  private int groups(int i, int limit) {
    byte[] b = buf;
    i = ws(i + 1, limit);
    if (i < limit && b[i] == ']') {
      return i + 1;
    }
    while (true) {
      if (i >= limit) {
        return truncated(i);
      }
      if (b[i] == '"') {
        int e = string(i, limit);
        if (e < 0) {
          return -1;
        }
        addGroup(i + 1, e - 1, lastEscaped);
        i = e;
      } else {
        i = skip(i, limit);
        if (i < 0) {
          return -1;
        }
      }
      i = ws(i, limit);
      if (i >= limit) {
        return truncated(i);
      }
      if (b[i] == ',') {
        i = ws(i + 1, limit);
      } else if (b[i] == ']') {
        return i + 1;
      } else {
        return fail("expected ',' or ']', found " + describe(i, limit), i);
      }
    }
  }

  private void addGroup(int s, int e, boolean esc) {
    if (groupCount == groupStart.length) {
      groupStart = java.util.Arrays.copyOf(groupStart, groupCount * 2);
      groupEnd = java.util.Arrays.copyOf(groupEnd, groupCount * 2);
      groupEscaped = java.util.Arrays.copyOf(groupEscaped, groupCount * 2);
    }
    groupStart[groupCount] = s;
    groupEnd[groupCount] = e;
    groupEscaped[groupCount] = esc;
    groupCount++;
  }

  private boolean lastEscaped;

  /** Scans a string starting at the quote at {@code i}; returns the offset after its end quote. */
  private int string(int i, int limit) {
    byte[] b = buf;
    boolean esc = false;
    i++;
    while (i < limit) {
      // eight bytes at a time while none is a quote, a backslash or a control character
      while (i + 8 <= limit) {
        long w = (long) LONGS.get(b, i);
        long q = w ^ QUOTES;
        long s = w ^ BACKSLASHES;
        long hit = ((q - ONES) & ~q) | ((s - ONES) & ~s) | ((w - SPACES) & ~w);
        if ((hit & HIGHS) != 0) {
          i += Long.numberOfTrailingZeros(hit & HIGHS) >>> 3;
          break;
        }
        i += 8;
      }
      if (i >= limit) {
        break;
      }
      byte c = b[i];
      if (c == '"') {
        lastEscaped = esc;
        return i + 1;
      }
      if (c == '\\') {
        esc = true;
        i += 2;
        continue;
      }
      if (c >= 0 && c < 0x20) {
        return c == '\n' ? truncated(i) : fail("control character in a string", i);
      }
      i++;
    }
    return truncated(limit);
  }

  /** Skips any JSON value at {@code i}; returns the offset after it. */
  int skip(int i, int limit) {
    byte[] b = buf;
    byte c = b[i];
    if (c == '"') {
      return string(i, limit);
    }
    if (c != '{' && c != '[') {
      return literal(i, limit);
    }
    int depth = 0;
    while (i < limit) {
      c = b[i];
      switch (c) {
        case '"' -> {
          i = string(i, limit);
          if (i < 0) {
            return -1;
          }
          continue;
        }
        case '{', '[' -> {
          if (depth == MAX_DEPTH) {
            return fail("nested more than " + MAX_DEPTH + " levels deep", i);
          }
          stack[depth++] = c == '{' ? (byte) '}' : (byte) ']';
        }
        case '}', ']' -> {
          if (depth == 0 || stack[depth - 1] != c) {
            return fail("unexpected '" + (char) c + "'", i);
          }
          if (--depth == 0) {
            return i + 1;
          }
        }
        case '\n' -> {
          if (lineMode) {
            return truncated(i);
          }
        }
        default -> {
          if (c >= 0 && c < 0x20 && c != '\r' && c != '\t') {
            return fail("unexpected control character", i);
          }
        }
      }
      i++;
    }
    return truncated(limit);
  }

  private int literal(int i, int limit) {
    byte[] b = buf;
    int s = i;
    while (i < limit) {
      byte c = b[i];
      if ((c >= '0' && c <= '9')
          || (c >= 'a' && c <= 'z')
          || c == '-'
          || c == '+'
          || c == '.'
          || c == 'E') {
        i++;
      } else {
        break;
      }
    }
    if (i == s) {
      return fail("unexpected " + describe(s, limit), s);
    }
    byte f = b[s];
    boolean ok =
        f == '-'
            || (f >= '0' && f <= '9')
            || is(s, i, "true")
            || is(s, i, "false")
            || is(s, i, "null");
    if (ok) {
      return i;
    }
    String word = ascii(s, i);
    boolean cut =
        (i == limit || b[i] == '\n')
            && ("true".startsWith(word) || "false".startsWith(word) || "null".startsWith(word));
    return cut ? truncated(i) : fail("invalid literal '" + word + "'", s);
  }

  static int ws(byte[] b, int i, int limit) {
    while (i < limit) {
      byte c = b[i];
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
        break;
      }
      i++;
    }
    return i;
  }

  private int ws(int i, int limit) {
    if (!lineMode) {
      return ws(buf, i, limit);
    }
    byte[] b = buf;
    while (i < limit) {
      byte c = b[i];
      if (c != ' ' && c != '\r' && c != '\t') {
        break;
      }
      i++;
    }
    return i;
  }

  private boolean is(int ks, int ke, String key) {
    return ke - ks == key.length() && is(ks, key);
  }

  private boolean is(int ks, String key) {
    byte[] b = buf;
    for (int k = 0; k < key.length(); k++) {
      if (b[ks + k] != key.charAt(k)) {
        return false;
      }
    }
    return true;
  }

  // ---- results --------------------------------------------------------------------------------

  boolean has(int slot) {
    return start[slot] >= 0;
  }

  /** Whether the span of {@code slot} holds exactly {@code s} (ASCII, unescaped). */
  boolean equals(int slot, String s) {
    return has(slot) && !escaped[slot] && is(start[slot], end[slot], s);
  }

  /** Whether the span of {@code slot} holds exactly the ASCII bytes {@code lit}, unescaped. */
  boolean equals(int slot, byte[] lit) {
    int s = start[slot];
    if (s < 0 || end[slot] - s != lit.length || escaped[slot]) {
      return false;
    }
    byte[] b = buf;
    for (int i = 0; i < lit.length; i++) {
      if (b[s + i] != lit[i]) {
        return false;
      }
    }
    return true;
  }

  /** The decoded string of {@code slot}, through the cache. */
  String string(int slot, StringCache cache) {
    return has(slot) ? cache.get(buf, start[slot], end[slot], escaped[slot]) : "";
  }

  String group(int k, StringCache cache) {
    return cache.get(buf, groupStart[k], groupEnd[k], groupEscaped[k]);
  }

  private int truncated(int at) {
    return fail("the JSON ends in the middle of a value (truncated?)", at);
  }

  private int fail(String message, int at) {
    if (error.isEmpty()) {
      boolean lineEnd = lineMode && at < buf.length && buf[at] == '\n';
      error = lineEnd ? "the line ends in the middle of the event (truncated?)" : message;
      errorAt = at;
    }
    return -1;
  }

  private String describe(int i, int limit) {
    if (i >= limit) {
      return "the end";
    }
    byte c = buf[i];
    return switch (c) {
      case '"' -> "a string";
      case '{' -> "an object";
      case '[' -> "an array";
      case 't' -> literalAt(i, limit, "true") ? "a boolean" : "'t'";
      case 'f' -> literalAt(i, limit, "false") ? "a boolean" : "'f'";
      case 'n' -> literalAt(i, limit, "null") ? "null" : "'n'";
      default ->
          (c >= '0' && c <= '9') || c == '-'
              ? "a number"
              : c >= 0x20 && c < 0x7f
                  ? "'" + (char) c + "'"
                  : String.format("byte 0x%02x", c & 0xff);
    };
  }

  private boolean literalAt(int i, int limit, String word) {
    return i + word.length() <= limit && is(i, word);
  }

  private String ascii(int s, int e) {
    return new String(buf, s, Math.min(e - s, 20), StandardCharsets.ISO_8859_1);
  }

  static String name(int slot) {
    return switch (slot) {
      case API_VERSION -> "apiVersion";
      case KIND -> "kind";
      case LEVEL -> "level";
      case AUDIT_ID -> "auditID";
      case STAGE -> "stage";
      case VERB -> "verb";
      case REQUEST_URI -> "requestURI";
      case USERNAME -> "user.username";
      case OR_RESOURCE -> "objectRef.resource";
      case OR_SUBRESOURCE -> "objectRef.subresource";
      case OR_NAMESPACE -> "objectRef.namespace";
      case OR_NAME -> "objectRef.name";
      case OR_API_GROUP -> "objectRef.apiGroup";
      default -> "field";
    };
  }
}
