package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vigil run} and {@code vigil capture} in their own JVM, with the real probe, stopped by
 * SIGTERM as a service manager or {@code kill} stops them: the statistics are printed and the
 * capture file is complete (it replays without the "interrupted" warning).
 */
class SignalStopTest {
  @TempDir Path dir;

  @Test
  void sigtermEndsACaptureWithACompleteFile() throws Exception {
    Path file = dir.resolve("term.vcap");
    Agent a = Agent.start(dir, "capture", "-w", file.toString(), "--duration", "5m");
    activity();
    String err = a.terminate();
    assertThat(err).contains("vigil: wrote " + file).doesNotContain("Exception");

    Cli.Result r = Cli.run("replay", "--capture", file.toString());
    assertThat(r.code()).as(r.err()).isEqualTo(ExitCode.OK);
    assertThat(r.err()).doesNotContain("interrupted").contains("events");
  }

  @Test
  void sigtermEndsARunWithItsStatistics() throws Exception {
    Agent a = Agent.start(dir, "run", "--duration", "5m", "-o", "webserver.listen_port=0");
    activity();
    String err = a.terminate();
    assertThat(err).containsPattern("vigil: stopped after [0-9.]+ s: [1-9][0-9]* events");
  }

  @Test
  void priorityBoostRunsEveryThreadOfTheAgentAtThatNiceValue() throws Exception {
    Agent a =
        Agent.start(
            dir,
            "run",
            "--duration",
            "5m",
            "--priority-boost",
            "3",
            "-o",
            "webserver.listen_port=0");
    List<Integer> nice = new ArrayList<>();
    try (var tasks = Files.list(Path.of("/proc/" + a.process().pid() + "/task"))) {
      for (Path t : tasks.toList()) {
        String stat = Files.readString(t.resolve("stat"), StandardCharsets.UTF_8);
        // fields after the command name: state is field 3, nice field 19
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ", -1);
        nice.add(Integer.parseInt(f[19 - 3]));
      }
    }
    String err = a.terminate();
    assertThat(nice).hasSizeGreaterThan(5).containsOnly(-3);
    assertThat(err).containsPattern("vigil: stopped after [0-9.]+ s: [0-9]+ events");
  }

  @Test
  void aPriorityBoostOutOfRangeIsAUsageError() {
    Cli.Result r = Cli.run("run", "--priority-boost", "21");
    assertThat(r.code()).isEqualTo(ExitCode.USAGE);
    assertThat(r.err()).contains("--priority-boost must be between 0 and 20");
  }

  /** A few syscalls of the kinds the bundled rules ask for. */
  private static void activity() throws IOException, InterruptedException {
    new ProcessBuilder("cat", "/etc/hostname")
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start()
        .waitFor();
  }

  private record Agent(Process process, Path stderr) {
    static Agent start(Path dir, String... args) throws IOException, InterruptedException {
      List<String> cmd = new ArrayList<>();
      cmd.add(ProcessHandle.current().info().command().orElse("java"));
      cmd.add("--enable-native-access=ALL-UNNAMED");
      cmd.add("-cp");
      cmd.add(System.getProperty("java.class.path"));
      cmd.add(Main.class.getName());
      cmd.addAll(List.of(args));
      Path stderr = Files.createTempFile(dir, "agent", ".err");
      Process p =
          new ProcessBuilder(cmd)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(stderr.toFile())
              .start();
      Agent a = new Agent(p, stderr);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (!a.err().contains("watching")) {
        assertThat(p.isAlive()).as("the agent exited early: %s", a.err()).isTrue();
        assertThat(System.nanoTime())
            .as("the agent did not start: %s", a.err())
            .isLessThan(deadline);
        Thread.sleep(50);
      }
      return a;
    }

    String err() throws IOException {
      return Files.readString(stderr, StandardCharsets.UTF_8);
    }

    String terminate() throws Exception {
      Thread.sleep(500);
      process.destroy(); // SIGTERM
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("stopped within 30 s").isTrue();
      assertThat(process.exitValue()).isEqualTo(143); // 128 + SIGTERM: the JVM's exit on a signal
      return err();
    }
  }
}
