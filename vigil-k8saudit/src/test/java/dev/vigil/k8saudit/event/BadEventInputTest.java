package dev.vigil.k8saudit.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hostile and broken input: a clear problem with its position, never an exception or a hang. */
class BadEventInputTest {
  private static final String GOOD =
      "{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"level\":\"Metadata\","
          + "\"auditID\":\"a1\",\"stage\":\"ResponseComplete\",\"requestURI\":\"/api/v1/pods\","
          + "\"verb\":\"list\",\"user\":{\"username\":\"bob\"},"
          + "\"stageTimestamp\":\"2026-03-01T10:00:00.000001Z\"}";

  private static Collected read(String text) throws IOException {
    return read(text.getBytes(StandardCharsets.UTF_8), AuditReader.MAX_EVENT_BYTES);
  }

  private static Collected read(byte[] bytes, int max) throws IOException {
    Collected c = new Collected();
    new AuditReader(max).read(new ByteArrayInputStream(bytes), "in", c);
    return c;
  }

  /** Reads every event fully, as the commands do before printing one. */
  private static void validateAll(Collected c) {
    for (String e : c.events) {
      AuditEvent v = new AuditEvent();
      byte[] b = e.getBytes(StandardCharsets.UTF_8);
      v.reset(b, 0, b.length);
      v.validate();
    }
  }

  @Test
  void deeplyNestedJsonIsRefusedWithoutRecursingDeep() throws IOException {
    String deep = "[".repeat(200_000);
    String line = GOOD.substring(0, GOOD.length() - 1) + ",\"requestObject\":" + deep + "}";
    Collected c = read(GOOD + "\n" + line + "\n" + GOOD + "\n");
    AuditEvent v = new AuditEvent();
    byte[] b = line.getBytes(StandardCharsets.UTF_8);
    v.reset(b, 0, b.length);
    assertThat(v.validate()).isFalse();
    assertThat(v.problem()).isEqualTo("nested more than 256 levels deep");
    assertThat(c.events).hasSize(3);
  }

  @Test
  void deepNestingFoundByTheLazyScanIsReportedAtItsLine() throws IOException {
    String line =
        "{\"requestObject\":"
            + "{\"a\":".repeat(100_000)
            + "1"
            + "}".repeat(100_000)
            + ",\"auditID\":\"x\",\"verb\":\"get\"}";
    List<InputProblem> problems = new ArrayList<>();
    AuditReader.Sink sink =
        new AuditReader.Sink() {
          @Override
          public void event(AuditEvent event, long n) {
            assertThat(event.top(Key.VERB)).isEqualTo(-1);
          }

          @Override
          public void problem(InputProblem p) {
            problems.add(p);
          }
        };
    new AuditReader()
        .read(new ByteArrayInputStream((line + "\n").getBytes(StandardCharsets.UTF_8)), "in", sink);
    assertThat(problems).hasSize(1);
    assertThat(problems.getFirst().render())
        .startsWith("in:1:")
        .endsWith("nested more than 256 levels deep");
  }

  @Test
  void truncatedEventsAndGarbage() throws IOException {
    Collected c =
        read(GOOD + "\n" + GOOD.substring(0, 60) + "\n\u0000\u0001binary\n]]]\n" + GOOD + "\n");
    assertThat(c.events).hasSize(2);
    assertThat(c.problems).extracting(InputProblem::line).containsExactly(2L, 3L, 4L);
    assertThat(c.problems.get(0).message()).contains("truncated");
    assertThat(c.problems.get(1).message()).startsWith("an audit event is a JSON object");
    assertThat(c.problems.get(2).message()).startsWith("an audit event is a JSON object");
  }

  @Test
  void invalidUtf8IsFoundWhenTheEventIsValidated() {
    byte[] b = GOOD.replace("bob", "b\u00ffb").getBytes(StandardCharsets.ISO_8859_1);
    AuditEvent v = new AuditEvent();
    v.reset(b, 0, b.length);
    assertThat(v.shape()).isEqualTo(AuditEvent.Shape.EVENT);
    assertThat(v.validate()).isFalse();
    assertThat(v.problem()).isEqualTo("invalid UTF-8");
    assertThat(v.problemOffset()).isEqualTo(GOOD.indexOf("bob") + 1);
  }

  @Test
  void aLineLongerThanTheLimitIsSkippedAndReadingGoesOn() throws IOException {
    String huge = "{\"auditID\":\"" + "x".repeat(3 << 20) + "\"}";
    Collected c =
        read((GOOD + "\n" + huge + "\n" + GOOD + "\n").getBytes(StandardCharsets.UTF_8), 1 << 20);
    assertThat(c.lines).hasSize(2);
    assertThat(c.problems).hasSize(1);
    assertThat(c.problems.getFirst().render()).isEqualTo("in:2: line longer than 1 MiB; skipped");
    assertThat(c.lines).containsExactly(1L, 3L);
  }

  @Test
  void documentsWithProblemsReportTheirLineAndColumn() {
    String doc =
        "{\"kind\":\"EventList\",\"apiVersion\":\"audit.k8s.io/v1\",\"items\":[\n"
            + GOOD
            + ",\n"
            + "  {\"kind\": \"Pod\"},\n"
            + GOOD
            + "\n]}\n";
    Collected c = new Collected();
    byte[] b = doc.getBytes(StandardCharsets.UTF_8);
    new AuditReader().document(b, 0, b.length, "body", 0, c);
    validateAll(c);
    assertThat(c.events).hasSize(2);
    assertThat(c.problems).hasSize(1);
    assertThat(c.problems.getFirst().render())
        .isEqualTo("body:3:12: kind \"Pod\" is not an audit Event or EventList");
  }

  @Test
  void aTruncatedOnlyLineIsReportedOnItsLine() throws IOException {
    Collected c = read(GOOD.substring(0, 40) + "\n");
    assertThat(c.problems).hasSize(1);
    assertThat(c.problems.getFirst().line()).isEqualTo(1);
    Collected pretty = read("{\n  \"kind\": \"Event\",\n  \"auditID\": \"a\",\n");
    assertThat(pretty.problems).hasSize(1);
    assertThat(pretty.problems.getFirst().render()).startsWith("in:4:1: ").contains("truncated");
  }

  @Test
  void notJsonAtAllIsOneProblem() {
    Collected c = new Collected();
    byte[] b = "<html>oops</html>".getBytes(StandardCharsets.UTF_8);
    new AuditReader().document(b, 0, b.length, "body", 0, c);
    assertThat(c.events).isEmpty();
    assertThat(c.problems).hasSize(1);
    assertThat(c.problems.getFirst().render())
        .isEqualTo(
            "body:1:1: expected an audit event ('{') or an array of events ('['), found '<'");
  }
}
