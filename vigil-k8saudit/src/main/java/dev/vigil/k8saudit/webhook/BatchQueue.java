package dev.vigil.k8saudit.webhook;

import dev.vigil.k8saudit.event.AuditEvent;
import dev.vigil.k8saudit.event.Records;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The bounded queue between the request handlers and the one consumer thread, and the memory of
 * recent event keys that drops retried batches. A batch is checked against the keys, then queued,
 * then its keys are remembered, all under one lock: a batch refused with 429 leaves no keys behind,
 * so its retry is accepted.
 */
final class BatchQueue implements Ingest {

  private record Batch(List<Item> items, long bytes, long receivedNanos) {}

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<Batch> queue = new ArrayDeque<>();
  private final Map<String, Boolean> seen;
  private final int maxEvents;
  private final long maxBytes;
  private final Consumer<AuditEvent> pipeline;
  private final Thread consumer;
  private int queuedEvents;
  private long queuedBytes;
  private boolean stopping;

  BatchQueue(int maxEvents, long maxBytes, int dedupEntries, Consumer<AuditEvent> pipeline) {
    this.maxEvents = maxEvents;
    this.maxBytes = maxBytes;
    this.pipeline = pipeline;
    this.seen =
        new LinkedHashMap<>(Math.min(dedupEntries, 1 << 16) * 2, 0.75f) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > dedupEntries;
          }
        };
    this.consumer =
        Thread.ofPlatform().name("vigil-k8saudit-webhook").daemon().unstarted(this::run);
  }

  @Override
  public void start() {
    consumer.start();
  }

  /** Offers the events of one request; {@code bytes} is the memory they hold. */
  @Override
  public Offer offer(List<Item> items, long bytes, long receivedNanos) {
    lock.lock();
    try {
      if (stopping) {
        return new Offer.Unavailable("the receiver is stopping");
      }
      List<Item> fresh = new java.util.ArrayList<>(items.size());
      java.util.Set<String> inBatch = new java.util.HashSet<>();
      for (Item i : items) {
        if (i.key().isEmpty() || (!seen.containsKey(i.key()) && inBatch.add(i.key()))) {
          fresh.add(i);
        }
      }
      int duplicates = items.size() - fresh.size();
      if (fresh.isEmpty()) {
        return new Offer.Accepted(0, duplicates);
      }
      boolean empty = queue.isEmpty();
      if (!empty && (queuedEvents + fresh.size() > maxEvents || queuedBytes + bytes > maxBytes)) {
        return new Offer.Full("too many events waiting");
      }
      queue.add(new Batch(fresh, bytes, receivedNanos));
      queuedEvents += fresh.size();
      queuedBytes += bytes;
      for (Item i : fresh) {
        if (!i.key().isEmpty()) {
          seen.put(i.key(), Boolean.TRUE);
        }
      }
      changed.signalAll();
      return new Offer.Accepted(fresh.size(), duplicates);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public long queuedEvents() {
    lock.lock();
    try {
      return queuedEvents;
    } finally {
      lock.unlock();
    }
  }

  /** Refuses new batches, lets the consumer deliver everything queued, and waits for it. */
  @Override
  public void stop() {
    lock.lock();
    try {
      stopping = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    SpoolQueue.join(consumer);
  }

  private void run() {
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
    while (true) {
      Batch b;
      lock.lock();
      try {
        while (queue.isEmpty() && !stopping) {
          changed.awaitUninterruptibly();
        }
        if (queue.isEmpty()) {
          return;
        }
        b = queue.peek();
      } finally {
        lock.unlock();
      }
      for (Item i : b.items()) {
        view.reset(i.bytes(), i.start(), i.end());
        records.dispatch(view, b.receivedNanos(), handler);
      }
      lock.lock();
      try {
        queue.poll();
        queuedEvents -= b.items().size();
        queuedBytes -= b.bytes();
        changed.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }
}
