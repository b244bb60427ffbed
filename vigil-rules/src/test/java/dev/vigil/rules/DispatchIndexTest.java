package dev.vigil.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.event.EventTypes;
import dev.vigil.event.FieldCatalogue;
import dev.vigil.event.MapEvent;
import dev.vigil.event.SourceInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The dispatch-field index: which values a condition requires of the dispatch fields (macros and
 * lists expanded, {@code and}/{@code or}/{@code not}, exceptions), and that evaluating with the
 * index gives exactly the alerts of evaluating without it.
 */
class DispatchIndexTest {
  private static final String CATALOGUE =
      """
      @class\tt\tTest\tTest fields
      t.verb\tCHARBUF\t-\tthe verb
      t.res\tCHARBUF\t-\tthe resource
      t.sub\tCHARBUF\t-\tthe subresource
      t.user\tCHARBUF\t-\tthe user
      t.code\tINT64\t-\ta number
      t.value\tCHARBUF\targ-required,key\ta value by pointer
      """;

  private static final SourceInfo SOURCE =
      new SourceInfo(
          "test",
          FieldCatalogue.parse("test", CATALOGUE),
          EventTypes.single("test", "plugin"),
          "",
          List.of("t.value[/stage]", "t.verb", "t.res", "t.sub", "t.code"));

  private static final String PRELUDE =
      """
      - list: writes
        items: [create, update, patch]
      - list: stages
        items: [Done]
      - macro: kevt
        condition: t.value[/stage] in (stages)
      - macro: kcreate
        condition: t.verb=create
      - macro: kmodify
        condition: t.verb in (writes)
      - macro: pod
        condition: t.res=pods and not t.sub exists
      - macro: never
        condition: t.code=0
      """;

  private static Engine<MapEvent> engine(String rules, Engine.Matching matching) {
    LoadResult r =
        new RulesLoader(List.of(SOURCE)).load(List.of(new RulesFile("t.yaml", PRELUDE + rules)));
    assertThat(r.errors()).isEmpty();
    return Engine.bind(
        r.ruleset(),
        SOURCE,
        new MapEvent.Factory(),
        new Engine.Options(matching, Priority.DEBUG, List.of()));
  }

  private static String rule(String name, String condition) {
    return """
    - rule: %s
      desc: d
      condition: %s
      output: "%s %%t.verb %%t.res"
      priority: WARNING
      source: test
    """
        .formatted(name, condition, name);
  }

