package dev.vigil.k8saudit.webhook;

import dev.vigil.k8saudit.event.AuditEvent;
import dev.vigil.k8saudit.event.Records;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The consumer's side of the spool: reads the record at the checkpoint, hands its events to the
 * pipeline one at a time (the checkpoint names each event before it is delivered), and retires a
 * segment once the consumer has moved past it.
 */
final class SpoolReader implements AutoCloseable {
  private final SpoolQueue q;
  private final ByteBuffer frame = ByteBuffer.allocate(SpoolFiles.FRAME);
  private byte[] payload = new byte[1 << 20];
  private long openId = -1;
  private @Nullable FileChannel channel;

  SpoolReader(SpoolQueue q) {
    this.q = q;
  }

  private FileChannel channel(long id) throws IOException {
    FileChannel ch = channel;
    if (openId != id || ch == null) {
      close();
      ch = FileChannel.open(SpoolFiles.segment(q.dir, id), StandardOpenOption.READ);
      channel = ch;
      openId = id;
    }
    return ch;
  }

  /** Delivers the record at {@code p} from event {@code p.index()}; returns the next position. */
  SpoolCheckpoint.Position deliver(
      SpoolCheckpoint.Position p,
      long end,
      Records records,
      AuditEvent view,
      Records.Handler handler)
      throws IOException {
    FileChannel ch = channel(p.segment());
    frame.clear();
    SpoolFiles.readFully(ch, frame, p.offset());
    int len = frame.getInt(0);
    if (len <= 0 || p.offset() + SpoolFiles.FRAME + len > end) {
      q.notice.accept(
          "webhook: spool: "
              + SpoolFiles.segment(q.dir, p.segment())
              + ": unreadable record at byte "
              + p.offset()
              + " (length "
              + len
              + "): skipping to byte "
              + end);
      return new SpoolCheckpoint.Position(p.segment(), end, 0);
    }
    if (payload.length < len) {
      payload = new byte[len];
    }
    SpoolFiles.readFully(ch, ByteBuffer.wrap(payload, 0, len), p.offset() + SpoolFiles.FRAME);
    SpoolCheckpoint.Position next =
        new SpoolCheckpoint.Position(p.segment(), p.offset() + SpoolFiles.FRAME + len, 0);
    if (SpoolFiles.crc(payload, 0, len) != frame.getInt(4)) {
      q.notice.accept(
          "webhook: spool: "
              + SpoolFiles.segment(q.dir, p.segment())
              + ": record at byte "
              + p.offset()
              + " fails its CRC32C on reading back: its events are skipped");
      q.checkpoint.store(next);
      return next;
    }
    byte[] b = payload;
    int[] delivered = {0};
    SpoolFiles.decodeBatch(
        b,
        len,
        (index, key, start, stop) -> {
          // decodeBatch visits every event; the ones before the checkpoint were delivered
          if (index >= p.index()) {
            q.checkpoint.store(new SpoolCheckpoint.Position(p.segment(), p.offset(), index));
            view.reset(b, start, stop);
            records.dispatch(view, receivedNanos(b), handler);
            delivered[0]++;
          }
        });
    q.checkpoint.store(next);
    q.lock.lock();
    try {
      q.queued -= delivered[0];
    } finally {
      q.lock.unlock();
    }
    return next;
  }

  private static long receivedNanos(byte[] b) {
    return ByteBuffer.wrap(b).getLong(0);
  }

  /** Moves past a segment read to its end, and retires it. */
  SpoolCheckpoint.Position nextSegment(SpoolCheckpoint.Position p) throws IOException {
    Long next;
    q.lock.lock();
    try {
      next = q.sizes.higherKey(p.segment());
    } finally {
      q.lock.unlock();
    }
    if (next == null) {
      return p; // cannot happen: a complete segment has a successor
    }
    SpoolCheckpoint.Position moved = new SpoolCheckpoint.Position(next, SpoolFiles.MAGIC, 0);
    q.checkpoint.store(moved);
    q.checkpoint.sync(true);
    close();
    retire(q, p.segment());
    return moved;
  }

  /**
   * Replaces a consumed segment by a key file holding its de-duplication keys, deletes it, and
   * deletes the oldest key files beyond what the de-duplication memory holds.
   */
  static void retire(SpoolQueue q, long id) throws IOException {
    Path seg = SpoolFiles.segment(q.dir, id);
    List<String> keys = new ArrayList<>();
    try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.READ)) {
      SpoolFiles.scan(
          ch,
          SpoolFiles.SEGMENT_MAGIC,
          (offset, payload, length) ->
              SpoolFiles.decodeBatch(
                  payload,
                  length,
                  (index, key, start, stop) -> {
                    if (!key.isEmpty()) {
                      keys.add(key);
                    }
                  }));
    }
    if (!keys.isEmpty() && q.dedupEntries > 0) {
      byte[] k = SpoolFiles.encodeKeys(keys);
      ByteBuffer file = ByteBuffer.allocate(SpoolFiles.MAGIC + SpoolFiles.FRAME + k.length);
      file.put(SpoolFiles.KEYS_MAGIC).put(SpoolFiles.frame(k, k.length)).flip();
      SpoolQueue.writeAtomically(q.dir, SpoolFiles.keys(q.dir, id), file);
    }
    long size = Files.size(seg);
    Files.delete(seg);
    SpoolRecovery.syncDirectory(q.dir);
    List<Long> drop = new ArrayList<>();
    q.lock.lock();
    try {
      Long was = q.sizes.remove(id);
      q.totalBytes -= was == null ? size : was;
      if (!keys.isEmpty() && q.dedupEntries > 0) {
        q.keyFiles.put(id, keys.size());
      }
      long kept = 0;
      for (Map.Entry<Long, Integer> e : q.keyFiles.descendingMap().entrySet()) {
        if (kept >= q.dedupEntries) {
          drop.add(e.getKey());
        }
        kept += e.getValue();
      }
      drop.forEach(q.keyFiles::remove);
    } finally {
      q.lock.unlock();
    }
    for (long d : drop) {
      Files.deleteIfExists(SpoolFiles.keys(q.dir, d));
    }
  }

  @Override
  public void close() {
    FileChannel ch = channel;
    channel = null;
    if (ch != null) {
      try {
        ch.close();
      } catch (IOException e) {
        // read-only: nothing to lose
      }
      openId = -1;
    }
  }
}
