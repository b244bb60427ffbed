package dev.vigil.k8saudit.webhook;

import dev.vigil.k8saudit.event.AuditEvent;
import dev.vigil.k8saudit.event.Records;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The on-disk spool: accepted batches are appended to segment files and synced before the 200; the
 * consumer thread reads them back in order and hands their events to the pipeline, moving the
 * {@link SpoolCheckpoint} with each event; a segment read to its end is replaced by a small key
 * file (its de-duplication keys) and deleted. After a restart, what the checkpoint has not passed
 * is delivered, and retries of batches acknowledged before the restart are still recognised.
 *
 * <p>A stop writes what was accepted, then lets the consumer deliver for up to the stop grace (5 s
 * by default); what is left then stays in the spool for the next start.
 *
 * <p>One writer thread does all file writes and syncs (group commit: every batch waiting when a
 * sync starts shares it), so request threads never touch a file channel and an interrupted request
 * cannot close one. File formats: {@link SpoolFiles}; opening and start-up checks: {@link
 * SpoolRecovery}.
 */
final class SpoolQueue implements Ingest {
  @SuppressWarnings("ArrayRecordComponent") // handed from a request to the writer, never compared
  private record Pending(byte[] payload, long ticket) {}

  final Path dir;
  final long maxBytes;
  final long segmentBytes;
  final int dedupEntries;
  final Consumer<AuditEvent> pipeline;
  final Consumer<String> notice;
  final ReentrantLock lock = new ReentrantLock();
  final Condition changed = lock.newCondition();

  /** Key → the ticket after which its batch is durable. */
  final LinkedHashMap<String, Long> seen;

  /** Segment id → its size in bytes (what was written). */
  final TreeMap<Long, Long> sizes = new TreeMap<>();

  /** Key file id → keys in it. */
  final TreeMap<Long, Integer> keyFiles = new TreeMap<>();

  private final ArrayDeque<Pending> pending = new ArrayDeque<>();
  final FileChannel lockChannel;
  final FileLock dirLock;
  final SpoolCheckpoint checkpoint;
  final SpoolCheckpoint.Position start;
  private FileChannel head;
  private long headId;
  long totalBytes;
  long queued;
  private long reserved;
  private long durable;
  private long durableSegment;
  private long durableOffset;
  private Optional<String> failed = Optional.empty();
  private boolean stopping;
  private boolean writerDone;
  private Duration drainGrace = Duration.ofSeconds(5);
  private long drainDeadline;
  private final Thread writer;
  private final Thread consumer;

