package dev.vigil.k8saudit.tail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Follows one audit log path as kube-apiserver's log backend (lumberjack) writes and rotates it.
 *
 * <p>Rotation renames the file to a backup name and creates a new file under the old name. The
 * tailer keeps the renamed file open, so it reads it to its end (also when the backup is compressed
 * and deleted meanwhile: the open file stays readable), then switches to the new file from its
 * start. A file that shrinks under the same identity was truncated in place and is read again from
 * its start.
 *
 * <p>Lines are delivered whole; after each {@link #poll} the position (file identity and offset) is
 * written to the checkpoint file. A new tailer resumes there: in the current file when it is still
 * the same file, or in the renamed backup that still has that identity, read to its end first. If
 * the checkpointed file is gone (compressed or deleted before it was read to the end), the tailer
 * says so through {@link Listener#notice} and starts the current file from its beginning.
 *
 * <p>Polling, not notification: the caller calls {@link #poll} on its own schedule. One thread.
 */
public final class Tailer implements AutoCloseable {
  private static final int READ = 1 << 20;

  /** Receives lines and notices. */
  public interface Listener {
    /** One line, without its line break, as {@code b[start..end)}; valid during the call only. */
    void line(byte[] b, int start, int end);

    /** Something the operator should know (rotation handled, checkpoint not usable, ...). */
    void notice(String message);
  }

  private final Path path;
  private final Path checkpointFile;
  private final Listener listener;
  private final int maxLine;
  private @Nullable FileChannel channel;
  private String key = "";
  private long offset;
  private byte[] pending = new byte[0];
  private int pendingLength;
  private boolean skippingLongLine;
  private boolean started;
  private final ByteBuffer buffer = ByteBuffer.allocate(READ);

  public Tailer(Path path, Path checkpointFile, Listener listener, int maxLine) {
    this.path = path;
    this.checkpointFile = checkpointFile;
    this.listener = listener;
    this.maxLine = maxLine;
  }

  private void checkpoint() throws IOException {
    FileChannel ch = channel;
    if (ch != null) {
      Checkpoint.at(key, offset, ch).write(checkpointFile);
    }
  }

  /** Reads everything available now; returns the number of lines delivered. */
  public long poll() throws IOException {
    long lines = 0;
    if (!started) {
      started = true;
      lines += resume();
    }
    if (channel == null) {
      if (!open(path, 0)) {
        return lines;
      }
    }
    lines += drain();
    String now = keyOf(path);
    if (!now.equals(key)) {
      lines += drain();
      lines += flushPartial();
      checkpoint();
      closeChannel();
      if (!now.isEmpty()) {
        listener.notice(path + " was rotated; reading the new file");
        open(path, 0);
        lines += drain();
      }
    } else if (channel != null && channel.size() < offset + pendingLength) {
      listener.notice(path + " shrank (truncated in place); reading it again from the start");
      pendingLength = 0;
      offset = 0;
      channel.position(0);
      lines += drain();
    }
    if (!key.isEmpty()) {
      checkpoint();
    }
    return lines;
  }

  /** Starts from the checkpoint, if there is one. */
  private long resume() throws IOException {
    Optional<Checkpoint> cp = Checkpoint.read(checkpointFile);
    if (cp.isEmpty()) {
      return 0;
    }
    Checkpoint c = cp.get();
    if (c.fileKey().equals(keyOf(path)) && c.sameHead(path)) {
      open(path, c.offset());
      return 0;
    }
    Path backup = findByKey(c.fileKey());
    if (backup != null && !c.sameHead(backup)) {
      backup = null;
    }
    if (backup == null) {
      listener.notice(
          "the file of the checkpoint ("
              + c.fileKey()
              + ") is gone; reading "
              + path
              + " from its start");
      return 0;
    }
    listener.notice(
        "resuming in " + backup + " (rotated since the checkpoint) at byte " + c.offset());
    open(backup, c.offset());
    long n = drain() + flushPartial();
    closeChannel();
    for (Path later : laterBackups(backup)) {
      listener.notice("reading " + later + " (rotated since the checkpoint)");
      open(later, 0);
      n += drain() + flushPartial();
      closeChannel();
    }
    return n;
  }

  /**
   * Backups lumberjack wrote after {@code backup} ({@code <name>-<UTC time><ext>}, whose names sort
   * by time), uncompressed ones; a compressed one is reported and not read.
   */
  private List<Path> laterBackups(Path backup) throws IOException {
    Path dir = path.toAbsolutePath().getParent();
    String name = path.getFileName().toString();
    int dot = name.lastIndexOf('.');
    String prefix = (dot > 0 ? name.substring(0, dot) : name) + "-";
    String ext = dot > 0 ? name.substring(dot) : "";
    String after = backup.getFileName().toString();
    List<Path> out = new java.util.ArrayList<>();
    if (dir == null) {
      return out;
    }
    try (Stream<Path> s = Files.list(dir)) {
      for (Path f : s.sorted().toList()) {
        String n = f.getFileName().toString();
        if (!n.startsWith(prefix) || n.compareTo(after) <= 0) {
          continue;
        }
        if (n.endsWith(ext)) {
          out.add(f);
        } else if (n.endsWith(ext + ".gz")) {
          listener.notice(f + " was compressed before it was read; not read");
        }
      }
    }
    return out;
  }

  private @Nullable Path findByKey(String fileKey) throws IOException {
    Path dir = path.toAbsolutePath().getParent();
    if (dir == null) {
      return null;
    }
    try (Stream<Path> s = Files.list(dir)) {
      List<Path> files = s.filter(Files::isRegularFile).toList();
      for (Path f : files) {
        if (fileKey.equals(keyOf(f))) {
          return f;
        }
      }
    }
    return null;
  }

  private boolean open(Path p, long at) throws IOException {
    try {
      FileChannel ch = FileChannel.open(p, StandardOpenOption.READ);
      String k = keyOf(ch, p);
      ch.position(Math.min(at, ch.size()));
      channel = ch;
      key = k;
      offset = ch.position();
      pendingLength = 0;
      return true;
    } catch (NoSuchFileException e) {
      return false;
    }
  }

  private static String keyOf(FileChannel ch, Path p) throws IOException {
    String k = keyOf(p);
    return k.isEmpty() ? String.valueOf(ch.hashCode()) : k;
  }

  /** The file's identity (device and inode), or {@code ""} when it does not exist. */
  static String keyOf(Path p) throws IOException {
    try {
      Object k = Files.readAttributes(p, BasicFileAttributes.class).fileKey();
      return k == null ? p.toRealPath().toString() : k.toString();
    } catch (NoSuchFileException e) {
      return "";
    }
  }

  /**
   * Reads the open file to its current end, delivering complete lines. Invariant: {@code offset} is
   * the file position of the first byte not delivered yet; {@code pending} holds the bytes from
   * there to the channel's position (unless a too-long line is being skipped).
   */
  private long drain() throws IOException {
    FileChannel ch = channel;
    if (ch == null) {
      return 0;
    }
    long lines = 0;
    while (true) {
      buffer.clear();
      int n = ch.read(buffer);
      if (n <= 0) {
        return lines;
      }
      long base = ch.position() - n;
      byte[] b = buffer.array();
      int s = 0;
      for (int i = 0; i < n; i++) {
        if (b[i] != '\n') {
          continue;
        }
        if (skippingLongLine) {
          skippingLongLine = false;
        } else if (pendingLength == 0) {
          listener.line(b, s, i);
          lines++;
        } else {
          append(b, s, i);
          if (!skippingLongLine) {
            listener.line(pending, 0, pendingLength);
            lines++;
          }
          skippingLongLine = false;
        }
        pendingLength = 0;
        offset = base + i + 1;
        s = i + 1;
      }
      append(b, s, n);
    }
  }

  private void append(byte[] b, int s, int e) {
    int n = e - s;
    if (n == 0 || skippingLongLine) {
      return;
    }
    if (pendingLength + n > maxLine) {
      listener.notice("a line of " + path + " is longer than " + maxLine + " bytes; skipped");
      skippingLongLine = true;
      pendingLength = 0;
      return;
    }
    if (pendingLength + n > pending.length) {
      pending = Arrays.copyOf(pending, Math.max(pendingLength + n, pending.length * 2));
    }
    System.arraycopy(b, s, pending, pendingLength, n);
    pendingLength += n;
  }

  /** At the end of a rotated file, an unterminated last line is delivered as it is. */
  private long flushPartial() {
    if (pendingLength == 0) {
      return 0;
    }
    listener.line(pending, 0, pendingLength);
    offset += pendingLength;
    pendingLength = 0;
    return 1;
  }

  private void closeChannel() throws IOException {
    FileChannel ch = channel;
    channel = null;
    key = "";
    skippingLongLine = false;
    if (ch != null) {
      ch.close();
    }
  }

  @Override
  public void close() throws IOException {
    closeChannel();
  }
}
