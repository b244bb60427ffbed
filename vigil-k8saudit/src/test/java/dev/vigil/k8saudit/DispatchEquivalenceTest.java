package dev.vigil.k8saudit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.event.SourceInfo;
import dev.vigil.k8saudit.event.AuditEvent;
import dev.vigil.k8saudit.event.AuditReader;
import dev.vigil.k8saudit.event.InputProblem;
import dev.vigil.k8saudit.fields.K8sAuditFields;
import dev.vigil.rules.Alert;
import dev.vigil.rules.Engine;
import dev.vigil.rules.LoadResult;
import dev.vigil.rules.Priority;
import dev.vigil.rules.RulesFile;
import dev.vigil.rules.RulesLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The dispatch-field index changes nothing but speed: every audit event of the corpus (the event
 * files, Falco's legacy k8s audit traces) and a generated set of variants of them (verb, stage,
 * resource, subresource, user and response code varied, members removed) raise exactly the same
 * alerts, in the same order, with the same output, whether the engine tries the indexed candidates
 * or every rule; with Falco's rules and with Vigil's own, first-match and all-match.
 */
class DispatchEquivalenceTest {
  private static final Path SHARED = Path.of(System.getProperty("vigil.shared", "../shared"));

  static Stream<Arguments> configurations() {
    List<Arguments> out = new ArrayList<>();
    for (Engine.Matching m : Engine.Matching.values()) {
      out.add(Arguments.of("falco", m));
      out.add(Arguments.of("vigil", m));
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} rules, {1}")
  @MethodSource("configurations")
  void indexedEvaluationRaisesTheSameAlerts(String rules, Engine.Matching matching)
      throws IOException {
    Path file =
        rules.equals("falco")
            ? SHARED.resolve("corpus/falco/k8s_audit_rules.yaml")
            : Path.of("../rules/vigil_k8s_audit_rules.yaml");
    SourceInfo source = K8sAuditSource.info();
    LoadResult r =
        new RulesLoader(List.of(source))
            .load(List.of(new RulesFile(file.getFileName().toString(), Files.readString(file))));
    assertThat(r.errors()).isEmpty();
    Engine<AuditEvent> indexed =
        Engine.bind(
            r.ruleset(),
            source,
            new K8sAuditFields(),
            new Engine.Options(matching, Priority.DEBUG, List.of()));
    Engine<AuditEvent> plain = indexed.withoutDispatchIndex();
    assertThat(indexed.dispatchFields())
        .contains(rules.equals("falco") ? "jevt.value[/stage]" : "ka.stage")
        .contains("ka.verb", "ka.target.resource", "ka.target.subresource");
    long narrowed = indexed.rules().stream().filter(b -> !indexed.dispatch(b).isEmpty()).count();
    assertThat(narrowed).isGreaterThan(indexed.rules().size() / 2);

    List<byte[]> events = corpusEvents();
    int base = events.size();
    assertThat(base).isGreaterThan(100);
    events.addAll(variants(events.subList(0, base)));
    int alerts = 0;
    AuditEvent a = new AuditEvent();
    AuditEvent b = new AuditEvent();
    for (byte[] e : events) {
      a.reset(e, 0, e.length);
      b.reset(e, 0, e.length);
      List<String> want = evaluate(plain, b);
      List<String> got = evaluate(indexed, a);
      assertThat(got).as(new String(e, StandardCharsets.UTF_8)).isEqualTo(want);
      alerts += got.size();
    }
    assertThat(alerts).isGreaterThan(events.size() / 20);
  }

  private static List<String> evaluate(Engine<AuditEvent> engine, AuditEvent e) {
    List<String> out = new ArrayList<>();
    engine.match(
        e,
        rule -> {
          if (e.validate()) {
            Alert alert = rule.alert(e, e.timestamp());
            out.add(alert.rule() + " | " + alert.priority() + " | " + alert.output());
          }
        });
    return out;
  }

  /** Every event of the corpus event files and the Falco traces, as bytes. */
  private static List<byte[]> corpusEvents() throws IOException {
    List<Path> files = new ArrayList<>();
    for (Path dir :
        List.of(
            Corpus.events(),
            SHARED.resolve("corpus/falco/falco-0.34.1-legacy-tests/trace_files/k8s_audit"))) {
      try (Stream<Path> s = Files.walk(dir)) {
        s.filter(Files::isRegularFile)
            .filter(p -> !p.getFileName().toString().endsWith(".md"))
            .sorted()
            .forEach(files::add);
      }
    }
    List<byte[]> out = new ArrayList<>();
    AuditReader reader = new AuditReader();
    AuditReader.Sink sink =
        new AuditReader.Sink() {
          @Override
          public void event(AuditEvent event, long line) {
            out.add(java.util.Arrays.copyOfRange(event.bytes(), event.start(), event.end()));
          }

          @Override
          public void problem(InputProblem problem) {}
        };
    for (Path f : files) {
      reader.read(f, sink);
    }
    return out;
  }

  private static final String[] VERBS = {
    "get", "list", "watch", "create", "update", "patch", "delete", "Create"
  };
  private static final String[] STAGES = {
    "RequestReceived", "ResponseStarted", "ResponseComplete", "Panic"
  };
  private static final String[] RESOURCES = {
    "pods", "secrets", "configmaps", "deployments", "services", "namespaces", "serviceaccounts",
    "roles", "clusterroles", "rolebindings", "clusterrolebindings", "ingresses", "nodes", "widgets"
  };
  private static final String[] SUBRESOURCES = {
    "exec", "attach", "portforward", "ephemeralcontainers", "log", "status"
  };
  private static final String[] USERS = {
    "system:anonymous", "admin", "alice", "system:serviceaccount:kube-system:x", "minikube-user"
  };

  /** Events varied from the corpus ones in the fields the index and the rules test. */
  private static List<byte[]> variants(List<byte[]> bases) throws IOException {
    ObjectMapper json = new ObjectMapper();
    Random random = new Random(7);
    List<byte[]> out = new ArrayList<>();
    for (byte[] base : bases) {
      if (!(json.readTree(base) instanceof ObjectNode event) || !event.has("auditID")) {
        continue;
      }
      for (int i = 0; i < 30; i++) {
        ObjectNode v = event.deepCopy();
        vary(v, "verb", VERBS, random);
        vary(v, "stage", STAGES, random);
        ObjectNode ref = v.get("objectRef") instanceof ObjectNode o ? o : v.putObject("objectRef");
        vary(ref, "resource", RESOURCES, random);
        vary(ref, "subresource", SUBRESOURCES, random);
        if (random.nextInt(10) == 0) {
          v.remove("objectRef");
        }
        ObjectNode user = v.get("user") instanceof ObjectNode u ? u : v.putObject("user");
        vary(user, "username", USERS, random);
        ObjectNode status =
            v.get("responseStatus") instanceof ObjectNode s ? s : v.putObject("responseStatus");
        status.put("code", new int[] {200, 201, 403, 404}[random.nextInt(4)]);
        out.add(json.writeValueAsBytes(v));
      }
    }
    return out;
  }

  /** Sets a member to one of {@code values}, keeps it, or removes it. */
  private static void vary(ObjectNode o, String member, String[] values, Random random) {
    int i = random.nextInt(values.length + 2);
    if (i < values.length) {
      o.put(member, values[i]);
    } else if (i == values.length) {
      o.remove(member);
    }
  }
}
