package dev.vigil.posture.fix;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A unified diff of an input and its fixed text, built from the edits themselves (they are already
 * minimal), with three lines of context as {@code diff -u} prints. It is written as the input is
 * read, document by document ({@link Writer}); only the lines that a hunk still open may show are
 * kept.
 */
public final class UnifiedDiff {
  private static final int CONTEXT = 3;

  private UnifiedDiff() {}

  private static final String NO_NEWLINE = "\\ No newline at end of file\n";

  /**
   * One changed region: old lines {@code [from, to)} (0-based, in the input) become {@code lines};
   * {@code open} when the last of them has no line break (the fixed text ends there).
   */
  private record Change(int from, int to, List<String> lines, boolean open) {}

  /** The diff of a whole text. */
  public static String diff(String name, String old, List<Edit> edits) {
    StringBuilder out = new StringBuilder();
    Writer w = new Writer(name, out);
    w.add(old, 0, edits);
    w.finish();
    return out.toString();
  }

  /**
   * Writes the diff of one input whose text comes in consecutive pieces that start at line starts.
   */
  public static final class Writer {
    private final String name;
    private final Appendable out;

    /** Old lines kept, the first being line {@code keptFrom}. */
    private final ArrayDeque<String> kept = new ArrayDeque<>();

    private int keptFrom;

    /** Lines seen so far. */
    private int seen;

    /** Changes of the hunk not yet written. */
    private final List<Change> pending = new ArrayList<>();

    /** New minus old lines of the hunks written. */
    private int shift;

    private boolean header;

    /** The input's last line when it has no line break (then {@code diff -u} says so), or -1. */
    private int unterminated = -1;

    public Writer(String name, Appendable out) {
      this.name = name;
      this.out = out;
    }

    /**
     * The next piece of the old text, starting at 0-based line {@code firstLine} of the input, and
     * its edits (indices into {@code old}).
     */
    public void add(String old, int firstLine, List<Edit> edits) {
      for (String l : split(old)) {
        if (kept.isEmpty()) {
          keptFrom = seen;
        }
        kept.addLast(l);
        seen++;
      }
      if (!old.isEmpty() && !old.endsWith("\n")) {
        unterminated = seen - 1; // only the last piece of an input can end so
      }
      for (Change c : changes(old, edits)) {
        Change abs = new Change(c.from() + firstLine, c.to() + firstLine, c.lines(), c.open());
        if (!pending.isEmpty() && abs.from() - pending.getLast().to() > 2 * CONTEXT) {
          writeHunk();
        }
        pending.add(abs);
      }
      if (!pending.isEmpty() && seen - pending.getLast().to() > 2 * CONTEXT) {
        writeHunk(); // no later change can join this hunk
      }
      trim();
    }

    /** Writes what is pending; call once the whole input was added. */
    public void finish() {
      if (!pending.isEmpty()) {
        writeHunk();
      }
    }

    /** Drops the lines no hunk can show any more. */
    private void trim() {
      int need = pending.isEmpty() ? seen - CONTEXT : pending.getFirst().from() - CONTEXT;
      while (!kept.isEmpty() && keptFrom < need) {
        kept.removeFirst();
        keptFrom++;
      }
    }

    private void oldLine(StringBuilder body, char mark, int line, List<String> window) {
      body.append(mark).append(window.get(line - keptFrom)).append('\n');
      if (line == unterminated) {
        body.append(NO_NEWLINE);
      }
    }

