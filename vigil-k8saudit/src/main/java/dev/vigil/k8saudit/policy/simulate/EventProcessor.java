package dev.vigil.k8saudit.policy.simulate;

import static dev.vigil.k8saudit.policy.simulate.EventScanner.API_VERSION;
import static dev.vigil.k8saudit.policy.simulate.EventScanner.AUDIT_ID;
import static dev.vigil.k8saudit.policy.simulate.EventScanner.ITEMS;
import static dev.vigil.k8saudit.policy.simulate.EventScanner.KIND;
import static dev.vigil.k8saudit.policy.simulate.EventScanner.LEVEL;
import static dev.vigil.k8saudit.policy.simulate.EventScanner.REQUEST_OBJECT;
import static dev.vigil.k8saudit.policy.simulate.EventScanner.REQUEST_URI;
import static dev.vigil.k8saudit.policy.simulate.EventScanner.RESPONSE_OBJECT;
import static dev.vigil.k8saudit.policy.simulate.EventScanner.STAGE;
import static dev.vigil.k8saudit.policy.simulate.EventScanner.VERB;

import dev.vigil.k8saudit.policy.Level;
import dev.vigil.k8saudit.policy.Stage;
import dev.vigil.k8saudit.policy.check.Decision;
import dev.vigil.k8saudit.policy.check.PolicyEvaluator;
import dev.vigil.k8saudit.policy.check.RequestAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Processes events for one thread: scans each, checks it is an audit event kube-apiserver could
 * have written, evaluates the policies, counts, and (optionally) writes one JSON line per event.
 */
final class EventProcessor {
  private final PolicyEvaluator a;
  private final Optional<PolicyEvaluator> b;
  private final boolean perEvent;
  private final EventScanner sc = new EventScanner();
  private final StringCache strings = new StringCache();
  private final EventAttributes attributes = new EventAttributes(strings);
  private final DecisionCache cache;
  private final DecisionCache.Entry uncached = new DecisionCache.Entry();
  final Tally tally;

  /** Events the decision cache did not answer (for measurements). */
  long misses;

  final List<LineProblem> problems = new ArrayList<>();
  private String file = "";
  private byte[] linePrefix = new byte[0];
  private Optional<java.util.function.Consumer<AuditEvents.Parsed>> sink = Optional.empty();

  EventProcessor(PolicyEvaluator a, Optional<PolicyEvaluator> b, boolean perEvent) {
    this.a = a;
    this.b = b;
    this.perEvent = perEvent;
    this.tally =
        new Tally(a.policy().rules().size(), b.map(e -> e.policy().rules().size()).orElse(0));
    this.cache =
        new DecisionCache(
            !usesNames(a.policy()) && !(b.isPresent() && usesNames(b.get().policy())));
  }

  private static boolean usesNames(dev.vigil.k8saudit.policy.Policy p) {
    return p.rules().stream()
        .flatMap(r -> r.resources().stream())
        .anyMatch(g -> !g.resourceNames().isEmpty());
  }

  /** Hands every event's request to {@code consumer} as well (for explaining events). */
  void sink(java.util.function.Consumer<AuditEvents.Parsed> consumer) {
    this.sink = Optional.of(consumer);
  }

  EventScanner scanner() {
    return sc;
  }

  /** Whether one JSON line is written per event. */
  boolean perEvent() {
    return perEvent;
  }

  /** A good first size for a chunk's output buffer. */
  int perEventCapacity() {
    return perEvent ? 1 << 16 : 16;
  }

  void file(String name) {
    this.file = name;
    Bytes prefix = new Bytes(name.length() + 20);
    prefix.ascii("{\"file\":").jsonString(name).ascii(",\"line\":");
    this.linePrefix = java.util.Arrays.copyOf(prefix.array(), prefix.size());
  }

