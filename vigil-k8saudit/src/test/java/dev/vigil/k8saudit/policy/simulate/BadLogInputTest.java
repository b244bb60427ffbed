package dev.vigil.k8saudit.policy.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.k8saudit.policy.Policy;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Must-show 3 for logs: truncated or invalid JSON lines, binary garbage and events of an unknown
 * apiVersion are reported with their line numbers and skipped; everything else is processed.
 */
class BadLogInputTest {
  static final Policy POLICY = Run.policy(Run.METADATA_ALL);
  @TempDir Path dir;

  static String event(String id, String verb, String uri) {
    return "{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"level\":\"Metadata\","
        + "\"auditID\":\""
        + id
        + "\",\"stage\":\"ResponseComplete\",\"requestURI\":\""
        + uri
        + "\",\"verb\":\""
        + verb
        + "\",\"user\":{\"username\":\"alice\",\"groups\":[\"dev\"]}}";
  }

  Path write(String name, String content) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, content);
    return p;
  }

  @Test
  void badLinesAreReportedWithTheirNumbersAndSkipped() throws IOException {
    String good = event("a", "get", "/api/v1/namespaces/ns/pods/p");
    Path log =
        write(
            "audit.log",
            String.join(
                    "\n",
                    good,
                    good.substring(0, 40),
                    "not json at all",
                    good.replace("audit.k8s.io/v1", "audit.k8s.io/v2"),
                    "",
                    "{\"kind\": 0}",
                    good + " " + good,
                    "{\"stage\":\"ResponseComplete\"}",
                    good.replace("\"alice\"", "\"al\u0001ice\""),
                    "[1,2,3]",
                    good)
                + "\n");
    Run run = Run.of(POLICY, List.of(log), 2);
    assertThat(run.summary().events()).isEqualTo(2);
    assertThat(run.events()).extracting(e -> e.get("line").asLong()).containsExactly(1L, 11L);
    assertThat(run.problems())
        .extracting(p -> p.line() + ": " + p.message())
        .containsExactly(
            "2: the line ends in the middle of the event (truncated?)",
            "3: expected a JSON object, found 'n'",
            "4: unsupported apiVersion \"audit.k8s.io/v2\" (audit events are audit.k8s.io/v1):"
                + " skipped",
            "6: \"kind\" is a number, not a string",
            "7: more than one JSON value on the line",
            "8: not an audit event (it has no verb, or neither requestURI nor objectRef): skipped",
            "9: control character in a string",
            "10: expected a JSON object, found an array");
    assertThat(run.problems().get(0).column()).isEqualTo(41);
    assertThat(run.summary().skipped()).isEqualTo(8);
  }

  @Test
  void binaryGarbageIsSkippedLineByLine() throws IOException {
    byte[] garbage = new byte[1 << 20];
    new Random(42).nextBytes(garbage);
    Path log = dir.resolve("garbage.log");
    try (OutputStream out = Files.newOutputStream(log)) {
      out.write((event("first", "get", "/api/v1/pods/x") + "\n").getBytes(StandardCharsets.UTF_8));
      out.write(garbage);
      out.write(
          ("\n" + event("last", "get", "/api/v1/pods/y") + "\n").getBytes(StandardCharsets.UTF_8));
    }
    Run run = Run.of(POLICY, List.of(log), 2);
    assertThat(run.events())
        .extracting(e -> e.get("auditID").asText())
        .containsExactly("first", "last");
    assertThat(run.problems()).isNotEmpty().allSatisfy(p -> assertThat(p.line()).isGreaterThan(1));
  }

  @Test
  void aFileThatEndsInTheMiddleOfAnEvent() throws IOException {
    String good = event("a", "get", "/api/v1/pods/x");
    Path log = write("cut.log", good + "\n" + good.substring(0, good.length() - 3));
    Run run = Run.of(POLICY, List.of(log), 1);
    assertThat(run.summary().events()).isEqualTo(1);
    assertThat(run.problems())
        .singleElement()
        .satisfies(p -> {
          assertThat(p.line()).isEqualTo(2);
          assertThat(p.message()).contains("truncated");
        });
  }

  @Test
  void gzipAndCrlfAndEventLists() throws IOException {
    Path gz = dir.resolve("audit-2026-03-01T10-00-00.000.log.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      for (int i = 0; i < 1000; i++) {
        out.write(
            (event("g" + i, "list", "/api/v1/pods") + "\r\n").getBytes(StandardCharsets.UTF_8));
      }
    }
    Path list =
        write(
            "batch.json",
            "{\"kind\":\"EventList\",\"apiVersion\":\"audit.k8s.io/v1\",\"metadata\":{},\"items\":["
                + event("i1", "get", "/api/v1/pods/a")
                + ","
                + event("i2", "get", "/version")
                + "]}\n");
    Path pretty =
        write(
            "pretty.json",
            "[\n  "
                + event("p1", "delete", "/api/v1/namespaces/x/pods/y")
                + ",\n  {\n  \"verb\":"
                + " \"get\",\n \"requestURI\": \"/healthz\", \"stage\": \"ResponseComplete\"\n}\n]\n");
    Run run = Run.of(POLICY, List.of(gz, list, pretty), 2);
    assertThat(run.problems()).isEmpty();
    assertThat(run.summary().events()).isEqualTo(1004);
    assertThat(run.events().get(1000).get("auditID").asText()).isEqualTo("i1");
    assertThat(run.events().get(1003).get("line").asLong()).isEqualTo(3);
  }

  /**
   * A JSON document (here an array of pretty-printed events, read whole into an array of exactly
   * its size) cut at every offset: the events before the cut are processed and the cut is one
   * reported problem, never an exception.
   */
  @Test
  void aDocumentCutAnywhere() throws IOException {
    String first = event("d1", "get", "/api/v1/pods/a").replace(",", ",\n  ");
    String second = event("d2", "get", "/api/v1/pods/b").replace(",", ",\n  ");
    String doc = "[\n" + first + ",\n" + second + "\n]";
    int firstEnd = doc.indexOf(first) + first.length();
    int secondEnd = doc.indexOf(second) + second.length();
    for (int cut = 2; cut < doc.length(); cut++) {
      Path log = write("cut-" + cut + ".json", doc.substring(0, cut));
      Run run = Run.of(POLICY, List.of(log), 1);
      assertThat(run.summary().events())
          .as("cut at %d", cut)
          .isEqualTo(cut >= secondEnd ? 2 : cut >= firstEnd ? 1 : 0);
      assertThat(run.problems())
          .as("cut at %d", cut)
          .singleElement()
          .satisfies(p -> assertThat(p.message()).contains("truncated"));
    }
    Run whole = Run.of(POLICY, List.of(write("whole.json", doc)), 1);
    assertThat(whole.problems()).isEmpty();
    assertThat(whole.summary().events()).isEqualTo(2);
  }

  /**
   * A rotated backup cut short while (or after) being compressed, and a file that only looks like
   * gzip: the lines before the damage are processed, the damage is one problem with the line it
   * happened in, and the next file is read as usual.
   */
  @Test
  void damagedGzipFiles() throws IOException {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(bytes)) {
      for (int i = 0; i < 20_000; i++) {
        out.write(
            (event("g" + i, "get", "/api/v1/namespaces/n" + (i % 97) + "/pods/p" + i) + "\n")
                .getBytes(StandardCharsets.UTF_8));
      }
    }
    byte[] whole = bytes.toByteArray();
    Path cut = dir.resolve("audit-2026-03-01T10-00-00.000.log.gz");
    Files.write(cut, java.util.Arrays.copyOf(whole, whole.length / 2));
    Path corrupt = dir.resolve("corrupt.log.gz");
    byte[] bad = whole.clone();
    for (int i = whole.length / 2; i < whole.length / 2 + 64; i++) {
      bad[i] = (byte) 0xff;
    }
    Files.write(corrupt, bad);
    Path notGzip = dir.resolve("fake.gz");
    Files.write(notGzip, new byte[] {0x1f, (byte) 0x8b, 0x05, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3});
    Path good = write("good.log", event("last", "get", "/api/v1/pods/x") + "\n");

    Run run = Run.of(POLICY, List.of(cut, corrupt, notGzip, good), 2);
    List<String> ids = run.events().stream().map(e -> e.get("auditID").asText()).toList();
    assertThat(ids).first().isEqualTo("g0");
    assertThat(ids).last().isEqualTo("last");

    // cut short: the lines before the cut are events, the cut line is truncated, then the damage
    List<LineProblem> ofCut = problems(run, cut);
    assertThat(ofCut).hasSize(2);
    long cutLine = ofCut.get(1).line();
    assertThat(ofCut.get(0).line()).isEqualTo(cutLine);
    assertThat(ofCut.get(0).message()).contains("truncated");
    assertThat(ofCut.get(1).message())
        .isEqualTo(
            "the compressed data ends early (a gzip file cut short?): the rest of the file is lost");
    assertThat(cutLine).isBetween(2L, 19_999L);
    for (int i = 0; i < cutLine - 1; i++) {
      assertThat(ids.get(i)).isEqualTo("g" + i);
    }
    assertThat(ids.get((int) cutLine - 1)).as("the next file's first event").isEqualTo("g0");
    // corrupt: deflate may decode garbage for a while (reported line by line) before it notices
    assertThat(problems(run, corrupt).getLast().message())
        .startsWith("the compressed data is corrupt (")
        .endsWith("): the rest of the file is skipped");
    assertThat(problems(run, notGzip))
        .singleElement()
        .hasToString(notGzip + ":1:1: not a readable gzip file: Unsupported compression method");
    // (descriptions are kept for the first 1,000 problems of each chunk; all are counted)
    assertThat(run.summary().skipped()).isGreaterThanOrEqualTo(run.problems().size());
  }

  static List<LineProblem> problems(Run run, Path file) {
    return run.problems().stream().filter(p -> p.file().equals(file.toString())).toList();
  }

  @Test
  void anOverlongLineIsSkipped() throws IOException {
    Path log = dir.resolve("long.log");
    try (OutputStream out = Files.newOutputStream(log)) {
      out.write((event("a", "get", "/api/v1/pods/x") + "\n").getBytes(StandardCharsets.UTF_8));
      byte[] big = new byte[Pipeline.MAX_LINE + 1024];
      java.util.Arrays.fill(big, (byte) 'x');
      big[0] = '{';
      out.write(big);
      out.write(
          ("\n" + event("b", "get", "/api/v1/pods/y") + "\n").getBytes(StandardCharsets.UTF_8));
    }
    Run run = Run.of(POLICY, List.of(log), 2);
    assertThat(run.events()).extracting(e -> e.get("line").asLong()).containsExactly(1L, 3L);
    assertThat(run.problems())
        .singleElement()
        .satisfies(p -> {
          assertThat(p.line()).isEqualTo(2);
          assertThat(p.message()).contains("longer than 64 MiB");
        });
    // the same in summary mode (workers number lines, the emitter adds the chunks' bases) and
    // read as a stream (gzip) rather than mapped
    Run summary = Run.of(POLICY, java.util.Optional.empty(), List.of(log), 2, false);
    assertThat(summary.problems()).isEqualTo(run.problems());
    assertThat(summary.summary().events()).isEqualTo(2);
    Path gz = dir.resolve("long.log.gz");
    try (OutputStream out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
      Files.copy(log, out);
    }
    Run stream = Run.of(POLICY, java.util.Optional.empty(), List.of(gz), 2, false);
    assertThat(stream.problems())
        .extracting(LineProblem::line, LineProblem::message)
        .isEqualTo(
            run.problems().stream()
                .map(p -> org.assertj.core.groups.Tuple.tuple(p.line(), p.message()))
                .toList());
    assertThat(stream.summary().events()).isEqualTo(2);
  }

  @Test
  void deepNestingIsBounded() throws IOException {
    String deep = "[".repeat(100_000) + "]".repeat(100_000);
    String e = event("d", "create", "/api/v1/namespaces/a/configmaps");
    Path log =
        write("deep.log", e.replace("}}", "},\"requestObject\":" + deep + "}") + "\n" + e + "\n");
    Run run = Run.of(POLICY, List.of(log), 1);
    assertThat(run.summary().events()).isEqualTo(1);
    assertThat(run.problems())
        .singleElement()
        .satisfies(p -> assertThat(p.message()).contains("nested more than 512"));
  }
}
