package dev.vigil.output;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Falco's {@code program_output}: alert lines on the standard input of {@code sh -c program}. With
 * {@code keep_alive} one process reads every alert (restarted if it exits); without, each alert
 * starts the program anew and waits for it, as Falco does. The program's own output goes to Vigil's
 * standard error.
 */
final class ProgramSink implements Sink {
  private final SinkConfig.Program config;
  private @Nullable Process process;
  private @Nullable BufferedWriter stdin;

  ProgramSink(SinkConfig.Program config) {
    this.config = config;
  }

  private ProcessBuilder builder() {
    return new ProcessBuilder("/bin/sh", "-c", config.command())
        .redirectOutput(ProcessBuilder.Redirect.INHERIT)
        .redirectError(ProcessBuilder.Redirect.INHERIT);
  }

  @Override
  public void deliver(List<Outgoing> batch) throws DeliveryException {
    if (config.keepAlive()) {
      deliverKeepAlive(batch);
      return;
    }
    for (int i = 0; i < batch.size(); i++) {
      try {
        Process p = builder().start();
        try (BufferedWriter w = writer(p)) {
          w.write(batch.get(i).line());
          w.write('\n');
        }
        if (!p.waitFor(config.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
          p.destroyForcibly();
          throw new DeliveryException(
              "program did not finish in " + config.timeout(), i + 1, false);
        }
      } catch (IOException e) {
        throw new DeliveryException("cannot run program", i, true, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new DeliveryException("interrupted", i, false, e);
      }
    }
  }

  private void deliverKeepAlive(List<Outgoing> batch) throws DeliveryException {
    try {
      BufferedWriter w = stdin;
      Process p = process;
      if (w == null || p == null || !p.isAlive()) {
        stopProcess();
        p = builder().start();
        w = writer(p);
        process = p;
        stdin = w;
      }
      for (Outgoing o : batch) {
        w.write(o.line());
        w.write('\n');
      }
      w.flush();
    } catch (IOException e) {
      stopProcess();
      throw new DeliveryException("cannot write to program", 0, true, e);
    }
  }

  private static BufferedWriter writer(Process p) {
    return new BufferedWriter(
        new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8), 1 << 16);
  }

  private void stopProcess() {
    BufferedWriter w = stdin;
    Process p = process;
    stdin = null;
    process = null;
    if (w != null) {
      try {
        w.close();
      } catch (IOException e) {
        // the program is gone already
      }
    }
    if (p != null) {
      try {
        if (!p.waitFor(config.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
          p.destroy();
        }
      } catch (InterruptedException e) {
        p.destroy();
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public void reopen() {
    stopProcess();
  }

  @Override
  public void close() {
    stopProcess();
  }
}