  /**
   * The JSON line starting at {@code s} in a chunk of whole lines ending at {@code limit}; an
   * EventList line is expanded. Returns where the next line starts.
   */
  int line(byte[] buf, int s, int limit, long line, Bytes out) {
    sc.lineMode = true;
    int i = blanks(buf, s, limit);
    if (i == limit) {
      return limit;
    }
    if (buf[i] == '\n') {
      return i + 1;
    }
    int end = sc.scan(buf, i, limit);
    if (end < 0) {
      problem(line, sc.errorAt - s + 1, sc.error);
      return next(buf, sc.errorAt, limit);
    }
    int after = blanks(buf, end, limit);
    if (after < limit && buf[after] != '\n') {
      problem(line, after - s + 1, "more than one JSON value on the line");
      return next(buf, after, limit);
    }
    int next = after < limit ? after + 1 : limit;
    if (sc.equals(KIND, L_EVENTLIST) && sc.has(ITEMS)) {
      items(buf, sc.start[ITEMS], sc.end[ITEMS], line, s, out);
    } else {
      event(buf, i, end, next - s, line, out);
    }
    return next;
  }

  private static int blanks(byte[] b, int i, int limit) {
    while (i < limit && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r')) {
      i++;
    }
    return i;
  }

  private static int next(byte[] b, int from, int limit) {
    int nl = Lines.indexOf(b, Math.min(from, limit), limit);
    return nl < 0 ? limit : nl + 1;
  }

  /** The events of an EventList's {@code items} array [s, e). */
  void items(byte[] buf, int s, int e, long line, int lineStart, Bytes out) {
    int i = EventScanner.ws(buf, s + 1, e);
    int item = 0;
    while (i < e && buf[i] != ']') {
      int end = sc.scan(buf, i, e);
      if (end < 0) {
        problem(line, sc.errorAt - lineStart + 1, "items[" + item + "]: " + sc.error);
        return;
      }
      event(buf, i, end, end - i + 1, line, out);
      item++;
      i = EventScanner.ws(buf, end, e);
      if (i < e && buf[i] == ',') {
        i = EventScanner.ws(buf, i + 1, e);
      }
    }
  }

  /** One scanned event spanning [s, e) that weighs {@code size} bytes in its log. */
  void event(byte[] buf, int s, int e, long size, long line, Bytes out) {
    Optional<String> invalid = invalid();
    if (invalid.isPresent()) {
      problem(line, 0, invalid.get());
      return;
    }
    Optional<Stage> stage = stage();
    Level recorded = recorded();
    Tally t = tally;
    t.events++;
    t.bytes += size;
    DecisionCache.Entry hit =
        sc.has(REQUEST_URI) && sink.isEmpty() && cache.lookup(sc) ? cache.entry() : decide(t);
    int ra = hit.ruleA;
    int rb = hit.ruleB;
    long[] user = hit.user;
    long[] resource = hit.resource;
    RequestAttributes attrs = hit.request;
    if (sink.isPresent()) {
      sink.get()
          .accept(
              new AuditEvents.Parsed(
                  file,
                  line,
                  sc.string(AUDIT_ID, strings),
                  sc.string(STAGE, strings),
                  sc.string(REQUEST_URI, strings),
                  attrs));
    }
    Decision da = a.decision(ra);
    boolean wa = written(da, stage);
    long ba = wa ? estimate(da, size, recorded, t.a) : 0;
    t.a.add(ra, da.level(), wa, ba);
    Decision db = da;
    boolean wb = false;
    long bb = 0;
    if (b.isPresent()) {
      db = b.get().decision(rb);
      wb = written(db, stage);
      bb = wb ? estimate(db, size, recorded, t.b) : 0;
      t.b.add(rb, db.level(), wb, bb);
      t.changes[Tally.idx(da.level())][Tally.idx(db.level())]++;
    }
    count(user, wa, ba, wb, bb);
    count(resource, wa, ba, wb, bb);
    if (perEvent) {
      write(out, line, ra, da, wa, b.isPresent() ? Optional.of(db) : Optional.empty(), rb, wb);
    }
  }

