package dev.vigil.k8saudit.policy.simulate;

import dev.vigil.k8saudit.policy.Level;
import dev.vigil.k8saudit.policy.Policy;
import dev.vigil.k8saudit.policy.simulate.Summary.LevelChange;
import dev.vigil.k8saudit.policy.simulate.Summary.LevelRow;
import dev.vigil.k8saudit.policy.simulate.Summary.RuleRow;
import dev.vigil.k8saudit.policy.simulate.Summary.Top;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Counts of one thread; merged into a {@link Summary} at the end. */
final class Tally {
  /** Per-policy counters; index {@code rules} (the last) is "no rule". */
  static final class Counts {
    final long[] ruleEvents;
    final long[] ruleWritten;
    final long[] ruleBytes;
    final long[] levelEvents = new long[4];
    final long[] levelWritten = new long[4];
    final long[] levelBytes = new long[4];
    long under;

    Counts(int rules) {
      ruleEvents = new long[rules + 1];
      ruleWritten = new long[rules + 1];
      ruleBytes = new long[rules + 1];
    }

    void add(int rule, Level level, boolean written, long bytes) {
      int r = rule < 0 ? ruleEvents.length - 1 : rule;
      ruleEvents[r]++;
      levelEvents[idx(level)]++;
      if (written) {
        ruleWritten[r]++;
        ruleBytes[r] += bytes;
        levelWritten[idx(level)]++;
        levelBytes[idx(level)] += bytes;
      }
    }

    void merge(Counts o) {
      for (int i = 0; i < ruleEvents.length; i++) {
        ruleEvents[i] += o.ruleEvents[i];
        ruleWritten[i] += o.ruleWritten[i];
        ruleBytes[i] += o.ruleBytes[i];
      }
      for (int i = 0; i < 4; i++) {
        levelEvents[i] += o.levelEvents[i];
        levelWritten[i] += o.levelWritten[i];
        levelBytes[i] += o.levelBytes[i];
      }
      under += o.under;
    }

    Summary.Result result(Policy p) {
      List<RuleRow> rules = new ArrayList<>();
      for (int i = 0; i <= p.rules().size(); i++) {
        boolean none = i == p.rules().size();
        rules.add(
            new RuleRow(
                none ? -1 : i,
                none ? Level.NONE : p.rules().get(i).level(),
                ruleEvents[i],
                ruleWritten[i],
                ruleBytes[i]));
      }
      List<LevelRow> levels = new ArrayList<>();
      long written = 0;
      long bytes = 0;
      for (Level l : Level.values()) {
        int i = idx(l);
        levels.add(new LevelRow(l, levelEvents[i], levelWritten[i], levelBytes[i]));
        written += levelWritten[i];
        bytes += levelBytes[i];
      }
      return new Summary.Result(rules, levels, written, bytes, under);
    }
  }

  /**
   * Key of a resource: group, resource, subresource (or a non-resource path). Equality and hash are
   * written out: a record's generated ones are linked through method handles on first use, which
   * costs a short command more start-up than the comparisons themselves.
   */
  record ResourceKey(String group, String resource, String subresource, String path) {
    @Override
    public boolean equals(Object o) {
      return o instanceof ResourceKey k
          && group.equals(k.group)
          && resource.equals(k.resource)
          && subresource.equals(k.subresource)
          && path.equals(k.path);
    }

    @Override
    public int hashCode() {
      return ((group.hashCode() * 31 + resource.hashCode()) * 31 + subresource.hashCode()) * 31
          + path.hashCode();
    }

    String label() {
      if (!path.isEmpty() || resource.isEmpty()) {
        return path.isEmpty() ? "(unknown)" : path;
      }
      return resource
          + (group.isEmpty() ? "" : "." + group)
          + (subresource.isEmpty() ? "" : "/" + subresource);
    }
  }

  /** A level's index in the per-level arrays. */
  static int idx(Level l) {
    return switch (l) {
      case NONE -> 0;
      case METADATA -> 1;
      case REQUEST -> 2;
      case REQUEST_RESPONSE -> 3;
    };
  }

  long events;
  long bytes;
  long skipped;
  long fromObjectRef;
  final Counts a;
  final Counts b;
  final long[][] changes = new long[4][4];
  final Map<String, long[]> identities = new HashMap<>();
  final Map<ResourceKey, long[]> resources = new HashMap<>();

  Tally(int rulesA, int rulesB) {
    a = new Counts(rulesA);
    b = new Counts(rulesB);
  }

  void merge(Tally o) {
    events += o.events;
    bytes += o.bytes;
    skipped += o.skipped;
    fromObjectRef += o.fromObjectRef;
    a.merge(o.a);
    b.merge(o.b);
    for (int i = 0; i < 4; i++) {
      for (int j = 0; j < 4; j++) {
        changes[i][j] += o.changes[i][j];
      }
    }
    o.identities.forEach((k, v) -> add(identities.computeIfAbsent(k, x -> new long[5]), v));
    o.resources.forEach((k, v) -> add(resources.computeIfAbsent(k, x -> new long[5]), v));
  }

  private static void add(long[] into, long[] v) {
    for (int i = 0; i < into.length; i++) {
      into[i] += v[i];
    }
  }

  Summary summary(int files, Policy pa, Optional<Policy> pb, int top) {
    List<LevelChange> ch = new ArrayList<>();
    if (pb.isPresent()) {
      for (Level from : Level.values()) {
        for (Level to : Level.values()) {
          long n = changes[idx(from)][idx(to)];
          if (from != to && n > 0) {
            ch.add(new LevelChange(from, to, n));
          }
        }
      }
    }
    return new Summary(
        files,
        events,
        bytes,
        skipped,
        fromObjectRef,
        a.result(pa),
        pb.map(b::result),
        ch,
        top(identities, top, k -> k),
        top(resources, top, ResourceKey::label));
  }

  private static <K> List<Top> top(
      Map<K, long[]> m, int n, java.util.function.Function<K, String> label) {
    return m.entrySet().stream()
        .sorted(
            Comparator.comparingLong((Map.Entry<K, long[]> e) -> -e.getValue()[0])
                .thenComparing(e -> label.apply(e.getKey())))
        .limit(n)
        .map(e -> {
          long[] v = e.getValue();
          return new Top(label.apply(e.getKey()), v[0], v[1], v[2], v[3], v[4]);
        })
        .toList();
  }
}
