package dev.vigil.kernel.ffi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.kernel.SyscallSource;
import dev.vigil.kernel.event.SyscallEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProbeSmokeTest {
  @Test
  void catOfAFileIsSeen() throws Exception {
    int openat = SyscallSource.info().eventTypes().byName("openat").orElseThrow().code();
    Probe.Config cfg =
        new Probe.Config(
            1 << 24,
            Clocks.bootToEpochNanos(),
            (int) ProcessHandle.current().pid(),
            Map.of(257, openat),
            -1,
            Probe.OpenTables.OFF);
    try (Probe probe = Probe.open(cfg)) {
      Process p =
          new ProcessBuilder("cat", "/etc/hostname")
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      p.waitFor();
      Thread.sleep(50);
      List<String> seen = new ArrayList<>();
      SyscallEvent e = new SyscallEvent();
      probe
          .ring()
          .drain((buf, off, len) -> {
            e.wrap(buf, off, 1);
            seen.add(e.pid() + " " + e.ret() + " " + e.string(2) + " ts=" + e.timestamp());
          });
      System.err.println(seen.size() + " events; " + seen.subList(0, Math.min(10, seen.size())));
      System.err.println(probe.stats());
      assertThat(seen).anyMatch(s -> s.contains("/etc/hostname"));
    }
  }
}
