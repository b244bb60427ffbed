package dev.vigil.kernel.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.event.EventTypes;
import dev.vigil.kernel.Capture;
import dev.vigil.kernel.SyscallSource;
import dev.vigil.kernel.event.SyscallEvent;
import dev.vigil.kernel.state.FdInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the probe reads from the kernel's {@code struct file}, inode and super block on an open: the
 * created marker ({@code O_F_CREATED}), the inode number and the device, compared with what {@code
 * stat} says of the same file.
 */
class OpenDetailsTest {
  @TempDir Path dir;

  /** An open seen by the probe: its fd's details at that moment. */
  record Seen(String comm, boolean created, long dev, long ino) {}

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void createdMarkerInodeAndDeviceMatchStat() throws Exception {
    Path file = dir.resolve("new-" + System.nanoTime());
    String name = file.toString();
    EventTypes types = SyscallSource.info().eventTypes();
    Set<Integer> openCodes =
        Set.of(
            types.byName("openat").orElseThrow().code(), types.byName("open").orElseThrow().code());
    ConcurrentLinkedQueue<Seen> seen = new ConcurrentLinkedQueue<>();
    Capture capture =
        Capture.start(
            new Capture.Options(Set.of("openat", "open"), Capture.DEFAULT_RING, true),
            e -> {
              if (openCodes.contains(e.eventType())) {
                record(e, name, seen);
              }
            },
            msg -> {});
    try {
      run("sh", "-c", "echo created > " + name); // O_CREAT: the file is new
      run("cat", name); // an open of the same file that creates nothing
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (seen.size() < 2 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
    } finally {
      capture.close();
    }
    long ino = (Long) Files.getAttribute(file, "unix:ino");
    long dev = (Long) Files.getAttribute(file, "unix:dev");
    // stat encodes dev_t for user space; the kernel's s_dev is major << 20 | minor
    long major = (dev >>> 8) & 0xfff;
    long minor = (dev & 0xff) | ((dev >>> 12) & 0xfff00);
    List<Seen> all = List.copyOf(seen);
    assertThat(all).extracting(Seen::comm).containsExactly("sh", "cat");
    assertThat(all.get(0).created()).as("the shell's O_CREAT open created the file").isTrue();
    assertThat(all.get(1).created()).as("cat's open created nothing").isFalse();
    for (Seen s : all) {
      assertThat(s.ino()).isEqualTo(ino);
      assertThat(s.dev() >>> 20).isEqualTo(major);
      assertThat(s.dev() & 0xfffff).isEqualTo(minor);
    }
  }

  private static void record(SyscallEvent e, String name, ConcurrentLinkedQueue<Seen> seen) {
    FdInfo fd = e.fd();
    if (fd != null && e.ret() >= 0 && fd.name().equals(name) && e.thread() != null) {
      seen.add(new Seen(e.thread().process().comm(), fd.created(), fd.dev(), fd.ino()));
    }
  }

  private static void run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
  }
}