  private static Map<String, Set<String>> dispatchOf(String condition) {
    Engine<MapEvent> e = engine(rule("R", condition), Engine.Matching.ALL);
    return e.dispatch(e.rules().getFirst());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "t.verb=create | t.verb=[create]",
        "t.verb==create | t.verb=[create]",
        "t.verb in (get, list) | t.verb=[get, list]",
        "t.verb intersects (get) | t.verb=[get]",
        "t.verb = anyof (get, list) | t.verb=[get, list]",
        "kevt and kcreate and pod | t.value[/stage]=[Done] t.verb=[create] t.res=[pods]",
        "kevt and kmodify | t.value[/stage]=[Done] t.verb=[create, update, patch]",
        "kmodify and t.verb in (patch, delete) | t.verb=[patch]",
        "kcreate and t.verb=delete | t.verb=[]",
        "(kcreate and pod) or (t.verb=get and t.res=secrets) | t.verb=[create, get] t.res=[pods,"
            + " secrets]",
        "kcreate or t.res=pods | ''",
        "kcreate or (kcreate and t.res=pods) | t.verb=[create]",
        "not kcreate | ''",
        "not (not kcreate) | ''",
        "t.verb != create | ''",
        "t.verb startswith cre | ''",
        "t.verb icontains create | ''",
        "t.verb = oneof (get, list) | ''",
        "t.verb = allof (get) | ''",
        "t.user = alice | ''",
        "t.code = 3 | ''",
        "t.value[/verb] = create | ''",
        "t.res exists | ''",
        "t.res = val(t.verb) | ''",
        "tolower(t.verb) = create | ''",
      })
  void derivesTheNecessaryValues(String condition, String expected) {
    StringBuilder sb = new StringBuilder();
    dispatchOf(condition)
        .forEach((k, v) -> {
          if (!sb.isEmpty()) {
            sb.append(' ');
          }
          sb.append(k).append('=').append(v);
        });
    assertThat(sb.toString()).isEqualTo(expected);
  }

  @Test
  void exceptionsNarrowNothingButTheRuleStaysIndexedByItsCondition() {
    Engine<MapEvent> e =
        engine(
            """
            - rule: R
              desc: d
              condition: kcreate and pod
              output: "R"
              priority: WARNING
              source: test
              exceptions:
                - name: by_user
                  fields: [t.user, t.verb]
                  comps: [=, =]
                  values:
                    - [admin, create]
            """,
            Engine.Matching.ALL);
    assertThat(e.dispatch(e.rules().getFirst()))
        .isEqualTo(Map.of("t.verb", Set.of("create"), "t.res", Set.of("pods")));
    assertThat(matches(e, Map.of("t.verb", "create", "t.res", "pods", "t.user", "bob")))
        .containsExactly("R");
    assertThat(matches(e, Map.of("t.verb", "create", "t.res", "pods", "t.user", "admin")))
        .isEmpty();
  }

  @Test
  void onlyConstrainedFieldsAreDispatchedOn() {
    Engine<MapEvent> e =
        engine(rule("A", "kcreate") + rule("B", "t.user = x"), Engine.Matching.ALL);
    assertThat(e.dispatchFields()).containsExactly("t.verb");
    assertThat(e.dispatch(e.rules().get(1))).isEmpty();
    assertThat(engine(rule("B", "t.user = x"), Engine.Matching.ALL).dispatchFields()).isEmpty();
  }

  @Test
  void aFieldWithoutValueAdmitsOnlyUnconstrainedRules() {
    Engine<MapEvent> e =
        engine(
            rule("A", "kcreate") + rule("B", "t.user = x") + rule("C", "not kcreate"),
            Engine.Matching.ALL);
    assertThat(matches(e, Map.of("t.user", "x"))).containsExactly("B", "C");
    assertThat(matches(e, Map.of("t.user", "x", "t.verb", "create"))).containsExactly("A", "B");
    assertThat(matches(e, Map.of("t.user", "x", "t.verb", "Create"))).containsExactly("B", "C");
  }

  @Test
  void firstMatchingKeepsRuleOrderAcrossBuckets() {
    String rules =
        rule("Any user x", "t.user = x")
            + rule("Create", "kcreate")
            + rule("Create pod", "kcreate and pod")
            + rule("Any", "t.user exists");
    Engine<MapEvent> first = engine(rules, Engine.Matching.FIRST);
    assertThat(matches(first, Map.of("t.user", "y", "t.verb", "create", "t.res", "pods")))
        .containsExactly("Create");
    assertThat(matches(first, Map.of("t.user", "x", "t.verb", "create")))
        .containsExactly("Any user x");
    assertThat(matches(first, Map.of("t.user", "y", "t.verb", "get"))).containsExactly("Any");
  }

  /** Random events over small value sets: with and without the index, the same alerts. */
  @Test
  void indexedAndUnindexedAgreeOnRandomEvents() {
    String rules =
        rule("R1", "kevt and kcreate and pod")
            + rule("R2", "kevt and kmodify and (t.res in (secrets, configmaps) or t.sub = exec)")
            + rule("R3", "kcreate or t.res=pods")
            + rule("R4", "not kcreate and t.user startswith sys")
            + rule("R5", "(kcreate and pod) or (t.verb=get and t.res=secrets)")
            + rule("R6", "t.verb = anyof (get, list) and not t.sub exists")
            + rule("R7", "kcreate and t.verb=delete")
            + rule("R8", "t.value[/stage] = Started and t.sub in (exec, attach)")
            + rule("R9", "kevt and never")
            + rule("R10", "t.code = 3 and t.verb != get")
            + rule("R11", "t.verb icontains GET and t.res = pods");
    for (Engine.Matching m : Engine.Matching.values()) {
      Engine<MapEvent> indexed = engine(rules, m);
      Engine<MapEvent> plain = indexed.withoutDispatchIndex();
      assertThat(indexed.dispatchFields()).contains("t.verb", "t.res", "t.value[/stage]");
      assertThat(plain.dispatchFields()).isEmpty();
      Random random = new Random(42);
      int fired = 0;
      for (int i = 0; i < 20_000; i++) {
        Map<String, Object> values = new HashMap<>();
        put(values, random, "t.verb", "create", "get", "list", "delete", "GET", "patch");
        put(values, random, "t.res", "pods", "secrets", "configmaps", "nodes", "Pods");
        put(values, random, "t.sub", "exec", "attach", "log");
        put(values, random, "t.user", "system:x", "alice", "x");
        put(values, random, "t.value[/stage]", "Done", "Started", "Received");
        if (random.nextBoolean()) {
          values.put("t.code", (long) random.nextInt(5));
        }
        List<String> a = matches(indexed, values);
        assertThat(a).as(values.toString()).isEqualTo(matches(plain, values));
        fired += a.size();
      }
      assertThat(fired).isGreaterThan(1000);
    }
  }

  private static void put(Map<String, Object> m, Random r, String field, String... values) {
    int i = r.nextInt(values.length + 1);
    if (i < values.length) {
      m.put(field, values[i]);
    }
  }

  private static List<String> matches(Engine<MapEvent> e, Map<String, Object> values) {
    MapEvent ev = new MapEvent(0, 1, values);
    List<String> out = new ArrayList<>();
    e.match(ev, r -> out.add(r.rule().name()));
    return out;
  }
}
