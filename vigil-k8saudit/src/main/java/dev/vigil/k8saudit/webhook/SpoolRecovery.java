package dev.vigil.k8saudit.webhook;

import dev.vigil.k8saudit.event.AuditEvent;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Opens a spool directory: takes its lock, reads the key files and every segment record by record
 * (CRC32C), truncates a torn or corrupt tail and says so, finds the checkpoint (or starts at the
 * oldest record when there is none or it points nowhere), counts what is left to deliver, and
 * retires segments that were consumed before a crash could delete them. Damage is reported, never
 * thrown: only a directory that cannot be used at all is an {@link IOException}.
 */
final class SpoolRecovery {
  private SpoolRecovery() {}

  /** What recovery found. */
  record Recovered(
      FileChannel lockChannel,
      FileLock dirLock,
      SpoolCheckpoint checkpoint,
      SpoolCheckpoint.Position start,
      FileChannel head,
      long headId,
      Map<Long, Long> sizes,
      Map<Long, Integer> keyFiles,
      List<String> keys,
      long queued) {}

  /** A record of a segment: its offset and how many events it holds. */
  private record Rec(long offset, int events) {}

  static SpoolQueue open(
      WebhookConfig.Spool.On config,
      int dedupEntries,
      Consumer<AuditEvent> pipeline,
      Consumer<String> notice)
      throws IOException {
    Path dir = config.dir();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new IOException("cannot create the spool directory " + dir + ": " + e, e);
    }
    FileChannel lockChannel =
        FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = lockChannel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      lockChannel.close();
      throw new IOException("the spool directory " + dir + " is in use by another receiver");
    }
    try {
      return recover(config, dedupEntries, pipeline, notice, lockChannel, lock);
    } catch (IOException | RuntimeException e) {
      lock.release();
      lockChannel.close();
      throw e;
    }
  }

  private static SpoolQueue recover(
      WebhookConfig.Spool.On config,
      int dedupEntries,
      Consumer<AuditEvent> pipeline,
      Consumer<String> notice,
      FileChannel lockChannel,
      FileLock lock)
      throws IOException {
    Path dir = config.dir();
    List<String> keys = new ArrayList<>();
    TreeMap<Long, Integer> keyFiles = new TreeMap<>();
    for (long id : ids(dir, ".keys")) {
      Path f = SpoolFiles.keys(dir, id);
      int before = keys.size();
      SpoolFiles.Scan s;
      try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
        s =
            SpoolFiles.scan(
                ch, SpoolFiles.KEYS_MAGIC, (o, p, l) -> SpoolFiles.decodeKeys(p, l, keys::add));
      }
      if (s.problem().isPresent()) {
        notice.accept(
            "webhook: spool: "
                + f
                + ": "
                + s.problem().get()
                + ": deleted (retries of its events may be delivered twice)");
        keys.subList(before, keys.size()).clear();
        Files.delete(f);
      } else {
        keyFiles.put(id, keys.size() - before);
      }
    }
    TreeMap<Long, Long> sizes = new TreeMap<>();
    TreeMap<Long, List<Rec>> records = new TreeMap<>();
    for (long id : ids(dir, ".seg")) {
      List<Rec> recs = new ArrayList<>();
      sizes.put(id, checkSegment(dir, id, recs, keys, notice));
      records.put(id, recs);
    }
    FileChannel head;
    long headId;
    if (sizes.isEmpty()) {
      headId = keyFiles.isEmpty() ? 1 : keyFiles.lastKey() + 1;
      head = createSegment(dir, headId);
      sizes.put(headId, (long) SpoolFiles.MAGIC);
      records.put(headId, List.of());
    } else {
      headId = sizes.lastKey();
      head = FileChannel.open(SpoolFiles.segment(dir, headId), StandardOpenOption.WRITE);
    }
    Path cpFile = dir.resolve("checkpoint");
    boolean hadCheckpoint = Files.exists(cpFile);
    List<SpoolCheckpoint.Position> stored = new ArrayList<>(1);
    SpoolCheckpoint cp = SpoolCheckpoint.open(cpFile, stored::add);
    SpoolCheckpoint.Position first =
        new SpoolCheckpoint.Position(sizes.firstKey(), SpoolFiles.MAGIC, 0);
    SpoolCheckpoint.Position start = first;
    if (!stored.isEmpty()) {
      SpoolCheckpoint.Position s = stored.getFirst();
      if (s.segment() < first.segment()) {
        start = first; // its segment was consumed and deleted
      } else if (valid(s, sizes, records)) {
        start = s;
      } else {
        notice.accept(
            "webhook: spool: the checkpoint "
                + s
                + " points at no record (the spool was truncated?): delivering from the oldest record");
      }
    } else if (hadCheckpoint && records.values().stream().anyMatch(l -> !l.isEmpty())) {
      notice.accept(
          "webhook: spool: "
              + cpFile
              + " is damaged: delivering from the oldest record (events may be delivered twice)");
    }
    cp.store(start);
    long queued = 0;
    for (Map.Entry<Long, List<Rec>> e : records.entrySet()) {
      for (Rec r : e.getValue()) {
        int c =
            Long.compare(e.getKey(), start.segment()) != 0
                ? Long.compare(e.getKey(), start.segment())
                : Long.compare(r.offset(), start.offset());
        if (c > 0) {
          queued += r.events();
        } else if (c == 0) {
          queued += Math.max(0, r.events() - start.index());
        }
      }
    }
    SpoolQueue q =
        new SpoolQueue(
            config,
            dedupEntries,
            pipeline,
            notice,
            new Recovered(
                lockChannel, lock, cp, start, head, headId, sizes, keyFiles, keys, queued));
    for (long id : sizes.headMap(start.segment()).keySet()) {
      SpoolReader.retire(q, id);
    }
    if (queued > 0) {
      notice.accept(
          "webhook: spool: " + queued + " events from before the restart are delivered first");
    }
    return q;
  }

  private static boolean valid(
      SpoolCheckpoint.Position s, Map<Long, Long> sizes, Map<Long, List<Rec>> records) {
    Long size = sizes.get(s.segment());
    if (size == null || s.index() < 0) {
      return false;
    }
    if (s.offset() == size && s.index() == 0) {
      return true;
    }
    for (Rec r : records.getOrDefault(s.segment(), List.of())) {
      if (r.offset() == s.offset()) {
        return s.index() < Math.max(1, r.events());
      }
    }
    return false;
  }

  /** Reads a segment, truncating it after its last valid record; returns its valid size. */
  private static long checkSegment(
      Path dir, long id, List<Rec> recs, List<String> keys, Consumer<String> notice)
      throws IOException {
    Path f = SpoolFiles.segment(dir, id);
    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      SpoolFiles.Scan s =
          SpoolFiles.scan(
              ch,
              SpoolFiles.SEGMENT_MAGIC,
              (offset, payload, length) -> {
                int[] n = {0};
                try {
                  SpoolFiles.decodeBatch(
                      payload,
                      length,
                      (index, key, start, end) -> {
                        n[0]++;
                        if (!key.isEmpty()) {
                          keys.add(key);
                        }
                      });
                } catch (RuntimeException e) {
                  n[0] = 0; // a record with a good CRC and a bad layout: nothing to deliver
                }
                recs.add(new Rec(offset, n[0]));
              });
      if (s.problem().isEmpty()) {
        return s.validEnd();
      }
      long keep = Math.max(s.validEnd(), SpoolFiles.MAGIC);
      notice.accept(
          "webhook: spool: "
              + f
              + ": "
              + s.problem().get()
              + ": truncated to "
              + keep
              + " bytes, "
              + (s.size() - s.validEnd())
              + " bytes dropped"
              + (s.validEnd() == 0 ? " (the header was rewritten)" : ""));
      if (s.validEnd() == 0) {
        ch.truncate(0);
        ch.write(ByteBuffer.wrap(SpoolFiles.SEGMENT_MAGIC), 0);
      } else {
        ch.truncate(s.validEnd());
      }
      ch.force(true);
      return keep;
    }
  }

  /** Ids of {@code NNN.ext} files in {@code dir}, ascending. */
  private static List<Long> ids(Path dir, String ext) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(f -> SpoolFiles.id(f, ext))
          .filter(OptionalLong::isPresent)
          .map(OptionalLong::getAsLong)
          .sorted()
          .toList();
    }
  }

  /** A new segment holding its header, synced with its directory entry. */
  static FileChannel createSegment(Path dir, long id) throws IOException {
    FileChannel ch =
        FileChannel.open(
            SpoolFiles.segment(dir, id), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    ch.write(ByteBuffer.wrap(SpoolFiles.SEGMENT_MAGIC), 0);
    ch.force(true);
    syncDirectory(dir);
    return ch;
  }

  /** fsync of a directory, so that a created, renamed or deleted entry survives a power loss. */
  static void syncDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }
}
