package dev.vigil.cli;

import dev.vigil.k8saudit.event.AuditEvent;
import dev.vigil.k8saudit.event.AuditReader;
import dev.vigil.k8saudit.event.Records;
import dev.vigil.k8saudit.tail.Tailer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The k8s audit log files of {@code vigil run} ({@code -o k8saudit.files=...}): one thread polls a
 * {@link Tailer} per file every {@link #POLL_MILLIS} ms, and every event goes to the daemon's
 * k8s_audit rules. Checkpoints go to {@code -o k8saudit.checkpoint_dir} so that a restart resumes.
 */
final class AuditFollower {
  static final long POLL_MILLIS = 200;

  private final List<Tailer> tailers = new ArrayList<>();
  private final List<Path> files;
  private final Consumer<AuditEvent> onEvent;
  private final PrintWriter err;
  private final AuditEvent view = new AuditEvent();
  private final Records records = new Records();
  private final Thread thread;
  private volatile boolean running = true;
  private long events;
  private long problems;

  /**
   * @param onEvent evaluates one event (on this follower's thread)
   */
  AuditFollower(List<Path> files, Path checkpoints, Consumer<AuditEvent> onEvent, PrintWriter err)
      throws IOException {
    this.files = List.copyOf(files);
    this.onEvent = onEvent;
    this.err = err;
    Files.createDirectories(checkpoints);
    for (Path f : files) {
      String name = f.toAbsolutePath().toString().replace('/', '_') + ".checkpoint";
      Path cp = checkpoints.resolve(name);
      tailers.add(new Tailer(f, cp, listener(f), AuditReader.MAX_EVENT_BYTES));
    }
    this.thread = new Thread(this::loop, "vigil-k8saudit-files");
    thread.setDaemon(true);
  }

  private Tailer.Listener listener(Path file) {
    return new Tailer.Listener() {
      @Override
      public void line(byte[] b, int start, int end) {
        handle(file, b, start, end);
      }

      @Override
      public void notice(String message) {
        say(message);
      }
    };
  }

  private void handle(Path file, byte[] b, int start, int end) {
    view.reset(b, start, end);
    records.dispatch(
        view,
        System.currentTimeMillis() * 1_000_000L,
        new Records.Handler() {
          @Override
          public void event(AuditEvent e) {
            events++;
            onEvent.accept(e);
          }

          @Override
          public void problem(String message, int offset) {
            problems++;
            if (problems <= AuditFiles.SHOWN) {
              say(file + ": " + message + ": " + preview(b, start, end));
            }
          }
        });
  }

  private static String preview(byte[] b, int start, int end) {
    String s = new String(b, start, Math.min(end - start, 80), StandardCharsets.UTF_8);
    return end - start > 80 ? s + "..." : s;
  }

  private synchronized void say(String message) {
    err.println("vigil: " + message);
    err.flush();
  }

  void start() {
    thread.start();
  }

  private void loop() {
    while (running) {
      pollAll();
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void pollAll() {
    for (int i = 0; i < tailers.size(); i++) {
      try {
        tailers.get(i).poll();
      } catch (IOException e) {
        say("cannot read " + files.get(i) + ": " + e.getMessage());
      }
    }
  }

  /** Stops polling, reads what is left once more, and closes the files. */
  void stop() {
    running = false;
    thread.interrupt();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    pollAll();
    for (Tailer t : tailers) {
      try {
        t.close();
      } catch (IOException e) {
        say("closing: " + e.getMessage());
      }
    }
  }

  long events() {
    return events;
  }

  long problems() {
    return problems;
  }
}
