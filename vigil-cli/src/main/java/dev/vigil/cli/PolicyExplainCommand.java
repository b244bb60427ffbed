package dev.vigil.cli;

import dev.vigil.k8saudit.policy.Level;
import dev.vigil.k8saudit.policy.Stage;
import dev.vigil.k8saudit.policy.check.Decision;
import dev.vigil.k8saudit.policy.check.PolicyEvaluator;
import dev.vigil.k8saudit.policy.check.RequestAttributes;
import dev.vigil.k8saudit.policy.load.LoadReport;
import dev.vigil.k8saudit.policy.simulate.AuditEvents;
import dev.vigil.k8saudit.policy.simulate.LineProblem;
import dev.vigil.output.JsonWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vigil audit policy explain}: which rule decides a request, and why the earlier don't. */
@Command(
    name = "explain",
    mixinStandardHelpOptions = true,
    description = {
      "Show which rule of a policy decides a request, and for each earlier rule the field that",
      "did not match. The request is an audit event (every event of --event FILE) or written",
      "out with --request."
    },
    footer = {
      "",
      "--request keys: user, groups (comma-separated), verb, resource (or resource/sub),",
      "  subresource, namespace, name, group (API group), version; path= for a non-resource",
      "  request; uri= with verb= or method= to derive everything as kube-apiserver does.",
      "",
      "Examples:",
      "  vigil audit policy explain audit-policy.yaml --request 'user=alice groups=dev verb=get"
          + " resource=secrets namespace=prod name=db'",
      "  vigil audit policy explain audit-policy.yaml --request 'verb=get path=/healthz'",
      "  vigil audit policy explain audit-policy.yaml --request 'user=bob method=GET"
          + " uri=/api/v1/namespaces/prod/pods?watch=1'",
      "  vigil audit policy explain audit-policy.yaml --event event.json --json"
    })
