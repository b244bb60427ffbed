package dev.vigil.k8saudit.tail;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Must-show 3: a tailer over a rotation sequence written by the test (lumberjack's rename and new
 * file, in the middle of a line too), and resuming after restarts from the checkpoint, without loss
 * or duplicates.
 */
class TailerTest {
  @TempDir Path dir;

  private final List<String> lines = new ArrayList<>();
  private final List<String> notices = new ArrayList<>();

  private Tailer tailer(Path log) {
    return new Tailer(
        log,
        dir.resolve("checkpoint"),
        new Tailer.Listener() {
          @Override
          public void line(byte[] b, int start, int end) {
            lines.add(new String(b, start, end - start, StandardCharsets.UTF_8));
          }

          @Override
          public void notice(String message) {
            notices.add(message);
          }
        },
        1 << 20);
  }

  private static void append(Path log, String text) throws IOException {
    try (OutputStream out =
        Files.newOutputStream(log, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  private static String events(int from, int to) {
    StringBuilder sb = new StringBuilder();
    for (int i = from; i < to; i++) {
      sb.append("{\"auditID\":\"").append(i).append("\"}\n");
    }
    return sb.toString();
  }

  private static List<String> expected(int from, int to) {
    return IntStream.range(from, to).mapToObj(i -> "{\"auditID\":\"" + i + "\"}").toList();
  }

  /** lumberjack's rotation: rename to a timestamped backup, then a new file under the old name. */
  private Path rotate(Path log, String time) throws IOException {
    Path backup = dir.resolve("audit-" + time + ".log");
    Files.move(log, backup);
    Files.createFile(log);
    return backup;
  }

  @Test
  void followsRotationsWithoutLossOrDuplicates() throws IOException {
    Path log = dir.resolve("audit.log");
    append(log, events(0, 100));
    try (Tailer t = tailer(log)) {
      assertThat(t.poll()).isEqualTo(100);
      append(log, events(100, 150) + "{\"auditID\":\"15");
      assertThat(t.poll()).isEqualTo(50);
      append(log, "0\"}\n" + events(151, 160));
      Path b1 = rotate(log, "2026-03-01T10-00-00.000");
      append(b1, events(160, 170));
      append(log, events(170, 200));
      t.poll();
      Path b2 = rotate(log, "2026-03-01T11-00-00.000");
      Files.delete(b2);
      append(log, events(200, 210));
      t.poll();
      assertThat(t.poll()).isZero();
    }
    assertThat(lines).containsExactlyElementsOf(expected(0, 210));
    assertThat(notices).anyMatch(n -> n.contains("was rotated"));
  }

  @Test
  void resumesFromTheCheckpointAfterRestarts() throws IOException {
    Path log = dir.resolve("audit.log");
    append(log, events(0, 40));
    try (Tailer t = tailer(log)) {
      t.poll();
    }
    // stopped; more lines arrive in the same file
    append(log, events(40, 60));
    try (Tailer t = tailer(log)) {
      t.poll();
    }
    // stopped; the file is rotated twice while Vigil is down
    append(log, events(60, 80));
    rotate(log, "2026-03-02T08-00-00.000");
    append(log, events(80, 90));
    rotate(log, "2026-03-02T09-00-00.000");
    append(log, events(90, 100));
    try (Tailer t = tailer(log)) {
      t.poll();
      append(log, events(100, 105));
      t.poll();
    }
    assertThat(lines).containsExactlyElementsOf(expected(0, 105));
    assertThat(notices).anyMatch(n -> n.startsWith("resuming in "));
  }

  @Test
  void aRestartRightAfterARotationResumesInTheNewFile() throws IOException {
    Path log = dir.resolve("audit.log");
    append(log, events(0, 10));
    try (Tailer t = tailer(log)) {
      t.poll();
      append(log, events(10, 20));
      rotate(log, "2026-03-03T00-00-00.000");
      t.poll();
    }
    append(log, events(20, 30));
    try (Tailer t = tailer(log)) {
      t.poll();
    }
    assertThat(lines).containsExactlyElementsOf(expected(0, 30));
  }

  @Test
  void truncationInPlaceStartsOverAndAGoneCheckpointFileIsSaid() throws IOException {
    Path log = dir.resolve("audit.log");
    append(log, events(0, 10));
    try (Tailer t = tailer(log)) {
      t.poll();
      Files.writeString(log, events(10, 12));
      t.poll();
    }
    assertThat(lines).containsExactlyElementsOf(expected(0, 12));
    Files.delete(log);
    append(log, events(12, 15));
    try (Tailer t = tailer(log)) {
      t.poll();
    }
    assertThat(lines).containsExactlyElementsOf(expected(0, 15));
    assertThat(notices).anyMatch(n -> n.contains("is gone"));
  }
}
