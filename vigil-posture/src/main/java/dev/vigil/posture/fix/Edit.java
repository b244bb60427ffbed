package dev.vigil.posture.fix;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Replace {@code [start, end)} of the text (String offsets) with {@code text}. */
public record Edit(int start, int end, String text) {
  /** Applies non-overlapping edits; edits at the same offset apply in list order. */
  public static String apply(String source, List<Edit> edits) {
    List<Edit> sorted = new ArrayList<>(edits);
    sorted.sort(Comparator.comparingInt(Edit::start));
    StringBuilder out = new StringBuilder(source.length() + 256);
    int at = 0;
    for (Edit e : sorted) {
      if (e.start() < at) {
        continue; // overlaps an earlier edit: the planner never produces this
      }
      out.append(source, at, e.start()).append(e.text());
      at = e.end();
    }
    return out.append(source, at, source.length()).toString();
  }
}
