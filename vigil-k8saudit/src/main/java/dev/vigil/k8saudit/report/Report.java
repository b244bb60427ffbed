package dev.vigil.k8saudit.report;

import dev.vigil.k8saudit.event.AuditEvent;
import dev.vigil.k8saudit.event.Key;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Accumulates a report over audit events. Each request is counted once: at ResponseComplete, or at
 * ResponseStarted for what only has that stage (401s) and for exec/attach/port-forward sessions,
 * whose ResponseComplete comes when they end. Lists keep the first {@link #KEEP} items.
 */
public final class Report {
  /** Items kept per list section. */
  public static final int KEEP = 200;

  /** One request as the report lists it. */
  public record Item(
      long time,
      String user,
      String verb,
      String resource,
      String namespace,
      String name,
      String uri,
      int code,
      String sourceIp,
      String detail) {}

  /** Activity of one identity. */
  public static final class Identity {
    public long requests;
    public long writes;
    public long denied;
    public long firstSeen = Long.MAX_VALUE;
    public long lastSeen = Long.MIN_VALUE;
    public final Map<String, Long> verbs = new TreeMap<>();
  }

  private long events;
  private long requests;
  private long first = Long.MAX_VALUE;
  private long last = Long.MIN_VALUE;
  private final Map<String, Identity> identities = new TreeMap<>();
  private final Map<Denial, List<Item>> denials = new EnumMap<>(Denial.class);
  private final Map<Denial, Long> denialCounts = new EnumMap<>(Denial.class);
  private final List<Item> secrets = new ArrayList<>();
  private long secretCount;
  private final List<Item> sessions = new ArrayList<>();
  private long sessionCount;
  private final List<Item> destructive = new ArrayList<>();
  private long destructiveCount;
  private final Map<String, Long> firstUsers = new LinkedHashMap<>();
  private final Map<String, Long> firstIps = new LinkedHashMap<>();
  private final TreeMap<Long, long[]> perMinute = new TreeMap<>();

  /** Adds one event. */
  public void add(AuditEvent e) {
    events++;
    String stage = str(e, e.top(Key.STAGE));
    int code = code(e);
    String sub = str(e, e.member(e.top(Key.OBJECT_REF), "subresource"));
    boolean session = sub.equals("exec") || sub.equals("attach") || sub.equals("portforward");
    boolean counted =
        (stage.equals("ResponseComplete") && !session)
            || (stage.equals("ResponseStarted") && (session || code == 401))
            || stage.isEmpty();
    if (!counted) {
      return;
    }
    requests++;
    long t = e.timestamp();
    first = Math.min(first, t);
    last = Math.max(last, t);
    Item it = item(e, code, sub);
    String who = it.user().isEmpty() ? "(unauthenticated)" : it.user();
    Identity id = identities.computeIfAbsent(who, k -> new Identity());
    id.requests++;
    id.verbs.merge(it.verb(), 1L, Long::sum);
    id.firstSeen = Math.min(id.firstSeen, t);
    id.lastSeen = Math.max(id.lastSeen, t);
    boolean write =
        switch (it.verb()) {
          case "create", "update", "patch", "delete", "deletecollection" -> true;
          default -> false;
        };
    if (write) {
      id.writes++;
    }
    long[] minute = perMinute.computeIfAbsent(Math.floorDiv(t, 60_000_000_000L), k -> new long[2]);
    minute[0]++;
    firstUsers.merge(who, t, Math::min);
    if (!it.sourceIp().isEmpty()) {
      firstIps.merge(it.sourceIp(), t, Math::min);
    }
    Denial d = denial(e, code);
    if (d != null) {
      id.denied++;
      minute[1]++;
      denialCounts.merge(d, 1L, Long::sum);
      keep(denials.computeIfAbsent(d, k -> new ArrayList<>()), it);
    }
    if (it.resource().equals("secrets")) {
      secretCount++;
      keep(secrets, it);
    }
    if (session) {
      sessionCount++;
      keep(sessions, it);
    }
    if ((it.verb().equals("delete") || it.verb().equals("deletecollection"))
        && code >= 200
        && code < 300) {
      destructiveCount++;
      keep(destructive, it);
    }
  }

  private static void keep(List<Item> list, Item it) {
    if (list.size() < KEEP) {
      list.add(it);
    }
  }

  static @Nullable Denial denial(AuditEvent e, int code) {
    if (code == 401) {
      return Denial.AUTHENTICATION;
    }
    if (code != 403) {
      return null;
    }
    String decision = str(e, e.member(e.top(Key.ANNOTATIONS), "authorization.k8s.io/decision"));
    if (decision.equals("forbid")) {
      return Denial.AUTHORIZATION;
    }
    if (decision.equals("allow")) {
      return Denial.ADMISSION;
    }
    String message = str(e, e.member(e.top(Key.RESPONSE_STATUS), "message"));
    return message.contains("cannot impersonate") ? Denial.IMPERSONATION : Denial.OTHER_FORBIDDEN;
  }

  private static Item item(AuditEvent e, int code, String sub) {
    int ref = e.top(Key.OBJECT_REF);
    String resource = str(e, e.member(ref, "resource"));
    int ips = e.top(Key.SOURCE_IPS);
    String as = str(e, e.member(e.top(Key.IMPERSONATED_USER), "username"));
    return new Item(
        e.timestamp(),
        str(e, e.member(e.top(Key.USER), "username")),
        str(e, e.top(Key.VERB)),
        sub.isEmpty() ? resource : resource + "/" + sub,
        str(e, e.member(ref, "namespace")),
        str(e, e.member(ref, "name")),
        str(e, e.top(Key.REQUEST_URI)),
        code,
        str(e, e.firstElement(ips)),
        as.isEmpty() ? "" : "as " + as);
  }

  private static int code(AuditEvent e) {
    String c = e.text(e.member(e.top(Key.RESPONSE_STATUS), "code"));
    if (c == null) {
      return 0;
    }
    try {
      return Integer.parseInt(c);
    } catch (NumberFormatException bad) {
      return 0;
    }
  }

  private static String str(AuditEvent e, int v) {
    String s = v >= 0 && e.isString(v) ? e.text(v) : null;
    return s == null ? "" : s;
  }

  public long events() {
    return events;
  }

  public long requests() {
    return requests;
  }

  /** First and last request time (ns); MAX/MIN_VALUE when there was none. */
  public long first() {
    return first;
  }

  public long last() {
    return last;
  }

  public Map<String, Identity> identities() {
    return identities;
  }

  public Map<Denial, Long> denialCounts() {
    return denialCounts;
  }

  public List<Item> denials(Denial d) {
    return denials.getOrDefault(d, List.of());
  }

  public List<Item> secrets() {
    return secrets;
  }

  public long secretCount() {
    return secretCount;
  }

  public List<Item> sessions() {
    return sessions;
  }

  public long sessionCount() {
    return sessionCount;
  }

  public List<Item> destructive() {
    return destructive;
  }

  public long destructiveCount() {
    return destructiveCount;
  }

  /** Identities with the time of their first request, earliest first. */
  public Map<String, Long> firstUsers() {
    return byTime(firstUsers);
  }

  /** Source addresses (the first of each request's sourceIPs) with their first time. */
  public Map<String, Long> firstIps() {
    return byTime(firstIps);
  }

  private static Map<String, Long> byTime(Map<String, Long> m) {
    Map<String, Long> out = new LinkedHashMap<>();
    m.entrySet().stream()
        .sorted(
            Map.Entry.<String, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
        .forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }

  /** Requests and denials per minute (key: minutes since the epoch). */
  public java.util.NavigableMap<Long, long[]> perMinute() {
    return perMinute;
  }
}
