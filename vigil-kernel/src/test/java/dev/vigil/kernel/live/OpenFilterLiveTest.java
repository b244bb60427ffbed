package dev.vigil.kernel.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.event.EventTypes;
import dev.vigil.kernel.Capture;
import dev.vigil.kernel.OpenFilter;
import dev.vigil.kernel.SyscallSource;
import dev.vigil.kernel.event.SyscallEvent;
import dev.vigil.kernel.state.FdInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The probe's open filter on real syscalls: an open no rule wants stays in the kernel with its
 * close; one the filter names is sent; and a kept-back open is sent after all, before the event,
 * when a later reported syscall names its fd ({@code fchmod}, {@code dup2}), so that event still
 * sees the file's name.
 */
class OpenFilterLiveTest {
  @TempDir Path dir;

  /** An event seen by the test: type, the fd's name (or "") and the fd number argument. */
  record Seen(String type, String fdName) {}

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void keptBackOpensAndTheirClosesAndLateOpensBeforeAnEventOnTheFd() throws Exception {
    Path quiet = Files.writeString(dir.resolve("quiet"), "x");
    Path wanted = Files.writeString(dir.resolve("wanted"), "x");
    Path chmodded = Files.writeString(dir.resolve("chmodded"), "x");
    Path dupped = Files.writeString(dir.resolve("dupped"), "x");
    Path end = dir.resolve("end");
    String marker = dir.toString();
    // the rules want reads of `wanted` (and writes below the temp dir, which nothing does)
    OpenFilter filter =
        new OpenFilter(
            true,
            0,
            0,
            false,
            Map.of(wanted.toString(), OpenFilter.READ, end.toString(), OpenFilter.ALL),
            Map.of(marker + "/w/", OpenFilter.WRITE),
            Map.of());
    EventTypes types = SyscallSource.info().eventTypes();
    ConcurrentLinkedQueue<Seen> seen = new ConcurrentLinkedQueue<>();
    Capture capture =
        Capture.start(
            new Capture.Options(
                Set.of("openat", "open", "close", "fchmod", "dup", "dup2", "dup3"),
                Capture.DEFAULT_RING,
                true,
                filter),
            e -> record(e, types, marker, seen),
            msg -> {});
    long filtered;
    try {
      String py =
          String.join(
              "\n",
              "import os",
              "fd = os.open('" + quiet + "', os.O_RDONLY); os.close(fd)",
              "fd = os.open('" + wanted + "', os.O_RDONLY); os.close(fd)",
              "fd = os.open('" + chmodded + "', os.O_RDONLY); os.fchmod(fd, 0o644); os.close(fd)",
              "fd = os.open('"
                  + dupped
                  + "', os.O_RDONLY); fd2 = os.dup2(fd, 99); os.close(fd);"
                  + " os.fchmod(fd2, 0o644); os.close(fd2)",
              "fd = os.open('" + end + "', os.O_RDONLY | os.O_CREAT); os.close(fd)");
      Process p = new ProcessBuilder("python3", "-c", py).inheritIO().start();
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).isZero();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (seen.stream().noneMatch(s -> s.fdName().equals(end.toString()))
          && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      filtered = capture.stats().filtered();
    } finally {
      capture.close();
    }
    List<Seen> all = List.copyOf(seen);
    assertThat(all)
        .containsExactly(
            new Seen("openat", wanted.toString()),
            new Seen("close", wanted.toString()),
            // kept back, then sent before the fchmod that names its fd
            new Seen("openat", chmodded.toString()),
            new Seen("fchmod", chmodded.toString()),
            new Seen("close", chmodded.toString()),
            // kept back, then sent before the dup; the copy keeps the name
            new Seen("openat", dupped.toString()),
            new Seen("dup2", dupped.toString()),
            new Seen("close", dupped.toString()),
            new Seen("fchmod", dupped.toString()),
            new Seen("close", dupped.toString()),
            new Seen("openat", end.toString()),
            new Seen("close", end.toString()));
    assertThat(filtered).as("kept in the kernel").isGreaterThanOrEqualTo(2);
  }

  private static void record(
      SyscallEvent e, EventTypes types, String marker, ConcurrentLinkedQueue<Seen> seen) {
    FdInfo fd = e.fd();
    if (fd != null && fd.name().startsWith(marker + "/") && e.ret() >= 0) {
      seen.add(new Seen(types.byCode(e.eventType()).name(), fd.name()));
    }
  }
}
