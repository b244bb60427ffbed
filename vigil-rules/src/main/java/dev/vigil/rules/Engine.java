package dev.vigil.rules;

import dev.vigil.event.Event;
import dev.vigil.event.ExtractorFactory;
import dev.vigil.event.SourceInfo;
import dev.vigil.rules.compile.DispatchConstraints;
import dev.vigil.rules.match.Binder;
import dev.vigil.rules.match.Matcher;
import dev.vigil.rules.output.OutputRenderer;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A ruleset bound to one source's events: the enabled rules of that source, indexed by the event
 * types each can match and by the values each requires of the source's dispatch fields ({@link
 * DispatchIndex}), evaluated in rule order. With {@link Matching#FIRST} (Falco's default) only the
 * first matching rule fires; with {@link Matching#ALL} every matching rule does.
 *
 * @param <E> the source's event type
 */
public final class Engine<E extends Event> {

  /** Falco's {@code rule_matching}. */
  public enum Matching {
    FIRST,
    ALL
  }

  /**
   * How to bind.
   *
   * @param matching first or all
   * @param minPriority rules less severe than this are not enabled (Falco's {@code priority})
   * @param appendFields fields appended to every alert's output as {@code name=%field}, as Falco's
   *     {@code append_output} with suggested fields does (container fields for syscall)
   * @param selection which rules are enabled (Falco's {@code rules:} selection)
   */
  public record Options(
      Matching matching, Priority minPriority, List<String> appendFields, RuleSelection selection) {
    public Options {
      appendFields = List.copyOf(appendFields);
    }

    /** With the rules files deciding which rules are enabled. */
    public Options(Matching matching, Priority minPriority, List<String> appendFields) {
      this(matching, minPriority, appendFields, RuleSelection.asInFiles());
    }

    public static Options defaults() {
      return new Options(Matching.FIRST, Priority.DEBUG, List.of());
    }
  }

  /** A rule bound to this source: its matcher and its output renderer. */
  public static final class BoundRule<E> {
    private final Rule rule;
    private final Matcher<E> matcher;
    private final OutputRenderer<E> output;

    BoundRule(Rule rule, Matcher<E> matcher, OutputRenderer<E> output) {
      this.rule = rule;
      this.matcher = matcher;
      this.output = output;
    }

    public Rule rule() {
      return rule;
    }

    public boolean matches(E event) {
      return matcher.matches(event);
    }

    /** Renders the alert for an event this rule matched. */
    public Alert alert(E event, long time) {
      OutputRenderer.Rendered r = output.render(event);
      return new Alert(
          rule.name(), rule.priority(), rule.source(), time, rule.tags(), r.text(), r.fields());
    }
  }

  private final SourceInfo source;
  private final Options options;
  private final List<BoundRule<E>> rules;
  private final DispatchIndex<E> index;
  private final int combinations;
  private final int types;

  /** Candidate rules per event type and dispatch combination: {@code type * combinations + c}. */
  private final BoundRule<E>[][] buckets;

  private final BoundRule<E>[] none;

  private Engine(
      SourceInfo source, Options options, List<BoundRule<E>> rules, DispatchIndex<E> index) {
    this.source = source;
    this.options = options;
    this.rules = List.copyOf(rules);
    this.index = index;
    this.combinations = index.combinations();
    int n = source.eventTypes().size();
    this.types = n;
    List<List<BoundRule<E>>> lists = new ArrayList<>(n * combinations);
    for (int i = 0; i < n * combinations; i++) {
      lists.add(new ArrayList<>());
    }
    for (int ri = 0; ri < rules.size(); ri++) {
      BoundRule<E> r = rules.get(ri);
      BitSet types = r.rule().eventTypes();
      for (int c = 0; c < combinations; c++) {
        if (!index.admits(ri, c)) {
          continue;
        }
        for (int i = types.nextSetBit(0); i >= 0 && i < n; i = types.nextSetBit(i + 1)) {
          lists.get(i * combinations + c).add(r);
        }
      }
    }
    this.buckets = toArray(lists);
    this.none = toArray(List.of(List.<BoundRule<E>>of()))[0];
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static <E> BoundRule<E>[][] toArray(List<List<BoundRule<E>>> lists) {
    BoundRule<E>[][] out = new BoundRule[lists.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = lists.get(i).toArray(new BoundRule[0]);
    }
    return out;
  }

  /** Binds the enabled rules of {@code source} in {@code ruleset}. */
  public static <E extends Event> Engine<E> bind(
      Ruleset ruleset, SourceInfo source, ExtractorFactory<E> factory, Options options) {
    List<BoundRule<E>> bound = new ArrayList<>();
    for (Rule r : ruleset.rules()) {
      if (!r.source().equals(source.name())
          || !options.selection().isEnabled(r)
          || !r.priority().atLeast(options.minPriority())) {
        continue;
      }
      bound.add(
          new BoundRule<>(
              r,
              Binder.bind(r.check(), source, factory),
              OutputRenderer.bind(
                  r.output(), r.extraFields(), options.appendFields(), source, factory)));
    }
    List<Rule> enabled = bound.stream().map(BoundRule::rule).toList();
    return new Engine<>(source, options, bound, DispatchIndex.build(enabled, source, factory));
  }

  /**
   * The same rules without the dispatch-field index (the event-type index stays): every rule of the
   * event's type is tried. For tests that compare the two, and for measuring the index.
   */
  public Engine<E> withoutDispatchIndex() {
    return new Engine<>(source, options, rules, DispatchIndex.none());
  }

  /** The dispatch fields the index uses, as conditions write them (empty: no index). */
  public List<String> dispatchFields() {
    return index.keys().stream().map(DispatchConstraints.Key::toString).toList();
  }

  /**
   * What a bound rule's condition requires of the source's dispatch fields: field (as conditions
   * write it) to the values it must have; empty when the rule is tried on every event of its types.
   */
  public Map<String, Set<String>> dispatch(BoundRule<E> rule) {
    int i = rules.indexOf(rule);
    Map<String, Set<String>> out = new LinkedHashMap<>();
    if (i >= 0) {
      index.constraints(i).forEach((k, v) -> out.put(k.toString(), v));
    }
    return out;
  }

  public SourceInfo source() {
    return source;
  }

  public Options options() {
    return options;
  }

  /** The bound rules, in evaluation order. */
  public List<BoundRule<E>> rules() {
    return rules;
  }

  /** The event types some bound rule can match: what the capture needs to deliver. */
  public BitSet interestingEventTypes() {
    BitSet out = new BitSet();
    for (int i = 0; i < buckets.length; i++) {
      if (buckets[i].length > 0) {
        out.set(i / combinations);
      }
    }
    return out;
  }

  /** The first rule (in rule order) that matches the event. */
  public Optional<BoundRule<E>> first(E event) {
    BoundRule<E>[] candidates = candidates(event);
    for (BoundRule<E> r : candidates) {
      if (r.matcher.matches(event)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }

  /** Every rule that matches, in order; just the first with {@link Matching#FIRST}. */
  public void match(E event, Consumer<BoundRule<E>> sink) {
    BoundRule<E>[] candidates = candidates(event);
    for (BoundRule<E> r : candidates) {
      if (r.matcher.matches(event)) {
        sink.accept(r);
        if (options.matching() == Matching.FIRST) {
          return;
        }
      }
    }
  }

  /** The rules to try on an event, in rule order. */
  private BoundRule<E>[] candidates(E event) {
    int type = event.eventType();
    if (type < 0 || type >= types) {
      return none;
    }
    if (combinations == 1) {
      return buckets[type];
    }
    return buckets[type * combinations + index.combination(event)];
  }
}
