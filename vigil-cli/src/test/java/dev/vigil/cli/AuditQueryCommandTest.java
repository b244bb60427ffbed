package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vigil audit query} over the corpus' events and over files the test writes. */
class AuditQueryCommandTest {
  private static final Path EVENTS =
      Path.of(System.getProperty("vigil.shared", "../shared"), "corpus/k8s-audit/events");
  private static final String SYNTHETIC =
      EVENTS.resolve("synthetic/vigil-synthetic-events.jsonl").toString();
  private static final String LIST =
      EVENTS.resolve("synthetic/vigil-synthetic-webhook-eventlist.json").toString();

  @TempDir Path tmp;

  @Test
  void unauthorizedAttemptsAsTable() {
    Cli.Result r =
        Cli.run("audit", "query", "ka.response.code in (401, 403)", SYNTHETIC, "--format", "table");
    assertThat(r.code()).isZero();
    String[] lines = r.out().lines().toArray(String[]::new);
    assertThat(lines[0])
        .startsWith("EVT.TIME")
        .contains("KA.USER.NAME")
        .contains("KA.RESPONSE.CODE");
    assertThat(lines).hasSize(7);
    assertThat(r.out()).contains("401").contains("bob@example.com").contains("<NA>");
    assertThat(r.err()).contains("6 of 13 events matched");
  }

  @Test
  void jsonlPrintsTheEventsAsRead() throws IOException {
    Cli.Result r = Cli.run("audit", "query", "ka.verb=watch", SYNTHETIC);
    assertThat(r.code()).isZero();
    for (String line : r.out().strip().lines().toList()) {
      assertThat(Files.readAllLines(Path.of(SYNTHETIC))).contains(line);
      assertThat(line).contains("\"verb\":\"watch\"");
    }
  }

  @Test
  void fieldsAsCsvAndAsJson() {
    Cli.Result csv =
        Cli.run(
            "audit",
            "query",
            "ka.verb=get",
            SYNTHETIC,
            "--format",
            "csv",
            "--fields",
            "ka.user.name,ka.user.groups,ka.uri");
    assertThat(csv.out()).startsWith("ka.user.name,ka.user.groups,ka.uri\r\n");
    assertThat(csv.out()).contains("\"dev,system:authenticated\"");
    Cli.Result json =
        Cli.run(
            "audit",
            "query",
            "ka.verb=get",
            SYNTHETIC,
            "--fields",
            "ka.user.groups,ka.impuser.name");
    assertThat(json.out())
        .contains(
            "{\"ka.user.groups\":[\"dev\",\"system:authenticated\"],\"ka.impuser.name\":null}");
  }

  @Test
  void eventListDocumentsAndGzip() throws IOException {
    Path gz = tmp.resolve("audit.log.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write(Files.readAllBytes(Path.of(SYNTHETIC)));
    }
    Cli.Result a = Cli.run("audit", "query", "", gz.toString(), LIST);
    assertThat(a.code()).isZero();
    assertThat(a.err()).containsPattern("matched");
    long lines = a.out().lines().count();
    assertThat(lines).isGreaterThan(13);
    assertThat(a.out().lines()).allMatch(l -> l.startsWith("{") && l.endsWith("}"));
  }

  @Test
  void timeWindow() {
    Cli.Result r =
        Cli.run(
            "audit",
            "query",
            "",
            SYNTHETIC,
            "--since",
            "2026-03-01T10:00:04Z",
            "--until",
            "2026-03-01T10:00:06Z",
            "--format",
            "csv",
            "--fields",
            "evt.time");
    assertThat(r.code()).isZero();
    assertThat(r.out().lines().skip(1))
        .isNotEmpty()
        .allMatch(
            t -> t.compareTo("2026-03-01T10:00:04") >= 0 && t.compareTo("2026-03-01T10:00:06") < 0);
  }