  private static final byte[] L_AUDIT_K8S_IO_V1 = ascii("audit.k8s.io/v1");
  private static final byte[] L_AUDIT_K8S_IO_V1ALPHA1 = ascii("audit.k8s.io/v1alpha1");
  private static final byte[] L_AUDIT_K8S_IO_V1BETA1 = ascii("audit.k8s.io/v1beta1");
  private static final byte[] L_EVENT = ascii("Event");
  private static final byte[] L_EVENTLIST = ascii("EventList");
  private static final byte[] L_METADATA = ascii("Metadata");
  private static final byte[] L_PANIC = ascii("Panic");
  private static final byte[] L_REQUEST = ascii("Request");
  private static final byte[] L_REQUESTRECEIVED = ascii("RequestReceived");
  private static final byte[] L_REQUESTRESPONSE = ascii("RequestResponse");
  private static final byte[] L_RESPONSECOMPLETE = ascii("ResponseComplete");
  private static final byte[] L_RESPONSESTARTED = ascii("ResponseStarted");

  private static byte[] ascii(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }

  /** A request not seen yet: attributes, rules, counters; remembered when keyed by its URI. */
  private DecisionCache.Entry decide(Tally t) {
    misses++;
    RequestAttributes attrs = attributes.of(sc);
    int ra = a.firstMatch(attrs);
    int rb = b.isPresent() ? b.get().firstMatch(attrs) : -1;
    String name = attrs.user().isPresent() ? attrs.user().get().name() : "(no user)";
    long[] user = t.identities.get(name);
    if (user == null) {
      user = new long[5];
      t.identities.put(name, user);
    }
    Tally.ResourceKey rk =
        attrs.resourceRequest()
            ? new Tally.ResourceKey(attrs.apiGroup(), attrs.resource(), attrs.subresource(), "")
            : new Tally.ResourceKey("", "", "", attrs.path());
    long[] resource = t.resources.get(rk);
    if (resource == null) {
      resource = new long[5];
      t.resources.put(rk, resource);
    }
    if (attributes.fromUri && sink.isEmpty()) {
      return cache.remember(ra, rb, attrs, user, resource);
    }
    if (!attributes.fromUri) {
      t.fromObjectRef++;
    }
    uncached.ruleA = ra;
    uncached.ruleB = rb;
    uncached.request = attrs;
    uncached.user = user;
    uncached.resource = resource;
    return uncached;
  }

  private static final Optional<Stage> RECEIVED = Optional.of(Stage.REQUEST_RECEIVED);
  private static final Optional<Stage> STARTED = Optional.of(Stage.RESPONSE_STARTED);
  private static final Optional<Stage> COMPLETE = Optional.of(Stage.RESPONSE_COMPLETE);
  private static final Optional<Stage> PANIC = Optional.of(Stage.PANIC);

  /** The event's stage, read without decoding in the usual spellings. */
  private Optional<Stage> stage() {
    if (sc.equals(STAGE, L_RESPONSECOMPLETE)) {
      return COMPLETE;
    }
    if (sc.equals(STAGE, L_RESPONSESTARTED)) {
      return STARTED;
    }
    if (sc.equals(STAGE, L_REQUESTRECEIVED)) {
      return RECEIVED;
    }
    if (sc.equals(STAGE, L_PANIC)) {
      return PANIC;
    }
    return Stage.parse(sc.string(STAGE, strings));
  }

  /** The level the event was recorded at (Metadata when it does not say). */
  private Level recorded() {
    if (sc.equals(LEVEL, L_METADATA)) {
      return Level.METADATA;
    }
    if (sc.equals(LEVEL, L_REQUEST)) {
      return Level.REQUEST;
    }
    if (sc.equals(LEVEL, L_REQUESTRESPONSE)) {
      return Level.REQUEST_RESPONSE;
    }
    return Level.parse(sc.string(LEVEL, strings)).orElse(Level.METADATA);
  }

