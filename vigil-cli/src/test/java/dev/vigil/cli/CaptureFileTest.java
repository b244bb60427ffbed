package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.event.EventTypes;
import dev.vigil.kernel.SyscallSource;
import dev.vigil.kernel.capture.CaptureWriter;
import dev.vigil.kernel.event.RecordWriter;
import dev.vigil.kernel.state.ContainerInfo;
import dev.vigil.kernel.state.ProcSource;
import dev.vigil.kernel.state.ProcessInfo;
import dev.vigil.kernel.state.StateTracker;
import dev.vigil.kernel.state.ThreadInfo;
import dev.vigil.kernel.state.Users;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code vigil replay --capture}: a capture written by Vigil's writer replays into the alerts its
 * events call for, and every kind of damage to the file gives a clear error with its byte offset
 * (exit 1), never a stack trace.
 */
class CaptureFileTest {
  @TempDir static Path dir;
  private static byte[] valid = new byte[0];
  private static final long T0 = 1_763_800_000_000_000_000L;

  @BeforeAll
  static void writeACapture() throws IOException {
    EventTypes types = SyscallSource.info().eventTypes();
    Users.Db db = new Users.Db(Map.of(0, "root"), Map.of(0, "root"));
    StateTracker state =
        new StateTracker(types, ProcSource.none(), (cg, now) -> ContainerInfo.HOST, (c, p) -> db);
    ProcessInfo bash =
        new ProcessInfo(100)
            .identity(1, 100, 100, 100, 34816)
            .exec("bash", "bash", "/usr/bin/bash", List.of(), List.of())
            .cwd("/root");
    ProcessInfo cat =
        new ProcessInfo(4242)
            .identity(100, 100, 4242, 4242, 34816)
            .exec("cat", "cat", "/usr/bin/cat", List.of("/etc/shadow"), List.of())
            .cwd("/root")
            .parent(bash);
    state.add(new ThreadInfo(100, bash).credentials(0, 0, 0, "root", "root", "root"));
    state.add(new ThreadInfo(4242, cat).credentials(0, 0, 0, "root", "root", "root"));
    state.linkParents();

    Path file = dir.resolve("valid.vcap");
    try (CaptureWriter w = new CaptureWriter(file, types, "node-1", "6.18", "test")) {
      w.users("host", db);
      w.snapshot(state);
      RecordWriter r = new RecordWriter(512);
      int openat = types.byName("openat").orElseThrow().code();
      int close = types.byName("close").orElseThrow().code();
      int at =
          r.begin(openat, T0, 4242, 4242, 3, 7)
              .u64(3)
              .u64(-100)
              .text("/etc/shadow")
              .u32(0)
              .u32(0)
              .u32(0)
              .u64(0)
              .end();
      w.event(r.buffer(), at, r.size() - at);
      int at2 = r.begin(close, T0 + 1000, 4242, 4242, 0, 2).u64(0).u64(3).end();
      w.event(r.buffer(), at2, r.size() - at2);
      w.finish(0);
    }
    valid = Files.readAllBytes(file);
  }

  @Test
  void aValidCaptureReplaysIntoItsAlerts() {
    Cli.Result r = Cli.run("replay", "--capture", dir.resolve("valid.vcap").toString());
    assertThat(r.code()).as(r.err()).isEqualTo(ExitCode.OK);
    assertThat(r.out())
        .contains("Sensitive file read by an untrusted program")
        .contains("file=/etc/shadow")
        .contains("process=cat");
    assertThat(r.err()).contains("replayed 2 events from node-1, 1 alerts");
  }

  @Test
  void theCaptureHostNameIsTheAlertsHostName() {
    Cli.Result r = Cli.run("replay", "--capture", dir.resolve("valid.vcap").toString(), "--json");
    assertThat(r.code()).isEqualTo(ExitCode.OK);
    assertThat(r.out()).contains("\"hostname\":\"node-1\"");
  }

  static Stream<Arguments> damage() {
    return Stream.of(
        bad("an empty file", b -> new byte[0], "not a Vigil capture"),
        bad(
            "another file format",
            b -> "PK\u0003\u0004 a zip".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
            "bad magic"),
        bad("a newer format version", b -> patch(b, 8, 99, 0, 0, 0), "version 99 is not supported"),
        bad(
            "cut inside a record",
            b -> Arrays.copyOf(b, b.length - 30),
            "the file ends inside a record"),
        bad("a record length of 2 GiB", b -> patch(b, 13, 0, 0, 0, 0x7f), "is too large"),
        bad("an unknown record kind", b -> patch(b, firstEvent(b), 42), "unknown record kind 42"),
        bad("no header record", b -> patch(b, 12, 42), "does not start with its header record"),
        bad(
            "an event whose length disagrees with its record",
            b -> patch(b, firstEvent(b) + 5, 0x7f),
            "!= record length"),
        bad(
            "an event with an unknown type",
            b -> patch(b, firstEvent(b) + 5 + 4, 0xff, 0x7f),
            "event of unknown type"),
        bad(
            "an event whose parameter lengths do not add up",
            b -> patch(b, firstEvent(b) + 5 + 32, 0x7f),
            "do not add up"),
        bad(
            "an end record that counts other events",
            b -> patch(b, b.length - 16, 9),
            "the end record counts 9 events"),
        bad("random bytes after the magic", CaptureFileTest::garbage, "(at byte "));
  }

  private static Arguments bad(String name, UnaryOperator<byte[]> damage, String message) {
    return Arguments.of(Named.of(name, damage), message);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("damage")
  void damagedCapturesGiveAClearError(UnaryOperator<byte[]> damage, String message)
      throws IOException {
    Path file = dir.resolve("damaged.vcap");
    Files.write(file, damage.apply(valid.clone()));
    Cli.Result r = Cli.run("replay", "--capture", file.toString());
    assertThat(r.code()).as(r.err()).isEqualTo(ExitCode.FINDINGS);
    assertThat(r.err()).contains(file + ": ").contains(message);
    assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void aMissingCaptureIsAUsageError() {
    Cli.Result r = Cli.run("replay", "--capture", dir.resolve("nope.vcap").toString());
    assertThat(r.code()).isEqualTo(ExitCode.USAGE);
    assertThat(r.err()).contains("cannot open capture file");
  }

  @Test
  void aCaptureWithoutItsEndRecordReplaysWithAWarning() throws IOException {
    Path file = dir.resolve("interrupted.vcap");
    Files.write(file, Arrays.copyOf(valid, valid.length - 21)); // END record is 5 + 16 bytes
    Cli.Result r = Cli.run("replay", "--capture", file.toString());
    assertThat(r.code()).as(r.err()).isEqualTo(ExitCode.OK);
    assertThat(r.err()).contains("the capture was interrupted");
    assertThat(r.out()).contains("file=/etc/shadow");
  }

  /** Offset of the first EVENT record (kind 7) in a valid file. */
  private static int firstEvent(byte[] b) {
    int at = 12;
    while (at < b.length) {
      int kind = b[at];
      int len = (b[at + 1] & 0xff) | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff) << 16;
      if (kind == 7) {
        return at;
      }
      at += 5 + len;
    }
    throw new IllegalStateException("no event record");
  }

  private static byte[] patch(byte[] b, int at, int... values) {
    for (int i = 0; i < values.length; i++) {
      b[at + i] = (byte) values[i];
    }
    return b;
  }

  private static byte[] garbage(byte[] b) {
    java.util.Random r = new java.util.Random(42);
    for (int i = 12; i < b.length; i++) {
      b[i] = (byte) r.nextInt();
    }
    return b;
  }
}
