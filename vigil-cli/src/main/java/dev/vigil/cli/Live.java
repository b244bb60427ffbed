package dev.vigil.cli;

import dev.vigil.kernel.Capture;
import dev.vigil.kernel.capture.Recording;
import dev.vigil.kernel.ffi.ProbeException;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;

/**
 * Runs a live capture until SIGINT/SIGTERM or a duration, for {@code run} and {@code capture}.
 *
 * <p>On a signal the JVM runs its shutdown hooks and then halts. The hook installed here stops the
 * capture and then waits for the command to finish its work ({@code finish}: statistics, the end of
 * a capture file), so a {@code kill} never loses them.
 */
final class Live {
  private Live() {}

  /**
   * How a capture ended.
   *
   * @param stats its counters (zero when it did not start)
   * @param seconds how long it ran
   * @param failureText why it could not start ({@code ""} if it ran)
   */
  record Result(Capture.Stats stats, double seconds, String failureText) {
    Optional<String> failure() {
      return failureText.isEmpty() ? Optional.empty() : Optional.of(failureText);
    }
  }

  /** How long a signal waits for the command to write its statistics before the JVM halts. */
  private static final long FINISH_GRACE_SECONDS = 20;

  /**
   * Captures until stopped, then calls {@code finish} with the result.
   *
   * @return what {@code finish} returns (the command's exit code)
   */
  static int run(
      Capture.Options options,
      Capture.Handler handler,
      Recording recording,
      long durationNanos,
      PrintWriter err,
      ToIntFunction<Result> finish) {
    return run(options, handler, recording, durationNanos, err, c -> {}, finish);
  }

  /**
   * As above; {@code onStart} is told of the capture once it runs (for its counters in {@code
   * /metrics}).
   */
  static int run(
      Capture.Options options,
      Capture.Handler handler,
      Recording recording,
      long durationNanos,
      PrintWriter err,
      Consumer<Capture> onStart,
      ToIntFunction<Result> finish) {
    CountDownLatch stop = new CountDownLatch(1);
    CountDownLatch finished = new CountDownLatch(1);
    Thread hook = shutdownHook(stop, finished);
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      return finish.applyAsInt(
          capture(options, handler, recording, durationNanos, err, onStart, stop, hook));
    } finally {
      finished.countDown();
    }
  }

  /**
   * The JVM's shutdown hook on SIGINT/SIGTERM: it tells the command to stop, then holds the JVM
   * until the command has finished its work (at most {@link #FINISH_GRACE_SECONDS}).
   */
  private static Thread shutdownHook(CountDownLatch stop, CountDownLatch finished) {
    return new Thread(
        () -> {
          stop.countDown();
          try {
            finished.await(FINISH_GRACE_SECONDS, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        },
        "vigil-shutdown");
  }

  /**
   * Waits, with no capture (the k8s audit source alone), until SIGINT/SIGTERM or the duration; the
   * same shutdown hook lets {@code finish} complete before the JVM halts.
   *
   * @return what {@code finish} returns, given the seconds waited
   */
  static int idle(long durationNanos, PrintWriter err, ToIntFunction<Double> finish) {
    CountDownLatch stop = new CountDownLatch(1);
    CountDownLatch finished = new CountDownLatch(1);
    Thread hook = shutdownHook(stop, finished);
    Runtime.getRuntime().addShutdownHook(hook);
    long started = watch(stop, hook, durationNanos, err);
    try {
      return finish.applyAsInt(Math.max(1e-9, (System.nanoTime() - started) / 1e9));
    } finally {
      finished.countDown();
    }
  }

  /**
   * Says Vigil is watching and waits for a signal or the duration; without a signal, removes the
   * shutdown hook. Returns when the wait began ({@link System#nanoTime()}).
   */
  private static long watch(CountDownLatch stop, Thread hook, long durationNanos, PrintWriter err) {
    err.println("vigil: watching (Ctrl-C to stop)");
    err.flush();
    long started = System.nanoTime();
    try {
      boolean signalled =
          durationNanos > 0 ? stop.await(durationNanos, TimeUnit.NANOSECONDS) : awaitForever(stop);
      if (!signalled) {
        Runtime.getRuntime().removeShutdownHook(hook);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return started;
  }

  private static Result capture(
      Capture.Options options,
      Capture.Handler handler,
      Recording recording,
      long durationNanos,
      PrintWriter err,
      Consumer<Capture> onStart,
      CountDownLatch stop,
      Thread hook) {
    Capture capture;
    try {
      capture =
          Capture.start(
              options,
              handler,
              msg -> {
                err.println("vigil: " + msg);
                err.flush();
              },
              recording);
    } catch (ProbeException e) {
      Runtime.getRuntime().removeShutdownHook(hook);
      return new Result(new Capture.Stats(0, 0, 0, 0, 0, 0, 0), 0, String.valueOf(e.getMessage()));
    }
    onStart.accept(capture);
    long started = watch(stop, hook, durationNanos, err);
    capture.close();
    double secs = Math.max(1e-9, (System.nanoTime() - started) / 1e9);
    return new Result(capture.stats(), secs, "");
  }

  private static boolean awaitForever(CountDownLatch stop) throws InterruptedException {
    stop.await();
    return true;
  }
}
