package dev.vigil.k8saudit.event;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.k8saudit.Corpus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The shortcuts of the event view give what a plain forward scan gives: the event time found by
 * walking back from the end, and member lookups that go on from where the last lookup in the same
 * object stopped. Checked on every corpus event, on hand-made edge cases and on random mutations
 * (where a malformed event may differ, but only one that {@link AuditEvent#validate} rejects).
 */
class AuditEventLookupTest {

  /** The time as the forward scan finds it: every time member indexed before asking. */
  private static long forwardTime(byte[] b) {
    AuditEvent e = view(b);
    e.top(Key.STAGE_TIMESTAMP);
    e.top(Key.TIMESTAMP);
    e.top(Key.REQUEST_RECEIVED_TIMESTAMP);
    return e.timestamp();
  }

  private static AuditEvent view(byte[] b) {
    AuditEvent e = new AuditEvent();
    e.reset(b, 0, b.length);
    e.fallbackTime(42);
    return e;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static List<byte[]> corpusEvents() throws IOException {
    List<byte[]> out = new ArrayList<>();
    for (Path dir : List.of(Corpus.events(), Corpus.falcoTraces())) {
      List<Path> files;
      try (Stream<Path> s = Files.walk(dir)) {
        files = s.filter(Files::isRegularFile).sorted().toList();
      }
      for (Path f : files) {
        new AuditReader()
            .read(
                f,
                new AuditReader.Sink() {
                  @Override
                  public void event(AuditEvent event, long line) {
                    byte[] b = event.bytes();
                    out.add(java.util.Arrays.copyOfRange(b, event.start(), event.end()));
                  }

                  @Override
                  public void problem(InputProblem problem) {}
                });
      }
    }
    return out;
  }

  @Test
  void everyCorpusEventHasTheSameTimeBothWays() throws IOException {
    List<byte[]> events = corpusEvents();
    assertThat(events).hasSizeGreaterThan(100);
    int timed = 0;
    for (byte[] b : events) {
      long t = view(b).timestamp();
      assertThat(t).as(new String(b, StandardCharsets.UTF_8)).isEqualTo(forwardTime(b));
      if (t != 42) {
        timed++;
      }
    }
    assertThat(timed).isGreaterThan(events.size() / 2);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        // the time after bodies, after annotations, last, with blanks and a CR
        "{\"kind\":\"Event\",\"auditID\":\"a\",\"requestObject\":{\"x\":[1,{\"y\":\"}\"}]},"
            + "\"stageTimestamp\":\"2026-03-01T10:00:00.5Z\",\"annotations\":{\"r\":\"say \\\"hi\\\"\"}}",
        "{\"auditID\":\"a\",\"stageTimestamp\":\"2026-03-01T10:00:00Z\"}",
        "{ \"auditID\" : \"a\" , \"stageTimestamp\" : \"2026-03-01T10:00:00Z\" , \"n\" : -1.5e+3 }\r",
        // strings ending in escaped backslashes, quotes and braces in keys and values
        "{\"auditID\":\"a\",\"stageTimestamp\":\"2026-03-01T10:00:01Z\",\"k\\\\\":\"v\\\\\\\\\"}",
        "{\"auditID\":\"a\",\"stageTimestamp\":\"2026-03-01T10:00:02Z\",\"q\":\"\\\"}{\\\"\"}",
        "{\"auditID\":\"a\",\"stageTimestamp\":\"2026-03-01T10:00:03Z\",\"z\":[\"]\",\"[\",{}],\"t\":true,\"f\":null}",
        // only a nested stageTimestamp, or none: the forward scan decides
        "{\"auditID\":\"a\",\"requestObject\":{\"stageTimestamp\":\"2030-01-01T00:00:00Z\"},"
            + "\"requestReceivedTimestamp\":\"2026-03-01T10:00:04Z\"}",
        "{\"auditID\":\"a\",\"timestamp\":\"2026-03-01T10:00:05Z\"}",
        "{\"auditID\":\"a\"}",
        "{}",
        // not a string, not a time, an escaped key
        "{\"auditID\":\"a\",\"stageTimestamp\":17,\"requestReceivedTimestamp\":\"2026-03-01T10:00:06Z\"}",
        "{\"auditID\":\"a\",\"stageTimestamp\":\"yesterday\",\"timestamp\":\"2026-03-01T10:00:07Z\"}",
        "{\"auditID\":\"a\",\"stage\\u0054imestamp\":\"2026-03-01T10:00:08Z\"}",
        // malformed: truncated, no closing brace, junk after it, broken before the time
        "{\"auditID\":\"a\",\"stageTimestamp\":\"2026-03-01T10:00:09Z\"",
        "{\"auditID\":\"a\",\"stageTimestamp\":\"2026-03-01T10:00:10Z\",\"x\":{\"y\":1}",
        "{\"auditID\":\"a\",\"stageTimestamp\":\"2026-03-01T10:00:11Z\"}}",
        "{\"auditID\":\"a\" \"stageTimestamp\":\"2026-03-01T10:00:12Z\"}",
        "{\"auditID\":\"a\",stageTimestamp:\"2026-03-01T10:00:13Z\"}",
        "\"stageTimestamp\":\"2026-03-01T10:00:14Z\"}",
      })
  void edgeCasesAgreeWhenWellFormed(String json) {
    byte[] b = bytes(json);
    long backward = view(b).timestamp();
    if (view(b).validate()) {
      assertThat(backward).isEqualTo(forwardTime(b));
    }
  }

  @Test
  void theTimeIsFoundWithoutScanningTheBodies() {
    // a body the forward scan would stop at (an invalid escape) before the time
    byte[] b =
        bytes(
            "{\"auditID\":\"a\",\"requestObject\":{\"x\":\"\\q\"},"
                + "\"stageTimestamp\":\"2026-03-01T10:00:00Z\"}");
    AuditEvent e = view(b);
    assertThat(e.timestamp()).isEqualTo(1_772_359_200_000_000_000L);
    assertThat(e.problem()).isEmpty();
    assertThat(e.validate()).isFalse();
    assertThat(e.problem()).startsWith("invalid escape");
  }

  @Test
  void duplicateTopLevelMembersAreNotWellFormed() {
    byte[] b =
        bytes(
            "{\"auditID\":\"a\",\"stageTimestamp\":\"2026-03-01T10:00:00Z\","
                + "\"user\":{\"username\":\"alice\"},\"stageTimestamp\":\"2026-03-01T11:00:00Z\"}");
    AuditEvent e = view(b);
    assertThat(e.validate()).isFalse();
    assertThat(e.problem()).isEqualTo("duplicate member \"stageTimestamp\" in the event");
    assertThat(e.problemOffset()).isEqualTo(b.length - 40);
    byte[] u =
        bytes(
            "{\"auditID\":\"a\",\"user\":{\"username\":\"alice\"},\"user\":{\"username\":\"bob\"}}");
    AuditEvent v = view(u);
    assertThat(v.validate()).isFalse();
    assertThat(v.problem()).isEqualTo("duplicate member \"user\" in the event");
  }

  @Test
  void randomMutationsDifferOnlyInEventsThatAreRejected() throws IOException {
    List<byte[]> events = corpusEvents();
    Random r = new Random(7);
    byte[] alphabet = bytes("{}[]\",:\\ \n0aZ");
    for (int n = 0; n < 20_000; n++) {
      byte[] b = events.get(r.nextInt(events.size())).clone();
      int edits = 1 + r.nextInt(3);
      for (int k = 0; k < edits && b.length > 0; k++) {
        int at = b.length - 1 - Math.min(b.length - 1, (int) Math.abs(r.nextGaussian() * 60));
        switch (r.nextInt(3)) {
          case 0 -> b[at] = alphabet[r.nextInt(alphabet.length)];
          case 1 -> b = java.util.Arrays.copyOf(b, at);
          default -> {
            byte[] c = new byte[b.length + 1];
            System.arraycopy(b, 0, c, 0, at);
            c[at] = alphabet[r.nextInt(alphabet.length)];
            System.arraycopy(b, at, c, at + 1, b.length - at);
            b = c;
          }
        }
      }
      long backward = view(b).timestamp();
      if (view(b).validate()) {
        assertThat(backward).as(new String(b, StandardCharsets.UTF_8)).isEqualTo(forwardTime(b));
      }
    }
  }

  /** Member paths the rules and fields look up, as key lists from a top-level member. */
  private static final List<List<String>> PATHS =
      List.of(
          List.of("user", "username"),
          List.of("user", "groups"),
          List.of("user", "uid"),
          List.of("user", "extra"),
          List.of("objectRef", "resource"),
          List.of("objectRef", "subresource"),
          List.of("objectRef", "namespace"),
          List.of("objectRef", "name"),
          List.of("objectRef", "apiGroup"),
          List.of("responseStatus", "code"),
          List.of("requestObject", "metadata", "name"),
          List.of("requestObject", "spec", "containers"),
          List.of("requestObject", "spec", "hostNetwork"),
          List.of("responseObject", "metadata", "namespace"),
          List.of("annotations", "authorization.k8s.io/decision"),
          List.of("impersonatedUser", "username"));

  private static int lookup(AuditEvent e, List<String> path) {
    int v = e.top(Key.valueOf(camelToKey(path.getFirst())));
    for (String k : path.subList(1, path.size())) {
      v = e.member(v, k);
    }
    return v;
  }

  private static String camelToKey(String member) {
    return member.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(java.util.Locale.ROOT);
  }

  @Test
  void memberLookupsInAnyOrderFindWhatAFreshLookupFinds() throws IOException {
    List<byte[]> events = corpusEvents();
    Random r = new Random(11);
    for (byte[] b : events) {
      List<List<String>> order = new ArrayList<>(PATHS);
      java.util.Collections.shuffle(order, r);
      order.addAll(order.subList(0, 5)); // again, from what is kept
      AuditEvent shared = view(b);
      for (List<String> p : order) {
        assertThat(lookup(shared, p))
            .as("%s in %s", p, new String(b, StandardCharsets.UTF_8))
            .isEqualTo(lookup(view(b), p));
      }
    }
  }

  @Test
  void objectsWithManyMembersAndManyObjects() {
    StringBuilder big = new StringBuilder("{\"auditID\":\"a\",\"requestObject\":{");
    for (int i = 0; i < 40; i++) {
      big.append(i == 0 ? "" : ",")
          .append("\"m")
          .append(i)
          .append("\":{\"v\":")
          .append(i)
          .append('}');
    }
    big.append("}}");
    byte[] b = bytes(big.toString());
    AuditEvent e = view(b);
    int obj = e.top(Key.REQUEST_OBJECT);
    Random r = new Random(3);
    for (int n = 0; n < 200; n++) {
      int i = r.nextInt(45);
      int m = e.member(obj, "m" + i);
      int fresh = view(b).member(obj, "m" + i);
      assertThat(m).isEqualTo(fresh);
      if (i < 40) {
        // each member's own object: more objects than the lookups keep
        assertThat(e.text(e.member(m, "v"))).isEqualTo(Integer.toString(i));
      } else {
        assertThat(m).isEqualTo(-1);
      }
    }
    assertThat(e.problem()).isEmpty();
  }

  @Test
  void aMalformedObjectIsReportedOnceReachedAndLookupsStayAbsent() {
    byte[] b = bytes("{\"auditID\":\"a\",\"objectRef\":{\"resource\":\"pods\",\"name\" 1}}");
    AuditEvent e = view(b);
    int ref = e.top(Key.OBJECT_REF);
    assertThat(e.text(e.member(ref, "resource"))).isEqualTo("pods");
    assertThat(e.problem()).isEmpty();
    assertThat(e.member(ref, "namespace")).isEqualTo(-1);
    assertThat(e.problem()).isEqualTo("expected ':', found a number");
    assertThat(e.member(ref, "resource")).isPositive();
    assertThat(e.member(ref, "name")).isEqualTo(-1);
  }
}
