package dev.vigil.k8saudit.policy.simulate;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
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
 * JSON lines in parallel. One reader thread cuts the input into chunks of whole lines (counting
 * line breaks when per-event output needs line numbers); worker threads process chunks; the calling
 * thread writes their output and reports their problems in input order. At most a fixed window of
 * chunks is in flight, so memory stays bounded whatever the input size.
 *
 * <p>A stream (gzip, a pipe) is read by the reader into the chunks' buffers. A file mapped into
 * memory ({@link MappedLog}) is not read by the reader: it only finds where chunks end, and each
 * worker copies its chunk from the mapping into its own buffer, so the copying is shared by the
 * workers and made once (a stream's bytes are copied by the kernel, then again from the JDK's
 * buffer).
 */
final class Pipeline {
  static final int CHUNK = 4 << 20;
  static final int MAX_LINE = 64 << 20;

  /**
   * Bytes left unused at the end of every chunk buffer, so that the scanner's eight-byte words
   * never reach the end of the array (see {@link JsonScanner#string}).
   */
  static final int PAD = 16;

  /**
   * A run of whole lines: {@code buf[0, len)}, or when {@code mapped}, the {@code len} bytes of
   * {@code slice} (of the mapped file); the first line is line {@code firstLine}.
   */
  private static final class Chunk {
    final long seq;
    final byte[] buf;
    final ByteBuffer slice;
    final int len;
    final long firstLine;
    final boolean tooLong;
    final boolean mapped;

    Chunk(long seq, byte[] buf, ByteBuffer slice, int len, long firstLine, boolean tooLong) {
      this.mapped = buf.length == 0;
      this.seq = seq;
      this.buf = buf;
      this.slice = slice;
      this.len = len;
      this.firstLine = firstLine;
      this.tooLong = tooLong;
    }
  }

  /** The buffer of a chunk that is still in the mapped file. */
  private static final byte[] MAPPED = new byte[0];

  /** What a worker made of a chunk. */
  private record Done(Bytes out, List<LineProblem> problems, long bytes, long events, long lines) {}

  private static final ByteBuffer NO_SLICE = ByteBuffer.allocate(0);

  private static final Chunk END = new Chunk(-1, new byte[0], NO_SLICE, 0, 0, false);

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

  /** Processes the JSON lines of a stream. */
  void run(InputStream in) throws IOException {
    run((work, free, inFlight) -> read(in, work, free, inFlight));
  }

  /** Processes the JSON lines of a file mapped into memory. */
  void run(MappedLog file) throws IOException {
    run((work, free, inFlight) -> cut(file, work, inFlight));
  }

  /** The reader: hands chunks to the workers; returns how many there were. */
  private interface Reader {
    long read(BlockingQueue<Chunk> work, BlockingQueue<byte[]> free, Semaphore inFlight)
        throws IOException, InterruptedException;
  }

  private void run(Reader source) throws IOException {
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
                long count = source.read(work, free, inFlight);
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
    if (t instanceof InternalError e) {
      // how the JVM reports a fault in a mapping: the file was cut short while it was read
      throw new IOException("the file became shorter while it was read", e);
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
      work.put(new Chunk(seq++, buf, NO_SLICE, tooLong ? 0 : cut, line, tooLong));
      if (numbered) {
        line += tooLong ? 1 : Lines.count(buf, 0, cut) + (cut > 0 && buf[cut - 1] != '\n' ? 1 : 0);
      }
      if (eof && carryLen == 0) {
        break;
      }
    }
    return seq;
  }

  /**
   * Cuts a mapped file into chunks of whole lines, as {@link #read} cuts a stream: at most {@link
   * #CHUNK} bytes, or one line up to {@link #MAX_LINE}; a longer line is a chunk of its own marked
   * too long.
   */
  private long cut(MappedLog f, BlockingQueue<Chunk> work, Semaphore inFlight)
      throws IOException, InterruptedException {
    long size = f.size();
    long seq = 0;
    long line = 1;
    long pos = 0;
    while (pos < size) {
      f.cover(pos, Math.min(size, pos + MAX_LINE + CHUNK));
      long end = Math.min(pos + CHUNK, size);
      boolean tooLong = false;
      if (end < size) {
        long nl = f.lastNewline(pos, end);
        if (nl < 0) {
          nl = f.indexOf(end, Math.min(size, pos + MAX_LINE));
        }
        if (nl >= 0) {
          end = nl + 1;
        } else if (pos + MAX_LINE >= size) {
          end = size;
        } else {
          tooLong = true;
          long skip = f.nextNewline(pos + MAX_LINE);
          end = skip < 0 ? size : skip + 1;
        }
      }
      if (tooLong) {
        inFlight.acquire();
        work.put(new Chunk(seq++, MAPPED, NO_SLICE, 0, line, true));
        line += numbered ? 1 : 0;
      } else {
        int len = (int) (end - pos);
        inFlight.acquire();
        work.put(new Chunk(seq++, MAPPED, f.slice(pos, len), len, line, false));
        if (numbered) {
          line += f.count(pos, end) + (f.at(end - 1) != '\n' ? 1 : 0);
        }
      }
      pos = end;
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
    byte[] own = new byte[0];
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
        } else if (c.mapped) {
          if (own.length < c.len + PAD) {
            own = new byte[Math.max(c.len, CHUNK) + PAD];
          }
          c.slice.get(0, own, 0, c.len);
          lines = lines(p, own, c, out);
        } else {
          lines = lines(p, c.buf, c, out);
        }
        List<LineProblem> problems = List.copyOf(p.problems);
        p.problems.clear();
        if (!c.mapped) {
          free.offer(c.buf);
        }
        done.put(c.seq, new Done(out, problems, c.len, p.tally.events - events, lines));
        signals.add(c.seq);
      }
    } catch (Throwable t) {
      failure.compareAndSet(null, t);
      signals.add(-1L);
    }
  }

  /** Processes a chunk's lines, in {@code b}; returns how many there were. */
  private static long lines(EventProcessor p, byte[] b, Chunk c, Bytes out) {
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