  SpoolQueue(
      WebhookConfig.Spool.On config,
      int dedupEntries,
      Consumer<AuditEvent> pipeline,
      Consumer<String> notice,
      SpoolRecovery.Recovered r) {
    this.dir = config.dir();
    this.maxBytes = config.maxBytes();
    this.segmentBytes = config.segmentBytes();
    this.dedupEntries = dedupEntries;
    this.pipeline = pipeline;
    this.notice = notice;
    this.lockChannel = r.lockChannel();
    this.dirLock = r.dirLock();
    this.checkpoint = r.checkpoint();
    this.start = r.start();
    this.head = r.head();
    this.headId = r.headId();
    this.sizes.putAll(r.sizes());
    this.keyFiles.putAll(r.keyFiles());
    this.totalBytes = r.sizes().values().stream().mapToLong(Long::longValue).sum();
    this.queued = r.queued();
    this.durableSegment = headId;
    this.durableOffset = size(headId);
    this.seen =
        new LinkedHashMap<>(Math.min(dedupEntries, 1 << 16) * 2, 0.75f) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > dedupEntries;
          }
        };
    for (String k : r.keys()) {
      seen.put(k, 0L);
    }
    this.writer = Thread.ofPlatform().name("vigil-webhook-spool").daemon().unstarted(this::write);
    this.consumer =
        Thread.ofPlatform().name("vigil-k8saudit-webhook").daemon().unstarted(this::consume);
  }

  /** Opens the spool in {@code config.dir()}: checks and repairs it, finds the checkpoint. */
  static SpoolQueue open(
      WebhookConfig.Spool.On config,
      int dedupEntries,
      Duration drainGrace,
      Consumer<AuditEvent> pipeline,
      Consumer<String> notice)
      throws IOException {
    SpoolQueue q = SpoolRecovery.open(config, dedupEntries, pipeline, notice);
    q.drainGrace = drainGrace;
    return q;
  }

  @Override
  public void start() {
    writer.start();
    consumer.start();
  }

  @Override
  public Offer offer(List<Item> items, long bytes, long receivedNanos) {
    long ticket;
    int fresh;
    int duplicates;
    lock.lock();
    try {
      if (stopping) {
        return new Offer.Unavailable("the receiver is stopping");
      }
      if (failed.isPresent()) {
        return new Offer.Unavailable("the spool cannot be written: " + failed.get());
      }
      List<Item> add = new ArrayList<>(items.size());
      Set<String> inBatch = new HashSet<>();
      long waitFor = 0;
      for (Item i : items) {
        Long t = i.key().isEmpty() ? null : seen.get(i.key());
        if (t != null) {
          waitFor = Math.max(waitFor, t); // acknowledged only once that batch is on disk
        } else if (i.key().isEmpty() || inBatch.add(i.key())) {
          add.add(i);
        }
      }
      fresh = add.size();
      duplicates = items.size() - fresh;
      if (add.isEmpty()) {
        ticket = waitFor;
      } else {
        byte[] payload = SpoolFiles.encodeBatch(add, receivedNanos);
        long size = (long) SpoolFiles.FRAME + payload.length;
        if (totalBytes + size + SpoolFiles.MAGIC > maxBytes) {
          return new Offer.Full("the spool is full (" + totalBytes + " of " + maxBytes + " bytes)");
        }
        totalBytes += size;
        reserved += size;
        ticket = Math.max(reserved, waitFor);
        pending.add(new Pending(payload, reserved));
        queued += fresh;
        for (Item i : add) {
          if (!i.key().isEmpty()) {
            seen.put(i.key(), reserved);
          }
        }
        changed.signalAll();
      }
      while (durable < ticket && failed.isEmpty()) {
        changed.awaitUninterruptibly();
      }
      if (durable < ticket) {
        return new Offer.Unavailable("the spool cannot be written: " + failed.orElseThrow());
      }
    } finally {
      lock.unlock();
    }
    return new Offer.Accepted(fresh, duplicates);
  }

  /** The size of a segment (0 for one that is gone), under the lock. */
  private long size(long id) {
    return sizes.getOrDefault(id, 0L);
  }

  @Override
  public long queuedEvents() {
    lock.lock();
    try {
      return queued;
    } finally {
      lock.unlock();
    }
  }

  /** Bytes the segments hold on disk. */
  long bytes() {
    lock.lock();
    try {
      return totalBytes;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Refuses new batches, writes the ones waiting, lets the consumer deliver everything written,
   * then syncs the checkpoint and releases the directory.
   */
  @Override
  public void stop() {
    lock.lock();
    try {
      stopping = true;
      drainDeadline = System.nanoTime() + drainGrace.toNanos();
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    join(writer);
    join(consumer);
    try {
      checkpoint.close();
      head.close();
      dirLock.release();
      lockChannel.close();
    } catch (IOException e) {
      notice.accept("webhook: closing the spool: " + e.getMessage());
    }
  }

  /** Waits for {@code t} to end, keeping an interrupt for the caller. */
  static void join(Thread t) {
    boolean interrupted = false;
    while (t.isAlive()) {
      try {
        t.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** The writer thread: appends what is pending, syncs once for all of it, wakes the waiters. */
  private void write() {
    List<Pending> batch = new ArrayList<>();
    while (true) {
      lock.lock();
      try {
        while (pending.isEmpty() && !stopping) {
          changed.awaitUninterruptibly();
        }
        if (pending.isEmpty()) {
          writerDone = true;
          changed.signalAll();
          return;
        }
        batch.addAll(pending);
        pending.clear();
      } finally {
        lock.unlock();
      }
      try {
        for (Pending p : batch) {
          append(p.payload());
        }
        head.force(false);
      } catch (IOException | RuntimeException e) {
        fail("webhook: spool: cannot write " + SpoolFiles.segment(dir, headId) + ": " + e);
        return;
      }
      lock.lock();
      try {
        durable = batch.getLast().ticket();
        durableSegment = headId;
        durableOffset = size(headId);
        changed.signalAll();
      } finally {
        lock.unlock();
      }
      batch.clear();
    }
  }

  private void fail(String message) {
    notice.accept(message + " (the receiver answers 503 until restarted)");
    lock.lock();
    try {
      failed = Optional.of(message);
      if (Thread.currentThread() == writer) {
        writerDone = true;
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Appends one record to the head segment, starting a new segment when it is full. */
  private void append(byte[] payload) throws IOException {
    long at;
    lock.lock();
    try {
      at = size(headId);
    } finally {
      lock.unlock();
    }
    if (at > SpoolFiles.MAGIC && at + SpoolFiles.FRAME + payload.length > segmentBytes) {
      roll();
      at = SpoolFiles.MAGIC;
    }
    ByteBuffer frame = SpoolFiles.frame(payload, payload.length);
    long p = at;
    while (frame.hasRemaining()) {
      p += head.write(frame, p);
    }
    lock.lock();
    try {
      sizes.put(headId, p);
    } finally {
      lock.unlock();
    }
  }

  /** Syncs and closes the head segment, then starts the next one. */
  private void roll() throws IOException {
    head.force(false);
    long next = headId + 1;
    FileChannel fresh = SpoolRecovery.createSegment(dir, next);
    lock.lock();
    try {
      // the old segment is complete and on disk: the consumer may read it to its end
      durableSegment = next;
      durableOffset = SpoolFiles.MAGIC;
      sizes.put(next, (long) SpoolFiles.MAGIC);
      totalBytes += SpoolFiles.MAGIC;
      head.close();
      head = fresh;
      headId = next;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** The consumer thread: delivers each written event once, in order. */
  private void consume() {
    SpoolReader reader = new SpoolReader(this);
    Records records = new Records();
    AuditEvent view = new AuditEvent();
    Records.Handler handler =
        new Records.Handler() {
          @Override
          public void event(AuditEvent e) {
            pipeline.accept(e);
          }

          @Override
          public void problem(String message, int offset) {
            // reported when the batch was received
          }
        };
    SpoolCheckpoint.Position p = start;
    try {
      while (true) {
        long end;
        boolean complete;
        lock.lock();
        try {
          while (true) {
            complete = p.segment() < durableSegment;
            end = complete ? size(p.segment()) : durableOffset;
            if (p.offset() < end || complete) {
              break;
            }
            if (stopping && writerDone) {
              return;
            }
            checkpoint.sync(false);
            changed.await(1, TimeUnit.SECONDS);
          }
        } finally {
          lock.unlock();
        }
        if (p.offset() >= end) {
          p = reader.nextSegment(p);
          continue;
        }
        if (leaveTheRest()) {
          return;
        }
        p = reader.deliver(p, end, records, view, handler);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException | RuntimeException e) {
      fail("webhook: spool: cannot read " + SpoolFiles.segment(dir, p.segment()) + ": " + e);
    } finally {
      checkpoint.sync(true);
      reader.close();
    }
  }

  /**
   * Whether a stop has waited long enough for the consumer: what is left stays in the spool and is
   * delivered after the next start, so a stop does not wait for a large backlog.
   */
  private boolean leaveTheRest() {
    lock.lock();
    try {
      if (!stopping || !writerDone || System.nanoTime() - drainDeadline < 0) {
        return false;
      }
      notice.accept("webhook: spool: " + queued + " events left in the spool for the next start");
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Moves a key file into place: written aside, synced, renamed, directory synced. */
  static void writeAtomically(Path dir, Path file, ByteBuffer content) throws IOException {
    Path tmp = dir.resolve(file.getFileName() + ".tmp");
    try (FileChannel ch =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      while (content.hasRemaining()) {
        ch.write(content);
      }
      ch.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    SpoolRecovery.syncDirectory(dir);
  }
}
