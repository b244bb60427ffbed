package dev.vigil.k8saudit.event;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A JSON lines file read on several threads, with the same results as {@link AuditReader} on one.
 *
 * <p>The file is cut into fixed byte ranges ({@link #chunkBytes}); the worker that takes a range
 * reads it itself (positional reads, so the threads read in parallel), handles the lines that
 * <em>start</em> in it (the first one starts after the first line break at or after the range's
 * first byte; the last one may run into the next range, which then skips it) and counts them. The
 * calling thread writes each range's output and reports its problems in file order, adding the
 * lines of the ranges before it to the problems' line numbers, so output and diagnostics are byte
 * for byte those of the sequential reader. At most a fixed window of ranges is taken and not yet
 * written, so memory stays bounded whatever the file size.
 *
 * <p>Only plain JSON lines files qualify (regular, uncompressed, not a JSON document, at least
 * {@link #minBytes} long): everything else is left to {@link AuditReader}. Events are handed to the
 * workers without a line number (counting lines ahead of the workers would cost a pass over the
 * file).
 */
public final class ParallelReader {
  /** Bytes per range: small enough to stay in the cache between reading and scanning. */
  public static final int CHUNK_BYTES = 1 << 20;

  /**
   * Bytes of the next range read with each range, so that the line that crosses into it (an event
   * is about a kilobyte) is read whole without reading the file again.
   */
  private static final int OVERHANG = 64 << 10;

  /** Files shorter than this are read on one thread. */
  public static final long MIN_BYTES = 4L << 20;

  /** One per thread: receives the events of the ranges its thread takes. */
  public interface Worker {
    /**
     * An event; whatever it writes to {@code out} is output in file order. The view is valid only
     * during the call.
     */
    void event(AuditEvent event, ByteOutput out);

    /**
     * The test that spares this worker the lines it would ignore (see {@link
     * AuditReader.Sink#prefilter}); by default none.
     */
    default Prefilter prefilter() {
      return Prefilter.none();
    }
  }

  private final int chunkBytes;
  private final long minBytes;

  public ParallelReader() {
    this(CHUNK_BYTES, MIN_BYTES);
  }

  /** With other range and minimum sizes (tests cut small files into many ranges). */
  public ParallelReader(int chunkBytes, long minBytes) {
    if (chunkBytes < 2) {
      throw new IllegalArgumentException("chunkBytes < 2");
    }
    this.chunkBytes = chunkBytes;
    this.minBytes = minBytes;
  }

  /**
   * Reads {@code file} with one thread per worker when it qualifies (see the class comment) and
   * there are at least two workers; otherwise reads nothing and returns empty, and the caller reads
   * the file sequentially.
   *
   * @param problems receives the problems, in file order, on the calling thread
   * @param out receives the workers' output, in file order, on the calling thread
   */
  public Optional<AuditReader.Stats> read(
      Path file, List<? extends Worker> workers, Consumer<InputProblem> problems, OutputStream out)
      throws IOException {
    if (workers.size() < 2 || !Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size < minBytes || size < 2L * chunkBytes || !plainLines(ch, size)) {
        return Optional.empty();
      }
      Run run = new Run(ch, size, file.toString(), workers, problems, out);
      return Optional.of(run.go());
    }
  }

  private static boolean plainLines(FileChannel ch, long size) throws IOException {
    int n = (int) Math.min(size, AuditReader.CHUNK);
    byte[] head = new byte[n];
    int len = readFully(ch, head, 0, n, 0);
    return new AuditReader().isPlainLines(head, len);
  }

  /** Reads up to {@code n} bytes at {@code pos}; fewer only at the end of the file. */
  private static int readFully(FileChannel ch, byte[] b, int off, int n, long pos)
      throws IOException {
    ByteBuffer bb = ByteBuffer.wrap(b, off, n);
    int got = 0;
    while (got < n) {
      int r = ch.read(bb, pos + got);
      if (r < 0) {
        break;
      }
      got += r;
    }
    return got;
  }

  /** What a worker made of a range. */
  private record Done(ByteOutput out, List<InputProblem> problems, long events, long lines) {}

  /** One read of one file. */
  private final class Run {
    private final FileChannel ch;
    private final long size;
    private final String name;
    private final List<? extends Worker> workers;
    private final Consumer<InputProblem> problems;
    private final OutputStream out;
    private final long chunks;
    private final int window;

    /** Guards everything below. */
    private final Object lock = new Object();

    private final @Nullable Done[] done;
    private final ArrayDeque<ByteOutput> free = new ArrayDeque<>();
    private long taken;
    private long written;
    private @Nullable Throwable failure;

    @SuppressWarnings("unchecked")
    Run(
        FileChannel ch,
        long size,
        String name,
        List<? extends Worker> workers,
        Consumer<InputProblem> problems,
        OutputStream out) {
      this.ch = ch;
      this.size = size;
      this.name = name;
      this.workers = workers;
      this.problems = problems;
      this.out = out;
      this.chunks = (size + chunkBytes - 1) / chunkBytes;
      this.window = 2 * workers.size() + 2;
      this.done = new Done[window];
    }

    AuditReader.Stats go() throws IOException {
      List<Thread> threads = new ArrayList<>();
      for (Worker w : workers) {
        // room for the workers' condition matchers to recurse as deep as the parser allows
        threads.add(
            Thread.ofPlatform().name("vigil-read").stackSize(16 << 20).start(() -> work(w)));
      }
      long events = 0;
      long count = 0;
      long base = 0;
      try {
        for (long k = 0; k < chunks; k++) {
          Done d = next(k);
          try {
            d.out().drainTo(out);
          } catch (IOException e) {
            throw new UncheckedIOException(e); // writing, not reading, failed
          }
          for (InputProblem p : d.problems()) {
            count++;
            problems.accept(new InputProblem(p.source(), p.line() + base, p.column(), p.message()));
          }
          base += d.lines();
          events += d.events();
          synchronized (lock) {
            if (d.out().capacity() <= 4L * chunkBytes + (1 << 16)) {
              free.push(d.out()); // reused; one grown by a huge line is left to the GC
            }
            written = k + 1;
            lock.notifyAll();
          }
        }
      } catch (IOException | RuntimeException | Error e) {
        fail(e);
        throw e;
      } finally {
        for (Thread t : threads) {
          join(t);
        }
      }
      return new AuditReader.Stats(events, count, size);
    }

    /** Waits for range {@code k}'s result. */
    private Done next(long k) throws IOException {
      synchronized (lock) {
        while (true) {
          Throwable t = failure;
          if (t != null) {
            if (t instanceof IOException e) {
              throw new IOException(e.getMessage(), e);
            }
            if (t instanceof UncheckedIOException e) {
              throw e;
            }
            if (t instanceof Error e) {
              throw e; // out of memory, stack overflow: as on the sequential path
            }
            throw new IllegalStateException("reading " + name + " failed: " + t, t);
          }
          int slot = (int) (k % window);
          Done d = done[slot];
          if (d != null) {
            done[slot] = null;
            return d;
          }
          waitOn();
        }
      }
    }

    private void fail(Throwable t) {
      synchronized (lock) {
        if (failure == null) {
          failure = t;
        }
        lock.notifyAll();
      }
    }

    @SuppressWarnings("WaitNotInLoop") // every caller waits in a loop on its condition
    private void waitOn() {
      try {
        lock.wait();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }

    private void work(Worker w) {
      Range r = new Range(new AuditReader(), w);
      try {
        while (true) {
          long k;
          ByteOutput o;
          synchronized (lock) {
            while (failure == null && taken < chunks && taken - written >= window) {
              waitOn();
            }
            if (failure != null || taken >= chunks) {
              return;
            }
            k = taken++;
            ByteOutput f = free.poll();
            o = f != null ? f : new ByteOutput(1 << 16);
          }
          Done d = r.run(k, o);
          synchronized (lock) {
            done[(int) (k % window)] = d;
            lock.notifyAll();
          }
        }
      } catch (Throwable t) {
        fail(t);
      }
    }

    /** A worker's reading state: its reader and buffer. */
    private final class Range implements AuditReader.Sink {
      private final AuditReader reader;
      private final Worker worker;
      private final int maxEvent;
      private byte[] buf = new byte[chunkBytes + 1 + OVERHANG];
      private final List<InputProblem> found = new ArrayList<>();
      private ByteOutput o = new ByteOutput(16);

      /** File offset of {@code buf[0]}, and the valid bytes in it. */
      private long base;

      private int len;
      private boolean eof;

      Range(AuditReader reader, Worker worker) {
        this.reader = reader;
        this.worker = worker;
        this.maxEvent = reader.maxEvent();
      }

      @Override
      public void event(AuditEvent event, long line) {
        worker.event(event, o);
      }

      @Override
      public void problem(InputProblem problem) {
        found.add(problem);
      }

      @Override
      public Prefilter prefilter() {
        return worker.prefilter();
      }

      /** Handles the lines that start in range {@code k}. */
      Done run(long k, ByteOutput output) throws IOException {
        o = output;
        found.clear();
        if (buf.length > 4L * chunkBytes + 1 + OVERHANG) {
          buf = new byte[chunkBytes + 1 + OVERHANG]; // grown for a long line: give it back
        }
        reader.resetCounts();
        long from = k * chunkBytes;
        long to = k == chunks - 1 ? Long.MAX_VALUE : from + chunkBytes;
        // a line starts at `from` iff the byte before it is a line break: read from there
        base = Math.max(0, from - 1);
        // with the start of the next range, where the last line that starts here usually ends
        long upTo = to == Long.MAX_VALUE ? size : Math.min(size, to + OVERHANG);
        len = readFully(ch, buf, 0, (int) (upTo - base), base);
        eof = base + len >= size;
        int pos = 0;
        if (k > 0) {
          int nl = JsonScanner.newline(buf, 0, len);
          if (nl >= len || base + nl + 1 >= to) {
            return new Done(o, List.of(), 0, 0); // no line starts here
          }
          pos = nl + 1;
        }
        long lines = 0;
        while (pos >= 0 && base + pos < to) {
          pos = line(pos, ++lines);
        }
        return new Done(o, List.copyOf(found), reader.eventCount(), lines);
      }

      /**
       * Handles the line that starts at {@code buf[pos]}; returns where the next one starts, or -1
       * at the end of the file.
       */
      private int line(int pos, long line) throws IOException {
        // a line the prefilter rules out from its first bytes is looked at no further than its end
        int ahead = worker.prefilter().rejectsAhead(buf, pos, len);
        if (ahead >= 0) {
          int nl = JsonScanner.newline(buf, ahead, len);
          if ((nl < len || eof) && nl - pos < maxEvent) {
            reader.rejected();
            return nl < len ? nl + 1 : -1;
          }
        }
        int nl = JsonScanner.newline(buf, pos, len);
        while (nl >= len && !eof) {
          if (len - pos >= maxEvent) {
            reader.problem(
                this, name, line, 0, "line longer than " + (maxEvent >> 20) + " MiB; skipped");
            return skipRest();
          }
          int before = len - pos;
          more(pos);
          nl = JsonScanner.newline(buf, before, len);
          pos = 0;
        }
        if (nl - pos >= maxEvent) {
          reader.problem(
              this, name, line, 0, "line longer than " + (maxEvent >> 20) + " MiB; skipped");
        } else {
          int end = nl > pos && buf[nl - 1] == '\r' ? nl - 1 : nl;
          if (JsonScanner.ws(buf, pos, end) < end) {
            reader.line(buf, pos, end, name, line, this);
          }
        }
        return nl < len ? nl + 1 : -1;
      }

      /**
       * Moves the line that starts at {@code pos} to the front of the buffer (growing it when it is
       * full) and reads more of the file after it.
       */
      private void more(int pos) throws IOException {
        int keep = len - pos;
        if (pos == 0) {
          buf = java.util.Arrays.copyOf(buf, (int) Math.min((long) buf.length * 2, maxEvent + 1L));
        } else {
          System.arraycopy(buf, pos, buf, 0, keep);
        }
        base += pos;
        int n = readFully(ch, buf, keep, buf.length - keep, base + keep);
        len = keep + n;
        eof = n < buf.length - keep;
      }

      /** Skips the rest of an overlong line; returns where the next line starts, or -1. */
      private int skipRest() throws IOException {
        while (true) {
          base += len;
          len = readFully(ch, buf, 0, buf.length, base);
          eof = len < buf.length;
          int nl = JsonScanner.newline(buf, 0, len);
          if (nl < len) {
            return nl + 1;
          }
          if (eof) {
            return -1;
          }
        }
      }
    }
  }

  private static void join(Thread t) {
    boolean interrupted = false;
    while (true) {
      try {
        t.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
