package dev.vigil.k8saudit.policy.simulate;

import dev.vigil.k8saudit.policy.Policy;
import dev.vigil.k8saudit.policy.check.PolicyEvaluator;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Replays audit logs through a policy (and optionally a second one to compare with). Formats: JSON
 * lines as the log backend writes them, gzip-compressed or not (rotated backups); webhook {@code
 * EventList} bodies; JSON arrays; pretty-printed events. Lines that are not audit events are
 * reported through the {@link Listener} and skipped; the rest is processed.
 */
public final class Simulator {
  /** Problems kept per chunk; more are counted, not described. */
  static final int MAX_PROBLEMS_KEPT = 1000;

  /**
   * How to run.
   *
   * @param threads worker threads for JSON lines (at least 1)
   * @param perEvent whether to write one JSON line per event to the output
   * @param top how many identities and resources the summary lists
   */
  public record Options(int threads, boolean perEvent, int top) {
    public Options {
      threads = Math.max(1, threads);
    }
  }

  /** Receives problems in input order, and progress. */
  public interface Listener {
    void problem(LineProblem problem);

    /** Called after each chunk: bytes and events done in {@code file}, of {@code total} bytes. */
    void progress(String file, long bytes, long total, long events);
  }

  private final PolicyEvaluator policy;
  private final Optional<PolicyEvaluator> compare;
  private final Options options;

  public Simulator(PolicyEvaluator policy, Optional<PolicyEvaluator> compare, Options options) {
    this.policy = policy;
    this.compare = compare;
    this.options = options;
  }

  /** Processes the files in order, writing per-event lines to {@code out} if asked. */
  public Summary run(List<Path> files, OutputStream out, Listener listener) throws IOException {
    List<EventProcessor> workers = new ArrayList<>();
    for (int i = 0; i < options.threads(); i++) {
      workers.add(new EventProcessor(policy, compare, options.perEvent()));
    }
    for (Path f : files) {
      String name = f.toString();
      workers.forEach(w -> w.file(name));
      try {
        if (!mapped(f, workers, out, listener)) {
          try (InputStream raw = Files.newInputStream(f)) {
            process(name, raw, Files.size(f), workers, out, listener);
          }
        }
      } catch (IOException e) {
        throw new IOException(name + ": " + reason(e), e);
      }
    }
    Tally total = workers.get(0).tally;
    for (int i = 1; i < workers.size(); i++) {
      total.merge(workers.get(i).tally);
    }
    Optional<Policy> cmp = compare.map(PolicyEvaluator::policy);
    return total.summary(files.size(), policy.policy(), cmp, options.top());
  }

  /**
   * Processes a regular file of JSON lines mapped into memory (see {@link Pipeline}); false, having
   * read nothing, for anything else (gzip, JSON documents, empty files, pipes), which is read as a
   * stream.
   */
  private static boolean mapped(
      Path f, List<EventProcessor> workers, OutputStream out, Listener listener)
      throws IOException {
    if (!Files.isRegularFile(f)) {
      return false;
    }
    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
      long size = ch.size();
      ByteBuffer head = ByteBuffer.allocate((int) Math.min(size, 1 << 16));
      while (head.hasRemaining() && ch.read(head, head.position()) > 0) {
        // the first bytes tell gzip and JSON documents from JSON lines
      }
      byte[] h = java.util.Arrays.copyOf(head.array(), head.position());
      if (size == 0
          || (h.length >= 2 && (h[0] & 0xff) == 0x1f && (h[1] & 0xff) == 0x8b)
          || isDocument(new java.io.ByteArrayInputStream(h))) {
        return false;
      }
      new Pipeline(workers, out, listener, f.toString(), size).run(new MappedLog(ch, size));
      return true;
    }
  }

  private static void process(
      String name,
      InputStream raw,
      long size,
      List<EventProcessor> workers,
      OutputStream out,
      Listener listener)
      throws IOException {
    BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
    if (!gzip(in)) {
      content(name, in, size, workers, out, listener);
      return;
    }
    GzipInput gz;
    try {
      gz = GzipInput.open(in);
    } catch (IOException e) {
      if (!GzipInput.damaged(e)) {
        throw e;
      }
      fileProblem(
          workers, listener, new LineProblem(name, 1, 1, "not a readable gzip file: " + reason(e)));
      return;
    }
    content(name, new BufferedInputStream(gz, 1 << 16), -1, workers, out, listener);
    Optional<String> damage = gz.damage();
    if (damage.isPresent()) {
      fileProblem(workers, listener, new LineProblem(name, gz.line(), 0, damage.get()));
    }
  }

  /** Processes the (decompressed) content of one file: JSON lines or JSON documents. */
  private static void content(
      String name,
      InputStream content,
      long total,
      List<EventProcessor> workers,
      OutputStream out,
      Listener listener)
      throws IOException {
    if (isDocument(content)) {
      byte[] doc = readAll(content);
      EventProcessor p = workers.get(0);
      Bytes bytes = new Bytes(p.perEventCapacity());
      DocumentInput.process(p, doc, doc.length, bytes);
      bytes.writeTo(out);
      p.problems.forEach(listener::problem);
      p.problems.clear();
      listener.progress(name, doc.length, total, p.tally.events);
      return;
    }
    new Pipeline(workers, out, listener, name, total).run(content);
  }

  /** A problem with a whole file (or its rest): reported and counted as one skipped input. */
  private static void fileProblem(
      List<EventProcessor> workers, Listener listener, LineProblem problem) {
    workers.get(0).tally.skipped++;
    listener.problem(problem);
  }

  private static String reason(IOException e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  private static boolean gzip(BufferedInputStream in) throws IOException {
    in.mark(2);
    int a = in.read();
    int b = in.read();
    in.reset();
    return a == 0x1f && b == 0x8b;
  }

  /**
   * A JSON document rather than JSON lines: the first non-blank character opens an array, or the
   * first line is nothing but an opening brace (pretty-printed).
   */
  static boolean isDocument(InputStream in) throws IOException {
    int peek = 1 << 16;
    in.mark(peek);
    byte[] head = in.readNBytes(peek);
    in.reset();
    int i = 0;
    if (head.length >= 3 && (head[0] & 0xff) == 0xef && (head[1] & 0xff) == 0xbb) {
      i = 3;
    }
    i = EventScanner.ws(head, i, head.length);
    if (i >= head.length) {
      return false;
    }
    if (head[i] == '[') {
      return true;
    }
    if (head[i] != '{') {
      return false;
    }
    int j = i + 1;
    while (j < head.length && (head[j] == ' ' || head[j] == '\t' || head[j] == '\r')) {
      j++;
    }
    return j < head.length && head[j] == '\n';
  }

  private static byte[] readAll(InputStream in) throws IOException {
    byte[] b = in.readNBytes(DocumentInput.MAX_BYTES + 1);
    if (b.length > DocumentInput.MAX_BYTES) {
      throw new IOException(
          "a JSON document larger than "
              + (DocumentInput.MAX_BYTES >> 20)
              + " MiB; write the events as JSON lines instead");
    }
    return b;
  }
}
