package dev.vigil.k8saudit.event;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The top-level members of an audit event (audit.k8s.io Event) that Vigil indexes as it scans, plus
 * the members that mark an EventList or a cloud provider's envelope.
 */
@SuppressWarnings("ImmutableEnumChecker") // the name bytes are never handed out
public enum Key {
  KIND(0, "kind"),
  API_VERSION(1, "apiVersion"),
  LEVEL(2, "level"),
  AUDIT_ID(3, "auditID"),
  STAGE(4, "stage"),
  REQUEST_URI(5, "requestURI"),
  VERB(6, "verb"),
  USER(7, "user"),
  IMPERSONATED_USER(8, "impersonatedUser"),
  SOURCE_IPS(9, "sourceIPs"),
  USER_AGENT(10, "userAgent"),
  OBJECT_REF(11, "objectRef"),
  RESPONSE_STATUS(12, "responseStatus"),
  REQUEST_OBJECT(13, "requestObject"),
  RESPONSE_OBJECT(14, "responseObject"),
  REQUEST_RECEIVED_TIMESTAMP(15, "requestReceivedTimestamp"),
  STAGE_TIMESTAMP(16, "stageTimestamp"),
  ANNOTATIONS(17, "annotations"),
  /** v1alpha1/v1beta1 events' event time. */
  TIMESTAMP(18, "timestamp"),
  /** An EventList's events. */
  ITEMS(19, "items"),
  /** A GKE Cloud Audit Logs LogEntry. */
  PROTO_PAYLOAD(20, "protoPayload"),
  /** An AKS diagnostic record (with {@code category} kube-audit or kube-audit-admin). */
  PROPERTIES(21, "properties");

  static final Key[] ALL = values();

  private static final VarHandle WORDS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private final int id;
  private final String json;
  private final byte[] bytes;

  /** The name and its closing quote as little-endian words, the last one zero-padded. */
  private final long[] words;

  /** The bytes of the last word that belong to the name and quote. */
  private final long lastMask;

  Key(int id, String json) {
    this.id = id;
    this.json = json;
    this.bytes = json.getBytes(StandardCharsets.US_ASCII);
    byte[] quoted = java.util.Arrays.copyOf(bytes, bytes.length + 1);
    quoted[bytes.length] = '"';
    int n = (quoted.length + 7) / 8;
    byte[] padded = java.util.Arrays.copyOf(quoted, n * 8);
    this.words = new long[n];
    for (int w = 0; w < n; w++) {
      long x = 0;
      for (int k = 7; k >= 0; k--) {
        x = (x << 8) | (padded[w * 8 + k] & 0xff); // little-endian, as WORDS reads
      }
      words[w] = x;
    }
    int rest = quoted.length - (n - 1) * 8;
    this.lastMask = rest == 8 ? -1L : (1L << (8 * rest)) - 1;
  }

  /**
   * Whether {@code b[from..]} starts with this name and a quote (so that a string opened just
   * before {@code from} is exactly this name), reading whole words when the array allows.
   */
  private boolean quotedAt(byte[] b, int from, int end) {
    int n = bytes.length;
    if (from + n >= end) {
      return false;
    }
    long[] w = words;
    int last = w.length - 1;
    if (from + (last + 1) * 8 <= b.length) {
      for (int k = 0; k < last; k++) {
        if ((long) WORDS.get(b, from + k * 8) != w[k]) {
          return false;
        }
      }
      return ((long) WORDS.get(b, from + last * 8) & lastMask) == w[last];
    }
    return b[from + n] == '"' && java.util.Arrays.equals(bytes, 0, n, b, from, from + n);
  }

  /** A dense index for arrays keyed by member (declaration order). */
  int id() {
    return id;
  }

  /** The member name as it appears in the JSON. */
  public String json() {
    return json;
  }

  byte[] bytes() {
    return bytes;
  }

  /** Whether only a native audit event (not a list, not an envelope) has this member. */
  boolean marksEvent() {
    return switch (this) {
      case KIND, API_VERSION, LEVEL, TIMESTAMP, ITEMS, PROTO_PAYLOAD, PROPERTIES -> false;
      default -> true;
    };
  }

  private static final Key[][] BY_LENGTH = new Key[25][];

  static {
    for (int n = 0; n < BY_LENGTH.length; n++) {
      final int len = n;
      BY_LENGTH[n] =
          java.util.Arrays.stream(ALL).filter(k -> k.bytes.length == len).toArray(Key[]::new);
    }
  }

  /**
   * The member that usually follows {@code last} in kube-apiserver's order (the first one, {@code
   * kind}, when {@code last} is null), or the one after it, if its quoted name starts at {@code
   * b[from - 1]}: then the string is exactly that name (a name has no quote or backslash). Null
   * otherwise.
   */
  static @org.jspecify.annotations.Nullable Key following(
      @org.jspecify.annotations.Nullable Key last, byte[] b, int from, int end) {
    int next = last == null ? 0 : last.id + 1;
    for (int id = next; id < next + 2 && id < ALL.length; id++) {
      if (ALL[id].quotedAt(b, from, end)) {
        return ALL[id];
      }
    }
    return null;
  }

  /**
   * The key whose name is {@code b[start..end)} (the text between the quotes, escapes allowed), or
   * null.
   */
  static @org.jspecify.annotations.Nullable Key of(byte[] b, int start, int end) {
    int n = end - start;
    if (n < 4) {
      return null;
    }
    if (n <= 24) {
      for (Key k : BY_LENGTH[n]) {
        byte[] kb = k.bytes;
        if (kb[0] == b[start]
            && kb[n - 1] == b[end - 1]
            && java.util.Arrays.equals(kb, 0, n, b, start, end)) {
          return k;
        }
      }
    }
    // a name written with JSON escapes is the same name (as for Go's and Falco's parsers)
    if (n <= 6 * 24 && Unescape.escaped(b, start, end)) {
      String name = Unescape.decode(b, start, end);
      for (Key k : ALL) {
        if (k.json.equals(name)) {
          return k;
        }
      }
    }
    return null;
  }
}
