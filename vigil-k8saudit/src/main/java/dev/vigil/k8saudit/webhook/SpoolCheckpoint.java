package dev.vigil.k8saudit.webhook;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The consumer's position in the spool: the next event to hand to the pipeline, as segment id,
 * record offset and event index in the record. Kept in a small memory-mapped file with two slots
 * written in turn, each with a sequence number and a CRC32C, so a write cut short leaves the other
 * slot valid. A store is a few memory writes (no system call), so the position moves with every
 * event and survives the process being killed; it is synced to disk at most once a second and at
 * stop, so a power loss can replay up to a second of events.
 */
final class SpoolCheckpoint implements AutoCloseable {
  /** A position: the event {@code index} of the record at {@code offset} of segment {@code id}. */
  record Position(long segment, long offset, int index) {}

  private static final int SLOT = 32;

  private final FileChannel channel;
  private final MappedByteBuffer map;
  private long sequence;
  private long lastSync = System.nanoTime();

  private SpoolCheckpoint(FileChannel channel, MappedByteBuffer map, long sequence) {
    this.channel = channel;
    this.map = map;
    this.sequence = sequence;
  }

  /** Opens (or creates) the file; {@code stored} receives the newest valid position, if any. */
  static SpoolCheckpoint open(Path file, java.util.function.Consumer<Position> stored)
      throws IOException {
    FileChannel ch =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_WRITE, 0, 2 * SLOT);
    long best = -1;
    Optional<Position> pos = Optional.empty();
    for (int s = 0; s < 2; s++) {
      ByteBuffer slot = map.slice(s * SLOT, SLOT);
      byte[] b = new byte[SLOT];
      slot.get(b);
      ByteBuffer r = ByteBuffer.wrap(b);
      long seq = r.getLong(0);
      if (SpoolFiles.crc(b, 0, SLOT - 4) == r.getInt(SLOT - 4) && seq > best && seq > 0) {
        best = seq;
        pos = Optional.of(new Position(r.getLong(8), r.getLong(16), r.getInt(24)));
      }
    }
    pos.ifPresent(stored);
    return new SpoolCheckpoint(ch, map, Math.max(best, 0));
  }

  /** Whether the file had no valid slot (new, or both slots damaged). */
  boolean isEmpty() {
    return sequence == 0;
  }

  /** Records the next event to deliver. */
  void store(Position p) {
    sequence++;
    byte[] b = new byte[SLOT];
    ByteBuffer w = ByteBuffer.wrap(b);
    w.putLong(sequence).putLong(p.segment()).putLong(p.offset()).putInt(p.index());
    w.putInt(SLOT - 4, SpoolFiles.crc(b, 0, SLOT - 4));
    map.put((int) (sequence & 1) * SLOT, b);
  }

  /** Syncs to disk if the last sync is more than a second old (or {@code now}). */
  void sync(boolean now) {
    long t = System.nanoTime();
    if (now || t - lastSync > 1_000_000_000L) {
      map.force();
      lastSync = t;
    }
  }

  @Override
  public void close() throws IOException {
    map.force();
    channel.close();
  }
}
