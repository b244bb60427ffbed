package dev.vigil.output;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Falco's {@code file_output}: one line per alert appended to a file. With {@code keep_alive} the
 * file stays open (reopened on SIGUSR1, for logrotate); without, it is opened per batch. With a
 * rotation size, {@code events.txt} becomes {@code events.txt.1} when the next line would make it
 * larger, older files shift up, and the oldest beyond the kept count is deleted.
 */
final class FileSink implements Sink {
  private final SinkConfig.File config;
  private @Nullable OutputStream writer;
  private long size;

  FileSink(SinkConfig.File config) throws OutputException {
    this.config = config;
    try {
      Path parent = config.path().toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      open();
      if (!config.keepAlive()) {
        closeFile();
      }
    } catch (IOException e) {
      throw new OutputException("file output: cannot open " + config.path() + ": " + e, e);
    }
  }

  private OutputStream open() throws IOException {
    OutputStream w = writer;
    if (w != null) {
      return w;
    }
    FileChannel ch =
        FileChannel.open(
            config.path(),
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.APPEND);
    size = ch.size();
    w = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
    writer = w;
    return w;
  }

  private void closeFile() throws IOException {
    OutputStream w = writer;
    writer = null;
    if (w != null) {
      w.close();
    }
  }

  @Override
  public void deliver(List<Outgoing> batch) throws DeliveryException {
    int done = 0;
    try {
      OutputStream w = open();
      for (Outgoing o : batch) {
        byte[] line = o.lineBytes();
        long bytes = line.length + 1L;
        if (config.rotateBytes() > 0 && size > 0 && size + bytes > config.rotateBytes()) {
          w.flush();
          done = indexOf(batch, o);
          rotate();
          w = open();
        }
        w.write(line);
        w.write('\n');
        size += bytes;
      }
      w.flush();
      if (!config.keepAlive()) {
        closeFile();
      }
    } catch (IOException e) {
      try {
        closeFile();
      } catch (IOException ignored) {
        // reopened on the next attempt
      }
      throw new DeliveryException("cannot write " + config.path(), done, true, e);
    }
  }

  private static int indexOf(List<Outgoing> batch, Outgoing o) {
    for (int i = 0; i < batch.size(); i++) {
      if (batch.get(i) == o) {
        return i;
      }
    }
    return 0;
  }

  private void rotate() throws IOException {
    closeFile();
    Path p = config.path();
    int keep = Math.max(1, config.keepFiles());
    Files.deleteIfExists(sibling(p, keep));
    for (int i = keep - 1; i >= 1; i--) {
      Path from = sibling(p, i);
      if (Files.exists(from)) {
        Files.move(from, sibling(p, i + 1), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    Files.move(p, sibling(p, 1), StandardCopyOption.REPLACE_EXISTING);
  }

  static Path sibling(Path p, int n) {
    return p.resolveSibling(p.getFileName() + "." + n);
  }

  @Override
  public void reopen() {
    try {
      closeFile();
    } catch (IOException e) {
      // the next delivery opens the file again and reports what fails
    }
  }

  @Override
  public void close() {
    try {
      closeFile();
    } catch (IOException e) {
      // nothing left to report to
    }
  }
}
