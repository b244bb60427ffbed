package dev.vigil.output;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.rules.Alert;
import dev.vigil.rules.Priority;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded store: a real SQLite database, written by the output and read while it writes. */
class AlertStoreTest {
  @TempDir Path tmp;

  static Alert alert(String rule, Priority p, long time) {
    Alert a = FalcoFormatTest.alert();
    return new Alert(rule, p, a.source(), time, a.tags(), a.output(), a.fields());
  }

  static AlertStore.Query all() {
    return new AlertStore.Query(
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        0,
        Long.MAX_VALUE,
        1000);
  }

  @Test
  void alertsAreStoredAndQueryable() throws Exception {
    Path db = tmp.resolve("alerts.db");
    SinkConfig.Store cfg =
        new SinkConfig.Store(db, Duration.ZERO, new Delivery(10_000, 0, 100, 3, Priority.DEBUG));
    try (Outputs out = SinksTest.start(SinksTest.JSON_RENDERING, cfg);
        AlertStore reader = AlertStore.open(db)) {
      long t = FalcoFormatTest.TIME;
      for (int i = 0; i < 50; i++) {
        out.submit(alert("Read sensitive file untrusted", Priority.WARNING, t + i));
        out.submit(alert("Terminal shell in container", Priority.NOTICE, t + i));
      }
      out.submit(alert("Drop and execute new binary in container", Priority.CRITICAL, t + 100));
      assertThat(Await.until(SinksTest.WAIT, () -> out.stats().getFirst().delivered() == 101))
          .isTrue();
      // read while the writer is open (WAL)
      assertThat(reader.query(all())).hasSize(101);
    }
    try (AlertStore s = AlertStore.openReadOnly(db)) {
      assertThat(s.countBy("rule", all()))
          .containsEntry("Read sensitive file untrusted", 50L)
          .containsEntry("Terminal shell in container", 50L)
          .containsEntry("Drop and execute new binary in container", 1L);
      AlertStore.Query warnings =
          new AlertStore.Query(
              Optional.of("*file*"),
              Optional.of(Priority.WARNING),
              Optional.empty(),
              Optional.empty(),
              0,
              Long.MAX_VALUE,
              10);
      var rows = s.query(warnings);
      assertThat(rows).hasSize(10);
      assertThat(rows.getLast().time()).isEqualTo(FalcoFormatTest.TIME + 49);
      assertThat(rows.getFirst().priority()).isEqualTo("Warning");
      assertThat(rows.getFirst().json()).startsWith("{\"hostname\":\"node-1\"");
      assertThat(rows.getFirst().text()).contains(": Warning Sensitive file opened");
      assertThat(s.countBy("priority", all()))
          .containsEntry("Critical", 1L)
          .containsEntry("Notice", 50L);
    }
  }
}
