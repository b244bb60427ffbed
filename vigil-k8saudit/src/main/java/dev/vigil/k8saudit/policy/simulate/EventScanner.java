package dev.vigil.k8saudit.policy.simulate;

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
final class EventScanner extends JsonScanner {
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
