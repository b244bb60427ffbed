package dev.vigil.posture.fix;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A unified diff of an input and its fixed text, built from the edits themselves (they are already
 * minimal), with three lines of context as {@code diff -u} prints.
 */
public final class UnifiedDiff {
  private static final int CONTEXT = 3;

  private UnifiedDiff() {}

  /** One changed region: old lines {@code [from, to)} become {@code lines}. */
  private record Change(int from, int to, List<String> lines) {}

  public static String diff(String name, String old, List<Edit> edits) {
    if (edits.isEmpty()) {
      return "";
    }
    List<Integer> starts = lineStarts(old);
    List<Edit> sorted = new ArrayList<>(edits);
    sorted.sort(Comparator.comparingInt(Edit::start));
    List<Change> changes = new ArrayList<>();
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
      changes.add(new Change(from, to, split(replaced)));
      i = j;
    }
    List<String> oldLines = split(old);
    StringBuilder out = new StringBuilder();
    out.append("--- ").append(name).append('\n').append("+++ ").append(name).append('\n');
    int c = 0;
    int shift = 0;
    while (c < changes.size()) {
      int d = c;
      while (d + 1 < changes.size()
          && changes.get(d + 1).from() - changes.get(d).to() <= 2 * CONTEXT) {
        d++;
      }
      int hFrom = Math.max(0, changes.get(c).from() - CONTEXT);
      int hTo = Math.min(oldLines.size(), changes.get(d).to() + CONTEXT);
      StringBuilder body = new StringBuilder();
      int oldCount = 0;
      int newCount = 0;
      int at = hFrom;
      int localShift = 0;
      for (int k = c; k <= d; k++) {
        Change ch = changes.get(k);
        for (; at < ch.from(); at++, oldCount++, newCount++) {
          body.append(' ').append(oldLines.get(at)).append('\n');
        }
        for (int l = ch.from(); l < ch.to(); l++, oldCount++) {
          body.append('-').append(oldLines.get(l)).append('\n');
        }
        for (String l : ch.lines()) {
          body.append('+').append(l).append('\n');
          newCount++;
        }
        localShift += ch.lines().size() - (ch.to() - ch.from());
        at = ch.to();
      }
      for (; at < hTo; at++, oldCount++, newCount++) {
        body.append(' ').append(oldLines.get(at)).append('\n');
      }
      out.append("@@ -")
          .append(range(hFrom, oldCount))
          .append(" +")
          .append(range(hFrom + shift, newCount))
          .append(" @@\n")
          .append(body);
      shift += localShift;
      c = d + 1;
    }
    return out.toString();
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
      int end = nl > at && s.charAt(nl - 1) == '\r' ? nl - 1 : nl;
      out.add(s.substring(at, end));
      at = nl + 1;
    }
    return out;
  }
}
