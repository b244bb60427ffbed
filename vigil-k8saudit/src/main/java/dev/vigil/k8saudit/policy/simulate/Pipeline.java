package dev.vigil.k8saudit.policy.simulate;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * JSON lines in parallel. One reader thread cuts the stream into chunks of whole lines (counting
 * line breaks, so every chunk knows its first line number); worker threads process chunks; the
 * calling thread writes their output and reports their problems in input order. At most a fixed
 * window of chunks is in flight, so memory stays bounded whatever the input size.
 */
final class Pipeline {
  static final int CHUNK = 4 << 20;
  static final int MAX_LINE = 64 << 20;

  /**
   * Bytes left unused at the end of every chunk buffer, so that the scanner's eight-byte words
   * never reach the end of the array (see {@link JsonScanner#string}).
   */
  static final int PAD = 16;

  /** A run of whole lines: {@code buf[0, len)}, the first of which is line {@code firstLine}. */
  private static final class Chunk {
    final long seq;
    final byte[] buf;
    final int len;
    final long firstLine;
    final boolean tooLong;

    Chunk(long seq, byte[] buf, int len, long firstLine, boolean tooLong) {
      this.seq = seq;
      this.buf = buf;
      this.len = len;
      this.firstLine = firstLine;
      this.tooLong = tooLong;
    }
  }

  /** What a worker made of a chunk. */
  private record Done(Bytes out, List<LineProblem> problems, long bytes, long events, long lines) {}

  private static final Chunk END = new Chunk(-1, new byte[0], 0, 0, false);

  private final List<EventProcessor> workers;
  private final OutputStream out;
  private final Simulator.Listener listener;
  private final String file;
  private final long total;

  /**
   * Whether the reader numbers lines (needed when per-event output carries line numbers); else
   * workers number each chunk from 1 and the emitter adds the lines of earlier chunks.
   */
  private final boolean numbered;

  Pipeline(
      List<EventProcessor> workers,
      OutputStream out,
      Simulator.Listener listener,
      String file,
      long total) {
    this.workers = workers;
    this.out = out;
    this.listener = listener;
    this.file = file;
    this.total = total;
    this.numbered = workers.get(0).perEvent();
  }

  void run(InputStream in) throws IOException {
    int n = workers.size();
    int window = 3 * n + 1;
    BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(window + 1);
    BlockingQueue<Chunk> work = new ArrayBlockingQueue<>(window + n);
    ConcurrentHashMap<Long, Done> done = new ConcurrentHashMap<>();
    LinkedBlockingQueue<Long> signals = new LinkedBlockingQueue<>();
    Semaphore inFlight = new Semaphore(window);
    AtomicReference<@Nullable Throwable> failure = new AtomicReference<>(null);
    long[] chunks = {-1};

    List<Thread> threads = new ArrayList<>();
    for (EventProcessor p : workers) {
      threads.add(
          Thread.ofPlatform()
              .name("vigil-simulate")
              .start(() -> work(p, work, free, done, signals, failure)));
    }
    Thread reader =
        Thread.ofPlatform()
            .name("vigil-read")
            .start(() -> {
              try {
                long count = read(in, work, free, inFlight);
                synchronized (chunks) {
                  chunks[0] = count;
                }
              } catch (Throwable t) {
                failure.compareAndSet(null, t);
              } finally {
                for (int i = 0; i < n; i++) {
                  work.offer(END);
                }
                signals.add(-1L);
              }
            });
    boolean ok = false;
    try {
      emit(done, signals, inFlight, chunks, failure);
      ok = failure.get() == null;
    } finally {
      if (!ok) {
        reader.interrupt();
        threads.forEach(Thread::interrupt);
      }
      join(reader);
      for (Thread t : threads) {
        join(t);
      }
    }
    Throwable t = failure.get();
    if (t instanceof IOException e) {
      throw e;
    }
    if (t instanceof UncheckedIOException e) {
      throw e.getCause();
    }
    if (t != null) {
      throw new IllegalStateException("simulation failed: " + t, t);
    }
  }

