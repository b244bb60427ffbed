package dev.vigil.output;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** The alert store output: batches inserted in one transaction each; old alerts deleted hourly. */
final class StoreSink implements Sink {
  private static final long PRUNE_EVERY_NANOS = Duration.ofHours(1).toNanos();
  private final SinkConfig.Store config;
  private final AlertStore store;
  private long lastPrune = System.nanoTime() - PRUNE_EVERY_NANOS;

  StoreSink(SinkConfig.Store config) throws OutputException {
    this.config = config;
    try {
      this.store = AlertStore.open(config.path());
    } catch (SQLException e) {
      throw new OutputException("alert store " + config.path() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void deliver(List<Outgoing> batch) throws DeliveryException {
    try {
      store.insert(batch);
    } catch (SQLException e) {
      throw new DeliveryException("cannot write the alert store " + config.path(), 0, true, e);
    }
    if (!config.retention().isZero() && System.nanoTime() - lastPrune > PRUNE_EVERY_NANOS) {
      lastPrune = System.nanoTime();
      Instant cut = Instant.now().minus(config.retention());
      try {
        store.deleteBefore(cut.getEpochSecond() * 1_000_000_000L + cut.getNano());
      } catch (SQLException e) {
        // pruning is retried in an hour; the alerts are safe
      }
    }
  }

  @Override
  public void close() {
    try {
      store.close();
    } catch (SQLException e) {
      // closing anyway
    }
  }
}