    private void writeHunk() {
      List<String> window = new ArrayList<>(kept);
      int hFrom = Math.max(0, pending.getFirst().from() - CONTEXT);
      int hTo = Math.min(seen, pending.getLast().to() + CONTEXT);
      StringBuilder body = new StringBuilder();
      int oldCount = 0;
      int newCount = 0;
      int at = hFrom;
      int localShift = 0;
      for (Change ch : pending) {
        for (; at < ch.from(); at++, oldCount++, newCount++) {
          oldLine(body, ' ', at, window);
        }
        for (int l = ch.from(); l < ch.to(); l++, oldCount++) {
          oldLine(body, '-', l, window);
        }
        for (String l : ch.lines()) {
          body.append('+').append(l).append('\n');
          newCount++;
        }
        if (ch.open() && !ch.lines().isEmpty()) {
          body.append(NO_NEWLINE);
        }
        localShift += ch.lines().size() - (ch.to() - ch.from());
        at = ch.to();
      }
      for (; at < hTo; at++, oldCount++, newCount++) {
        oldLine(body, ' ', at, window);
      }
      try {
        if (!header) {
          out.append("--- ").append(name).append('\n').append("+++ ").append(name).append('\n');
          header = true;
        }
        out.append("@@ -")
            .append(range(hFrom, oldCount))
            .append(" +")
            .append(range(hFrom + shift, newCount))
            .append(" @@\n")
            .append(body);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      shift += localShift;
      pending.clear();
    }
  }

  /** The changed regions of one text, in its own (0-based) lines. */
  private static List<Change> changes(String old, List<Edit> edits) {
    List<Change> changes = new ArrayList<>();
    if (edits.isEmpty()) {
      return changes;
    }
    List<Integer> starts = lineStarts(old);
    List<Edit> sorted = new ArrayList<>(edits);
    sorted.sort(Comparator.comparingInt(Edit::start));
    int i = 0;
    while (i < sorted.size()) {
      int from = startLine(starts, old, sorted.get(i));
      int to = endLine(starts, old, sorted.get(i));
      int j = i + 1;
      while (j < sorted.size() && lineOf(starts, sorted.get(j).start()) < Math.max(to, from + 1)) {
        to = Math.max(to, endLine(starts, old, sorted.get(j)));
        j++;
      }
      int base = from < starts.size() ? starts.get(from) : old.length();
      int limit = to < starts.size() ? starts.get(to) : old.length();
      List<Edit> local = new ArrayList<>();
      for (Edit e : sorted.subList(i, j)) {
        local.add(new Edit(e.start() - base, e.end() - base, e.text()));
      }
      String replaced = Edit.apply(old.substring(base, limit), local);
      changes.add(
          new Change(from, to, split(replaced), !replaced.isEmpty() && !replaced.endsWith("\n")));
      i = j;
    }
    return changes;
  }

  private static String range(int from, int count) {
    return (count == 0 ? from : from + 1) + "," + count;
  }

  private static List<Integer> lineStarts(String s) {
    List<Integer> out = new ArrayList<>();
    out.add(0);
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == '\n' && i + 1 < s.length()) {
        out.add(i + 1);
      }
    }
    return out;
  }

  private static int lineOf(List<Integer> starts, int offset) {
    int lo = 0;
    int hi = starts.size() - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (starts.get(mid) <= offset) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo;
  }

  private static boolean atEnd(String old, Edit e) {
    return e.start() == old.length() && (old.isEmpty() || old.endsWith("\n"));
  }

  private static int startLine(List<Integer> starts, String old, Edit e) {
    return atEnd(old, e) ? (old.isEmpty() ? 0 : starts.size()) : lineOf(starts, e.start());
  }

  /** The exclusive end line of an edit: an insertion at a line start touches no old line. */
  private static int endLine(List<Integer> starts, String old, Edit e) {
    if (atEnd(old, e)) {
      return startLine(starts, old, e);
    }
    int from = lineOf(starts, e.start());
    if (e.start() == e.end() && starts.get(from) == e.start()) {
      return from;
    }
    int endOff = Math.max(e.start(), e.end() - 1);
    return Math.max(from + 1, lineOf(starts, endOff) + 1);
  }

  private static List<String> split(String s) {
    List<String> out = new ArrayList<>();
    int at = 0;
    while (at < s.length()) {
      int nl = s.indexOf('\n', at);
      if (nl < 0) {
        out.add(s.substring(at));
        break;
      }
      out.add(s.substring(at, nl)); // a CR stays: the diff must apply to a CRLF file
      at = nl + 1;
    }
    return out;
  }
}