final class PolicyExplainCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin PolicyInput input;
  @Mixin OutputFormat format;

  @Parameters(index = "0", paramLabel = "POLICY", description = "The audit policy file.")
  Path policy;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Target target;

  static final class Target {
    @Option(names = "--event", paramLabel = "FILE", description = "Audit events to explain.")
    Optional<Path> event = Optional.empty();

    @Option(
        names = "--request",
        paramLabel = "'KEY=VALUE ...'",
        description = "A request written out (keys below).")
    Optional<String> request = Optional.empty();
  }

  /** A request to explain, with where it came from. */
  private record Subject(String title, RequestAttributes request, Optional<Stage> stage) {}

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    LoadReport r = input.load(policy);
    if (r.policy().isEmpty()) {
      PolicyCheckCommand.text(r, err);
      throw new UserError(
          ExitCode.FINDINGS, policy + ": cannot explain a policy kube-apiserver would not load");
    }
    PolicyEvaluator eval = new PolicyEvaluator(r.policy().get(), r.version());
    List<Subject> subjects = subjects(err);
    if (format.isJson()) {
      try (JsonWriter j = JsonWriter.to(out, true)) {
        j.beginArray();
        for (Subject s : subjects) {
          json(s, eval, r, j);
        }
        j.endArray();
      }
      out.println();
    } else {
      for (int i = 0; i < subjects.size(); i++) {
        if (i > 0) {
          out.println();
        }
        text(subjects.get(i), eval, r, out);
      }
    }
    return ExitCode.OK;
  }

  private List<Subject> subjects(PrintWriter err) {
    if (target.request.isPresent()) {
      RequestAttributes a = RequestSpec.parse(target.request.get());
      return List.of(new Subject("Request", a, Optional.empty()));
    }
    Path file = target.event.orElseThrow();
    PolicyInput.checkReadable(file, "event file");
    List<LineProblem> problems = new ArrayList<>();
    List<AuditEvents.Parsed> events;
    try {
      events = AuditEvents.read(file, problems::add);
    } catch (IOException e) {
      throw new UserError(ExitCode.USAGE, "cannot read " + file + ": " + PolicyInput.reason(e));
    }
    problems.forEach(p -> err.println(p + " (skipped)"));
    if (events.isEmpty()) {
      throw new UserError(ExitCode.FINDINGS, file + " holds no audit event");
    }
    List<Subject> out = new ArrayList<>();
    for (AuditEvents.Parsed e : events) {
      String title =
          "Event "
              + (e.auditID().isEmpty() ? "(no auditID)" : e.auditID())
              + " at "
              + (e.stage().isEmpty() ? "(no stage)" : e.stage())
              + " ("
              + e.file()
              + ":"
              + e.line()
              + ", "
              + e.requestURI()
              + ")";
      out.add(new Subject(title, e.request(), Stage.parse(e.stage())));
    }
    return out;
  }

  private static void text(Subject s, PolicyEvaluator eval, LoadReport r, PrintWriter out) {
    out.println(s.title() + ":");
    out.println("  " + RequestSpec.describe(s.request()));
    int match = eval.firstMatch(s.request());
    int rules = eval.policy().rules().size();
    for (int i = 0; i < rules; i++) {
      Level level = eval.policy().rules().get(i).level();
      String head =
          String.format(
              "  %-10s %-15s line %-4d ", "rules[" + i + "]", level, SimulateReport.line(r, i));
      if (i == match) {
        out.println(head + "MATCHES");
        if (i + 1 < rules) {
          out.println(
              "  (rules[" + (i + 1) + "] and later are not evaluated: the first match decides)");
        }
        break;
      }
      out.println(head + "no: " + eval.mismatch(i, s.request()).orElse("(matches)"));
    }
    Decision d = eval.decision(match);
    out.println("  " + decision(d, match, s.stage()));
  }

  static String decision(Decision d, int match, Optional<Stage> stage) {
    String by =
        match < 0
            ? "no rule matches: level None"
            : "level " + d.level() + " by rules[" + match + "]";
    List<String> written =
        Arrays.stream(Stage.values()).filter(st -> d.writes(st)).map(Stage::text).toList();
    String stages =
        d.level() == Level.NONE
            ? "no event is written"
            : written.isEmpty()
                ? "every stage is omitted, so no event is written"
                : "events written at " + String.join(", ", written);
    String at =
        stage
            .map(st ->
                "; this event's stage " + st + (d.writes(st) ? " is written" : " is not written"))
            .orElse("");
    return "=> "
        + by
        + "; "
        + stages
        + (d.omitManagedFields() ? "; managed fields omitted" : "")
        + at;
  }

  private static void json(Subject s, PolicyEvaluator eval, LoadReport r, JsonWriter j) {
    RequestAttributes a = s.request();
    j.beginObject();
    j.field("subject", s.title());
    j.name("request").beginObject();
    a.user().ifPresent(u -> j.field("user", u.name()).stringArray("groups", u.groups()));
    j.field("verb", a.verb()).field("resourceRequest", a.resourceRequest());
    if (a.resourceRequest()) {
      j.field("apiGroup", a.apiGroup()).field("resource", a.resource());
      j.field("subresource", a.subresource()).field("namespace", a.namespace());
      j.field("name", a.name());
    } else {
      j.field("path", a.path());
    }
    j.endObject();
    int match = eval.firstMatch(a);
    j.name("rules").beginArray();
    int last = match < 0 ? eval.policy().rules().size() - 1 : match;
    for (int i = 0; i <= last; i++) {
      j.beginObject().field("rule", i).field("line", SimulateReport.line(r, i));
      j.field("level", eval.policy().rules().get(i).level().text());
      j.field("matches", i == match);
      eval.mismatch(i, a).ifPresent(m -> j.field("reason", m));
      j.endObject();
    }
    j.endArray();
    Decision d = eval.decision(match);
    j.name("decision").beginObject();
    if (match < 0) {
      j.name("rule").nullValue();
    } else {
      j.field("rule", match);
    }
    j.field("level", d.level().text());
    j.stringArray("omitStages", d.omitStages().stream().sorted().map(Stage::text).toList());
    j.field("omitManagedFields", d.omitManagedFields());
    s.stage().ifPresent(st -> j.field("stage", st.text()).field("written", d.writes(st)));
    j.endObject();
    j.endObject();
  }
}
