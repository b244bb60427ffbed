package dev.vigil.output;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits, bounded in time, for something that happens on another thread. */
final class Await {
  private Await() {}

  static boolean until(Duration max, BooleanSupplier done) {
    long end = System.nanoTime() + max.toNanos();
    while (System.nanoTime() < end) {
      if (done.getAsBoolean()) {
        return true;
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return done.getAsBoolean();
  }
}