  private Optional<String> invalid() {
    if (sc.has(API_VERSION)
        && !sc.equals(API_VERSION, L_AUDIT_K8S_IO_V1)
        && !sc.equals(API_VERSION, L_AUDIT_K8S_IO_V1BETA1)
        && !sc.equals(API_VERSION, L_AUDIT_K8S_IO_V1ALPHA1)) {
      return Optional.of(
          "unsupported apiVersion \""
              + sc.string(API_VERSION, strings)
              + "\" (audit events are audit.k8s.io/v1): skipped");
    }
    if (sc.has(KIND) && !sc.equals(KIND, L_EVENT)) {
      return Optional.of(
          "kind \"" + sc.string(KIND, strings) + "\" is not an audit Event: skipped");
    }
    if (!sc.has(VERB) || (!sc.has(REQUEST_URI) && !sc.hasObjectRef)) {
      return Optional.of(
          "not an audit event (it has no verb, or neither requestURI nor objectRef): skipped");
    }
    return Optional.empty();
  }

  private static boolean written(Decision d, Optional<Stage> stage) {
    return d.level() != Level.NONE && (stage.isEmpty() || !d.omitStages().contains(stage.get()));
  }

  /** The event's size under the decided level: bodies the level does not record are dropped. */
  private long estimate(Decision d, long size, Level recorded, Tally.Counts c) {
    long s = size;
    if (!d.level().atLeast(Level.REQUEST) && sc.has(REQUEST_OBJECT)) {
      s -= body(REQUEST_OBJECT, "requestObject");
    }
    if (!d.level().atLeast(Level.REQUEST_RESPONSE) && sc.has(RESPONSE_OBJECT)) {
      s -= body(RESPONSE_OBJECT, "responseObject");
    }
    if (d.omitManagedFields() && d.level().atLeast(Level.REQUEST)) {
      s -= ManagedFields.bytes(sc, REQUEST_OBJECT);
      if (d.level() == Level.REQUEST_RESPONSE) {
        s -= ManagedFields.bytes(sc, RESPONSE_OBJECT);
      }
    }
    if (d.level().compareTo(recorded) > 0) {
      c.under++;
    }
    return Math.max(s, 0);
  }

  /** A body's bytes with its key, quotes, colon and separating comma. */
  private int body(int slot, String key) {
    return sc.end[slot] - sc.start[slot] + key.length() + 4;
  }

  private static void count(long[] v, boolean wa, long ba, boolean wb, long bb) {
    v[0]++;
    v[1] += wa ? 1 : 0;
    v[2] += ba;
    v[3] += wb ? 1 : 0;
    v[4] += bb;
  }

  private void write(
      Bytes out,
      long line,
      int ra,
      Decision da,
      boolean wa,
      Optional<Decision> db,
      int rb,
      boolean wb) {
    out.raw(linePrefix).number(line);
    out.ascii(",\"auditID\":");
    raw(out, AUDIT_ID);
    out.ascii(",\"stage\":");
    raw(out, STAGE);
    decision(out, ra, da, wa);
    if (db.isPresent()) {
      out.ascii(",\"compare\":{");
      out.ascii("\"rule\":");
      rule(out, rb);
      out.ascii(",\"level\":\"").ascii(db.get().level().text()).ascii("\",\"written\":").bool(wb);
      out.ascii("}");
    }
    out.ascii("}\n");
  }

  /** A string field as it was written (still JSON-escaped), or null. */
  private void raw(Bytes out, int slot) {
    if (sc.has(slot)) {
      out.ascii("\"").raw(sc.buf, sc.start[slot], sc.end[slot]).ascii("\"");
    } else {
      out.ascii("null");
    }
  }

  private static void decision(Bytes out, int rule, Decision d, boolean written) {
    out.ascii(",\"rule\":");
    rule(out, rule);
    out.ascii(",\"level\":\"").ascii(d.level().text()).ascii("\",\"written\":").bool(written);
  }

  private static void rule(Bytes out, int rule) {
    if (rule < 0) {
      out.ascii("null");
    } else {
      out.number(rule);
    }
  }

  void problem(long line, int column, String message) {
    tally.skipped++;
    if (problems.size() < Simulator.MAX_PROBLEMS_KEPT) {
      problems.add(new LineProblem(file, line, Math.max(column, 0), message));
    }
  }
}
