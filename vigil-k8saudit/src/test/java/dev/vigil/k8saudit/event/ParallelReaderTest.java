package dev.vigil.k8saudit.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The parallel reader gives exactly what the sequential one gives: the same output bytes in the
 * same order, the same problems with the same line and column, the same counts, whatever the range
 * size (small ranges put every kind of line on a range boundary).
 */
class ParallelReaderTest {
  @TempDir Path dir;

  private static String event(int i) {
    return "{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"level\":\"Metadata\","
        + "\"auditID\":\"id-"
        + i
        + "\",\"stage\":\"ResponseComplete\",\"requestURI\":\"/api/v1/namespaces/ns/pods\","
        + "\"verb\":\""
        + (i % 3 == 0 ? "delete" : "get")
        + "\",\"user\":{\"username\":\"user-"
        + (i % 7)
        + "\"},\"stageTimestamp\":\"2026-03-01T10:00:00.000001Z\"}";
  }

  /** Writes each event's verb and bytes, and whether it is valid JSON in full. */
  private static final class Echo implements ParallelReader.Worker {
    @Override
    public void event(AuditEvent e, ByteOutput out) {
      int v = e.top(Key.VERB);
      String verb = v >= 0 ? String.valueOf(e.text(v)) : "-";
      out.utf8(verb + " ");
      out.write(e.bytes(), e.start(), e.end() - e.start());
      if (!e.validate()) {
        out.utf8(" invalid");
      }
      out.write('\n');
    }
  }

  private record Result(String out, List<String> problems, long events) {}

  private Result sequential(Path f) throws IOException {
    ByteOutput out = new ByteOutput(1024);
    List<String> problems = new ArrayList<>();
    Echo echo = new Echo();
    AuditReader.Stats s =
        new AuditReader()
            .read(
                f,
                new AuditReader.Sink() {
                  @Override
                  public void event(AuditEvent event, long line) {
                    echo.event(event, out);
                  }

                  @Override
                  public void problem(InputProblem problem) {
                    problems.add(problem.render());
                  }
                });
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    out.drainTo(b);
    return new Result(b.toString(StandardCharsets.UTF_8), problems, s.events());
  }