  /** Writes results in chunk order as they complete. */
  private void emit(
      ConcurrentHashMap<Long, Done> done,
      LinkedBlockingQueue<Long> signals,
      Semaphore inFlight,
      long[] chunks,
      AtomicReference<@Nullable Throwable> failure)
      throws IOException {
    long next = 0;
    long bytes = 0;
    long events = 0;
    long base = 0;
    while (failure.get() == null) {
      long count;
      synchronized (chunks) {
        count = chunks[0];
      }
      if (count >= 0 && next == count) {
        break;
      }
      try {
        signals.poll(200, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
      Done d;
      while ((d = done.remove(next)) != null) {
        d.out().writeTo(out);
        for (LineProblem p : d.problems()) {
          listener.problem(
              numbered ? p : new LineProblem(p.file(), p.line() + base, p.column(), p.message()));
        }
        base += d.lines();
        bytes += d.bytes();
        events += d.events();
        listener.progress(file, bytes, total, events);
        inFlight.release();
        next++;
      }
    }
  }

  private long read(
      InputStream in, BlockingQueue<Chunk> work, BlockingQueue<byte[]> free, Semaphore inFlight)
      throws IOException, InterruptedException {
    long seq = 0;
    long line = 1;
    byte[] carry = new byte[0];
    int carryLen = 0;
    boolean eof = false;
    while (!eof || carryLen > 0) {
      byte[] buf = free.poll();
      if (buf == null) {
        buf = new byte[CHUNK + PAD];
      }
      if (buf.length < carryLen + CHUNK / 2 + PAD) {
        buf = new byte[Math.min(Math.max(CHUNK, carryLen * 2), MAX_LINE + 1) + PAD];
      }
      System.arraycopy(carry, 0, buf, 0, carryLen);
      int len = carryLen;
      int room = buf.length - PAD;
      while (len < room && !eof) {
        int r = in.read(buf, len, room - len);
        if (r < 0) {
          eof = true;
        } else {
          len += r;
        }
      }
      int cut = lastNewline(buf, carryLen, len);
      boolean tooLong = false;
      if (cut < 0) {
        if (!eof && len <= MAX_LINE) {
          carry = buf;
          carryLen = len;
          continue;
        }
        if (!eof) {
          tooLong = true;
          skipLine(in);
        }
        cut = len;
      } else {
        cut++;
      }
      carryLen = len - cut;
      if (carry.length < carryLen) {
        carry = new byte[Math.max(carryLen, CHUNK / 4)];
      }
      System.arraycopy(buf, cut, carry, 0, carryLen);
      inFlight.acquire();
      work.put(new Chunk(seq++, buf, tooLong ? 0 : cut, line, tooLong));
      if (numbered) {
        line += tooLong ? 1 : Lines.count(buf, 0, cut) + (cut > 0 && buf[cut - 1] != '\n' ? 1 : 0);
      }
      if (eof && carryLen == 0) {
        break;
      }
    }
    return seq;
  }

  private static void skipLine(InputStream in) throws IOException {
    int c;
    while ((c = in.read()) >= 0 && c != '\n') {
      // discard the rest of an overlong line
    }
  }

  private static int lastNewline(byte[] b, int from, int to) {
    for (int i = to - 1; i >= from; i--) {
      if (b[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  private void work(
      EventProcessor p,
      BlockingQueue<Chunk> work,
      BlockingQueue<byte[]> free,
      ConcurrentHashMap<Long, Done> done,
      LinkedBlockingQueue<Long> signals,
      AtomicReference<@Nullable Throwable> failure) {
    try {
      while (true) {
        Chunk c = work.take();
        if (c.seq < 0) {
          return;
        }
        Bytes out = new Bytes(p.perEventCapacity());
        long events = p.tally.events;
        long lines = 1;
        if (c.tooLong) {
          p.problem(
              c.firstLine, 0, "the line is longer than " + (MAX_LINE >> 20) + " MiB: skipped");
        } else {
          lines = lines(p, c, out);
        }
        List<LineProblem> problems = List.copyOf(p.problems);
        p.problems.clear();
        free.offer(c.buf);
        done.put(c.seq, new Done(out, problems, c.len, p.tally.events - events, lines));
        signals.add(c.seq);
      }
    } catch (Throwable t) {
      failure.compareAndSet(null, t);
      signals.add(-1L);
    }
  }

  /** Processes a chunk's lines; returns how many there were. */
  private static long lines(EventProcessor p, Chunk c, Bytes out) {
    byte[] b = c.buf;
    int i = 0;
    long line = c.firstLine;
    while (i < c.len) {
      i = p.line(b, i, c.len, line, out);
      line++;
    }
    return line - c.firstLine;
  }

  private static void join(Thread t) {
    try {
      t.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