  @Test
  void badConditionIsAUsageErrorWithAPosition() {
    Cli.Result r = Cli.run("audit", "query", "ka.verb = delete and ka.usr.name = bob", SYNTHETIC);
    assertThat(r.code()).isEqualTo(ExitCode.USAGE);
    assertThat(r.err()).contains("condition:1:22: error:").contains("ka.usr.name").contains("^");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void missingFileIsAUsageError() {
    Cli.Result r = Cli.run("audit", "query", "", tmp.resolve("nope.log").toString());
    assertThat(r.code()).isEqualTo(ExitCode.USAGE);
    assertThat(r.err()).contains("cannot open audit log").contains("no such file");
  }

  @Test
  void malformedLinesAreReportedWithTheirPositionAndSkipped() throws IOException {
    Path log = tmp.resolve("audit.log");
    String good = Files.readAllLines(Path.of(SYNTHETIC)).getFirst();
    Files.writeString(
        log,
        good
            + "\n"
            + "not json at all\n"
            + good.substring(0, good.length() / 2)
            + "\n"
            + "{\"kind\":\"Event\",\"auditID\":\"x\",\"verb\":\"get\",\"user\":{\"username\":\"a\"\n"
            + good
            + "\n",
        StandardCharsets.UTF_8);
    Cli.Result r = Cli.run("audit", "query", "", log.toString());
    assertThat(r.code()).isEqualTo(ExitCode.FINDINGS);
    assertThat(r.out().lines()).hasSize(2);
    assertThat(r.err())
        .contains(log + ":2:1: an audit event is a JSON object; found 'n'")
        .contains(log + ":3:")
        .contains(log + ":4:")
        .contains("2 of 4 events matched");
  }

  /**
   * A plain JSON lines file large enough to be read on several threads gives exactly what the same
   * file gzip-compressed (always read on one thread) gives: output bytes, problems with their
   * positions, counts and exit code, for every output format written in rows.
   */
  @Test
  void aLargeFileReadInParallelGivesWhatTheSequentialReaderGives() throws IOException {
    Path plain = largeLog();
    Path gz = tmp.resolve("big.log.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write(Files.readAllBytes(plain));
    }
    String[][] queries = {
      {""},
      {"ka.verb in (get,list,watch)", "--format", "csv"},
      {"ka.response.code>=400", "--fields", "evt.time,ka.user.name,ka.uri,ka.user.groups"},
      {"ka.verb=delete", "--since", "2026-01-01T00:00:00Z"}
    };
    for (String[] q : queries) {
      String[] a = new String[q.length + 3];
      a[0] = "audit";
      a[1] = "query";
      a[2] = q[0];
      String[] b = a.clone();
      a[3] = plain.toString();
      b[3] = gz.toString();
      System.arraycopy(q, 1, a, 4, q.length - 1);
      System.arraycopy(q, 1, b, 4, q.length - 1);
      Cli.Result par = Cli.run(a);
      Cli.Result seq = Cli.run(b);
      assertThat(par.code()).isEqualTo(1).isEqualTo(seq.code());
      assertThat(par.out()).isEqualTo(seq.out());
      assertThat(par.err()).isEqualTo(seq.err().replace(gz.toString(), plain.toString()));
      assertThat(par.err()).contains(plain + ":5:").contains("more problems");
    }
  }

  /**
   * The table (read on one thread, with the query's prefilter) has the rows, counts and problems of
   * the CSV output (read in parallel), for conditions the prefilter can use and one it cannot.
   */
  @Test
  void theTableHasTheRowsOfTheOtherFormats() throws IOException {
    String file = largeLog().toString();
    for (String condition :
        new String[] {
          "ka.verb in (get,list,watch)", "ka.response.code>=400", "ka.verb=create", "ka.verb!=get"
        }) {
      String[] fields = {"--fields", "ka.verb,ka.response.code,ka.target.resource"};
      Cli.Result table =
          Cli.run("audit", "query", condition, file, "--format", "table", fields[0], fields[1]);
      Cli.Result csv =
          Cli.run("audit", "query", condition, file, "--format", "csv", fields[0], fields[1]);
      assertThat(table.code()).isEqualTo(1).isEqualTo(csv.code());
      assertThat(table.err()).isEqualTo(csv.err()).contains("events matched");
      // the table shows a missing value as <NA>, CSV as an empty field
      java.util.List<String> tableRows =
          table
              .out()
              .lines()
              .skip(1)
              .map(l -> String.join(",", l.strip().split(" +")).replace("<NA>", ""))
              .toList();
      java.util.List<String> csvRows = csv.out().lines().skip(1).toList();
      assertThat(tableRows).as(condition).isNotEmpty().isEqualTo(csvRows);
    }
  }

  /** The synthetic events repeated past the parallel reader's threshold, with broken lines. */
  private Path largeLog() throws IOException {
    java.util.List<String> events =
        Files.readAllLines(Path.of(SYNTHETIC)).stream().filter(l -> !l.isBlank()).toList();
    StringBuilder sb = new StringBuilder();
    int i = 0;
    while (sb.length() < 3 * (int) dev.vigil.k8saudit.event.ParallelReader.MIN_BYTES / 2) {
      sb.append(events.get(i % events.size()));
      sb.append(i % 11 == 0 ? "\r\n" : "\n");
      if (i % 197 == 3) {
        sb.append("{\"kind\":\"Event\",\"auditID\":\"cut short\n\n");
      }
      i++;
    }
    sb.append(events.getFirst()); // no final line break
    Path plain = tmp.resolve("big.log");
    Files.writeString(plain, sb, StandardCharsets.UTF_8);
    return plain;
  }

  @Test
  void prettyPrintedEventsAreCompactedToOneLine() throws IOException {
    Path f = tmp.resolve("pretty.json");
    Files.writeString(
        f,
        """
        {
          "kind": "Event",
          "apiVersion": "audit.k8s.io/v1",
          "auditID": "a 1",
          "stage": "ResponseComplete",
          "verb": "get",
          "user": { "username": "bob smith" }
        }
        """);
    Cli.Result r = Cli.run("audit", "query", "ka.verb=get", f.toString());
    assertThat(r.code()).isZero();
    assertThat(r.out())
        .isEqualTo(
            "{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"auditID\":\"a 1\","
                + "\"stage\":\"ResponseComplete\",\"verb\":\"get\","
                + "\"user\":{\"username\":\"bob smith\"}}\n");
  }
}
