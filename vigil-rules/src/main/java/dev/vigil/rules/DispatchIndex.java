package dev.vigil.rules;

import dev.vigil.event.Event;
import dev.vigil.event.Extractor;
import dev.vigil.event.ExtractorFactory;
import dev.vigil.event.FieldDef;
import dev.vigil.event.FieldType;
import dev.vigil.event.SourceInfo;
import dev.vigil.rules.compile.DispatchConstraints;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The rule index on a source's dispatch fields. Each dispatch field that some rule constrains
 * splits its values into classes: one per value some rule requires, and one for every other value
 * or no value. An event's classes, one per field, select a precomputed candidate list: the rules
 * (in rule order) whose necessary values admit the event. Rules that constrain nothing are in every
 * list. The lists are computed for every combination at bind time, so at run time an event costs
 * one extraction and one hash lookup per dispatch field.
 */
final class DispatchIndex<E extends Event> {
  /** Combinations beyond which the least important dispatch fields are left out. */
  static final int MAX_COMBINATIONS = 16384;

  private final List<DispatchConstraints.Key> keys;
  private final Extractor.OfString<E>[] extractors;
  private final List<Map<String, Integer>> classes;

  /** Per dispatch field, the value of each class (index 0, other or no value, is unused). */
  private final String[][] classValues;

  private final int[] strides;
  private final int combinations;
  private final List<Map<DispatchConstraints.Key, Set<String>>> constraints;

  private DispatchIndex(
      List<DispatchConstraints.Key> keys,
      List<Extractor.OfString<E>> extractors,
      List<Map<String, Integer>> classes,
      List<Map<DispatchConstraints.Key, Set<String>>> constraints) {
    this.keys = List.copyOf(keys);
    this.extractors = toArray(extractors);
    this.classes = List.copyOf(classes);
    this.strides = new int[keys.size()];
    int n = 1;
    for (int i = 0; i < strides.length; i++) {
      strides[i] = n;
      n *= classes.get(i).size() + 1;
    }
    this.combinations = n;
    this.classValues = new String[keys.size()][];
    for (int i = 0; i < classValues.length; i++) {
      String[] vs = new String[classes.get(i).size() + 1];
      classes.get(i).forEach((v, c) -> vs[c] = v);
      classValues[i] = vs;
    }
    this.constraints = List.copyOf(constraints);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static <E> Extractor.OfString<E>[] toArray(List<Extractor.OfString<E>> list) {
    return list.toArray(new Extractor.OfString[0]);
  }

  /** An index that dispatches on nothing: one combination. */
  static <E extends Event> DispatchIndex<E> none() {
    return new DispatchIndex<>(List.of(), List.of(), List.of(), List.of());
  }

  /** Derives the index for {@code rules} from the source's declared dispatch fields. */
  static <E extends Event> DispatchIndex<E> build(
      List<Rule> rules, SourceInfo source, ExtractorFactory<E> factory) {
    List<DispatchConstraints.Key> usable = new ArrayList<>();
    Map<DispatchConstraints.Key, Extractor.OfString<E>> extractorOf = new HashMap<>();
    for (String spec : source.dispatchFields()) {
      DispatchConstraints.Key k = DispatchConstraints.Key.parse(spec);
      extractor(k, source, factory)
          .ifPresent(x -> {
            usable.add(k);
            extractorOf.put(k, x);
          });
    }
    List<Map<DispatchConstraints.Key, Set<String>>> constraints = new ArrayList<>();
    Map<DispatchConstraints.Key, Map<String, Integer>> valueClasses = new LinkedHashMap<>();
    for (Rule r : rules) {
      Map<DispatchConstraints.Key, Set<String>> c = DispatchConstraints.of(r.check(), usable);
      constraints.add(c);
      c.forEach((k, values) -> {
        Map<String, Integer> m = valueClasses.computeIfAbsent(k, x -> new LinkedHashMap<>());
        for (String v : values) {
          m.putIfAbsent(v, m.size() + 1);
        }
      });
    }
    List<DispatchConstraints.Key> keys = new ArrayList<>();
    List<Extractor.OfString<E>> extractors = new ArrayList<>();
    List<Map<String, Integer>> classes = new ArrayList<>();
    long product = 1;
    for (DispatchConstraints.Key k : usable) {
      Map<String, Integer> m = valueClasses.get(k);
      if (m == null || product * (m.size() + 1) > MAX_COMBINATIONS) {
        continue;
      }
      product *= m.size() + 1;
      keys.add(k);
      extractors.add(extractorOf.get(k));
      classes.add(Map.copyOf(m));
    }
    return new DispatchIndex<>(keys, extractors, classes, constraints);
  }

  private static <E extends Event> Optional<Extractor.OfString<E>> extractor(
      DispatchConstraints.Key k, SourceInfo source, ExtractorFactory<E> factory) {
    Optional<FieldDef> def = source.fields().field(k.field());
    if (def.isEmpty() || def.get().isList() || def.get().type() == FieldType.DYNAMIC) {
      return Optional.empty();
    }
    try {
      return factory.extractor(def.get(), k.arg()) instanceof Extractor.OfString<E> s
              && s.type().kind() == FieldType.Kind.STRING
              && s.type() != FieldType.DYNAMIC
          ? Optional.of(s)
          : Optional.empty();
    } catch (ExtractorFactory.UnsupportedFieldException e) {
      return Optional.empty();
    }
  }

  /** How many candidate lists each event type has. */
  int combinations() {
    return combinations;
  }

  /** The dispatch fields in use, in the source's order. */
  List<DispatchConstraints.Key> keys() {
    return keys;
  }

  /**
   * The necessary values per dispatch field of rule {@code i} (in the order the index was built
   * from), over every usable dispatch field, also those left out of the index.
   */
  Map<DispatchConstraints.Key, Set<String>> constraints(int i) {
    return i < constraints.size() ? constraints.get(i) : Map.of();
  }

  /** The combination an event falls in. */
  int combination(E event) {
    int idx = 0;
    for (int i = 0; i < extractors.length; i++) {
      String v = extractors[i].text(event);
      if (v != null) {
        Integer c = classes.get(i).get(v);
        if (c != null) {
          idx += c * strides[i];
        }
      }
    }
    return idx;
  }

  /** Whether rule {@code rule} (by position) can match events in combination {@code combo}. */
  boolean admits(int rule, int combo) {
    Map<DispatchConstraints.Key, Set<String>> c = constraints(rule);
    for (int i = 0; i < keys.size(); i++) {
      Set<String> allowed = c.get(keys.get(i));
      if (allowed == null) {
        continue;
      }
      int cls = (combo / strides[i]) % (classes.get(i).size() + 1);
      if (cls == 0 || !allowed.contains(classValues[i][cls])) {
        return false;
      }
    }
    return true;
  }
}
