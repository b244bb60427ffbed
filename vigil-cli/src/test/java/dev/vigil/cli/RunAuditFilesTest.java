package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vigil run} with the k8s_audit source over a log file that is written and rotated while it
 * runs; a second run resumes from the checkpoint without repeating alerts.
 */
class RunAuditFilesTest {
  private static final Path SYNTHETIC =
      Path.of(
          System.getProperty("vigil.shared", "../shared"),
          "corpus/k8s-audit/events/synthetic/vigil-synthetic-events.jsonl");

  @TempDir Path dir;

  private static void append(Path log, String line) throws IOException {
    try (OutputStream out =
        Files.newOutputStream(log, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
      out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    }
  }

  private Cli.Result run(Path log, String duration) {
    return Cli.run(
        "run",
        "--disable-source",
        "syscall",
        "-o",
        "k8saudit.files=" + log,
        "-o",
        "k8saudit.checkpoint_dir=" + dir.resolve("checkpoints"),
        "-o",
        "json_output=true",
        "-o",
        "webserver.listen_port=0",
        "--duration",
        duration);
  }

  private static boolean hasCheckpoint(Path dir) throws java.io.IOException {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (var files = Files.list(dir)) {
      return files.anyMatch(Files::isRegularFile);
    }
  }

  @Test
  void followsTheLogAcrossARotationAndResumes() throws Exception {
    List<String> events = Files.readAllLines(SYNTHETIC);
    Path log = dir.resolve("audit.log");
    append(log, events.get(9)); // exec session start
    append(log, events.get(7)); // a watch: nothing
    CompletableFuture<Cli.Result> running = CompletableFuture.supplyAsync(() -> run(log, "6s"));
    // the tailer has the first file open once it wrote its first checkpoint
    Path checkpoints = dir.resolve("checkpoints");
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
    while (!hasCheckpoint(checkpoints) && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(hasCheckpoint(checkpoints)).as("the tailer started").isTrue();
    append(log, events.get(4)); // 401
    Files.move(log, dir.resolve("audit-2026-03-01T10-00-05.000.log"));
    append(log, events.get(5)); // anonymous request allowed, in the new file
    Cli.Result r = running.get();
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("\"rule\":\"Exec or attach into a pod\"")
        .contains("\"rule\":\"Unauthenticated request\"")
        .contains("\"rule\":\"Anonymous request allowed\"");
    assertThat(r.out().lines()).hasSize(3);
    assertThat(r.err()).contains("k8s audit logs: 4 events").contains("was rotated");

    append(log, events.get(0)); // 403 on secrets, written while Vigil is stopped
    Cli.Result again = run(log, "1s");
    assertThat(again.code()).as(again.err()).isZero();
    assertThat(again.out().lines()).hasSize(1);
    assertThat(again.out()).contains("Unauthorized Secret or ConfigMap access");
  }

  @Test
  void nothingToWatchIsAUsageError() {
    Cli.Result r = Cli.run("run", "--disable-source", "syscall", "--duration", "1s");
    assertThat(r.code()).isEqualTo(ExitCode.USAGE);
    assertThat(r.err()).contains("nothing to watch");
    Cli.Result w =
        Cli.run(
            "run",
            "--disable-source",
            "syscall",
            "-o",
            "k8saudit.webhook.listen=127.0.0.1:http",
            "--duration",
            "1s");
    assertThat(w.code()).isEqualTo(ExitCode.USAGE);
    assertThat(w.err()).contains("expected HOST:PORT");
  }
}