  private static Optional<Result> parallel(Path f, int chunk, int threads) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    List<String> problems = new ArrayList<>();
    List<Echo> workers = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      workers.add(new Echo());
    }
    Optional<AuditReader.Stats> s =
        new ParallelReader(chunk, 0).read(f, workers, p -> problems.add(p.render()), b);
    return s.map(x -> new Result(b.toString(StandardCharsets.UTF_8), problems, x.events()));
  }

  private Path write(String text) throws IOException {
    return write(text.getBytes(StandardCharsets.UTF_8));
  }

  private Path write(byte[] bytes) throws IOException {
    Path f = Files.createTempFile(dir, "audit", ".log");
    Files.write(f, bytes);
    return f;
  }

  private void assertSame(Path f) throws IOException {
    Result seq = sequential(f);
    long size = Files.size(f);
    for (int chunk : new int[] {2, 3, 5, 17, 64, 100, 333, 1000, 4096}) {
      if (size < 2L * chunk) {
        continue;
      }
      for (int threads : new int[] {2, 3}) {
        Optional<Result> par = parallel(f, chunk, threads);
        assertThat(par).as("read in parallel with %d-byte ranges", chunk).isPresent();
        assertThat(par.get().out()).as("output, %d-byte ranges", chunk).isEqualTo(seq.out());
        assertThat(par.get().problems())
            .as("problems, %d-byte ranges", chunk)
            .isEqualTo(seq.problems());
        assertThat(par.get().events()).isEqualTo(seq.events());
      }
    }
  }

  @Test
  void plainLinesGiveTheSameOutputAtEveryRangeSize() throws IOException {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 60; i++) {
      sb.append(event(i)).append('\n');
    }
    Path f = write(sb.toString());
    assertSame(f);
    assertThat(sequential(f).events()).isEqualTo(60);
  }

  @Test
  void malformedLinesKeepTheirLineNumbersOnRangeBoundaries() throws IOException {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 40; i++) {
      sb.append(
              switch (i % 8) {
                case 1 -> "{\"kind\":\"Event\",\"auditID\":\"x" + i + "\",\"verb\":\"get\"";
                case 3 -> "not json at all " + i;
                case 5 -> event(i).replace("\"verb\"", "\"verb\\q\"");
                case 6 -> "{\"kind\":\"Pod\",\"apiVersion\":\"v1\"}";
                default -> event(i);
              })
          .append('\n');
    }
    Path f = write(sb.toString());
    Result seq = sequential(f);
    assertThat(seq.problems()).hasSizeGreaterThanOrEqualTo(15);
    assertThat(seq.problems()).anyMatch(p -> p.contains(":4:1: "));
    assertSame(f);
  }

  @Test
  void crlfBlankLinesAndNoFinalLineBreak() throws IOException {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 30; i++) {
      sb.append(event(i)).append(i % 4 == 0 ? "\r\n" : "\n");
      if (i % 5 == 0) {
        sb.append("\n   \n\r\n\t\n");
      }
    }
    sb.append("{\"auditID\":\"broken\",\"verb\":\"get\"\r\n");
    sb.append(event(99));
    assertSame(write(sb.toString()));
  }

  @Test
  void aLineLongerThanManyRanges() throws IOException {
    String huge =
        event(1)
            .replace(
                "\"level\"", "\"requestObject\":{\"data\":\"" + "x".repeat(5000) + "\"},\"level\"");
    String text = event(0) + "\n" + huge + "\n" + event(2) + "\nbroken\n" + huge + "\n" + event(3);
    assertSame(write(text));
    assertSame(write(huge + "\n" + event(2) + "\n"));
    assertSame(write(event(2) + "\n" + huge));
  }

  @Test
  void randomMixesOfLines() throws IOException {
    Random r = new Random(7);
    String[] kinds = {
      "", "  ", "\r", "garbage", "{\"auditID\":\"a\",", "[1,2]", "{\"kind\":\"Event\"}", "{}"
    };
    for (int round = 0; round < 20; round++) {
      StringBuilder sb = new StringBuilder();
      int n = 5 + r.nextInt(40);
      for (int i = 0; i < n; i++) {
        sb.append(r.nextInt(4) == 0 ? kinds[r.nextInt(kinds.length)] : event(i));
        sb.append(r.nextInt(6) == 0 ? "\r\n" : "\n");
      }
      if (r.nextBoolean()) {
        sb.append(event(1000));
      }
      String text = sb.toString();
      if (!text.startsWith("{\"kind\":\"Event\",")) {
        text = event(-1) + "\n" + text; // a JSON lines file, not a document
      }
      assertSame(write(text));
    }
  }

  @Test
  void aLineOverTheEventLimitIsSkippedAndCounted() throws IOException {
    byte[] head = (event(0) + "\n" + event(1) + "\n").getBytes(StandardCharsets.UTF_8);
    byte[] tail = ("\n" + event(2) + "\n" + event(3)).getBytes(StandardCharsets.UTF_8);
    int big = AuditReader.MAX_EVENT_BYTES + 10;
    byte[] all = new byte[head.length + big + tail.length];
    System.arraycopy(head, 0, all, 0, head.length);
    java.util.Arrays.fill(all, head.length, head.length + big, (byte) 'x');
    System.arraycopy(tail, 0, all, head.length + big, tail.length);
    Path f = write(all);
    Result seq = sequential(f);
    assertThat(seq.problems()).containsExactly(f + ":3: line longer than 64 MiB; skipped");
    assertThat(seq.events()).isEqualTo(4);
    Optional<Result> par = parallel(f, 1 << 20, 2);
    assertThat(par).isPresent();
    assertThat(par.get()).isEqualTo(seq);
  }

  @ParameterizedTest
  @ValueSource(strings = {"small", "gzip", "document", "eventlist"})
  void filesThatAreNotSplitAreLeftToTheSequentialReader(String kind) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 50; i++) {
      sb.append(event(i)).append('\n');
    }
    byte[] text = sb.toString().getBytes(StandardCharsets.UTF_8);
    Path f =
        switch (kind) {
          case "small" -> write(text);
          case "gzip" -> {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            try (OutputStream gz = new GZIPOutputStream(b)) {
              gz.write(text);
            }
            yield write(b.toByteArray());
          }
          case "document" -> write("[\n" + sb.toString().replace("}\n{", "},\n{") + "]\n");
          default ->
              write(
                  "{\"kind\":\"EventList\",\"items\":[\n"
                      + sb.toString().replace("}\n{", "},\n{")
                      + "]}\n");
        };
    ParallelReader reader = kind.equals("small") ? new ParallelReader() : new ParallelReader(16, 0);
    Optional<AuditReader.Stats> s =
        reader.read(f, List.of(new Echo(), new Echo()), p -> {}, OutputStream.nullOutputStream());
    assertThat(s).isEmpty();
  }

  @Test
  void oneWorkerMeansSequential() throws IOException {
    Path f = write(event(1) + "\n" + event(2) + "\n");
    assertThat(
            new ParallelReader(2, 0)
                .read(f, List.of(new Echo()), p -> {}, OutputStream.nullOutputStream()))
        .isEmpty();
  }

  @Test
  void aFailingWorkerStopsTheReadWithItsError() throws IOException {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 200; i++) {
      sb.append(event(i)).append('\n');
    }
    Path f = write(sb.toString());
    ParallelReader.Worker bad =
        (e, out) -> {
          throw new IllegalArgumentException("boom");
        };
    try {
      new ParallelReader(64, 0)
          .read(f, List.of(bad, bad), p -> {}, OutputStream.nullOutputStream());
      throw new AssertionError("no failure");
    } catch (IllegalStateException e) {
      assertThat(e).hasMessageContaining("boom");
    }
  }

  @Test
  void binaryGarbageAndInvalidUtf8GiveTheSameProblems() throws IOException {
    Random r = new Random(11);
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes((event(0) + "\n").getBytes(StandardCharsets.UTF_8));
    for (int i = 0; i < 3000; i++) {
      switch (i % 4) {
        case 0 -> {
          byte[] junk = new byte[r.nextInt(600)];
          r.nextBytes(junk);
          b.writeBytes(junk);
        }
        case 1 -> {
          byte[] e = event(i).getBytes(StandardCharsets.UTF_8);
          e[40 + r.nextInt(e.length - 50)] = (byte) (0x80 + r.nextInt(0x7f));
          b.writeBytes(e);
        }
        default -> b.writeBytes(event(i).getBytes(StandardCharsets.UTF_8));
      }
      b.write('\n');
    }
    Path f = write(b.toByteArray());
    Result seq = sequential(f);
    assertThat(seq.problems()).hasSizeGreaterThan(700);
    for (int chunk : new int[] {100, 4096, 65536}) {
      Optional<Result> par = parallel(f, chunk, 2);
      assertThat(par).isPresent();
      assertThat(par.get()).as("%d-byte ranges", chunk).isEqualTo(seq);
    }
  }
}
