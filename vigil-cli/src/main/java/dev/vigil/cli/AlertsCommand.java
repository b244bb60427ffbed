package dev.vigil.cli;

import dev.vigil.cli.daemon.ConfigLoader;
import dev.vigil.output.AlertStore;
import dev.vigil.output.JsonWriter;
import dev.vigil.output.SinkConfig;
import dev.vigil.rules.Priority;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vigil alerts query}: read the embedded alert store. */
@Command(
    name = "alerts",
    mixinStandardHelpOptions = true,
    description = "Read the alerts the daemon stored (alert_store output).")
final class AlertsCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(
        spec.commandLine(), "a subcommand is required: query");
  }

  @Command(
      name = "query",
      mixinStandardHelpOptions = true,
      description = {
        "Print stored alerts, oldest first (the newest --limit of those that match),",
        "as Falco's text lines, or Falco's JSON (one alert per line) with --json.",
        "With --count-by, print how many alerts match per rule, priority, source or host.",
        "Reads while the daemon writes."
      },
      footer = {
        "",
        "Examples:",
        "  vigil alerts query --since 1h",
        "  vigil alerts query --priority warning --rule '*shell*' --json",
        "  vigil alerts query --count-by rule --since 24h",
        "  vigil alerts query --db /var/lib/vigil/alerts.db --since 2026-11-22T08:00:00Z"
      })
  static final class Query implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = "--db",
        paramLabel = "FILE",
        description = "The store (default: alert_store.path of -c, else /var/lib/vigil/alerts.db).")
    @Nullable Path db;

    @Option(
        names = {"-c", "--config"},
        paramLabel = "FILE",
        description = "vigil.yaml, to find the store.")
    @Nullable Path config;

    @Option(
        names = "--rule",
        paramLabel = "NAME",
        description = "Rule name; * matches any run of characters.")
    @Nullable String rule;

    @Option(
        names = "--priority",
        paramLabel = "LEVEL",
        description = "Only alerts at least this severe.")
    @Nullable String priority;

    @Option(names = "--source", paramLabel = "SOURCE", description = "syscall or k8s_audit.")
    @Nullable String source;

    @Option(names = "--host", paramLabel = "NAME", description = "Only alerts of this host.")
    @Nullable String host;

    @Option(
        names = "--since",
        paramLabel = "WHEN",
        description = "A duration ago (30m, 24h, 7d) or an ISO time.")
    @Nullable String since;

    @Option(names = "--until", paramLabel = "WHEN", description = "A duration ago or an ISO time.")
    @Nullable String until;

    @Option(
        names = "--limit",
        paramLabel = "N",
        description = "At most this many alerts (default 100).")
    int limit = 100;

    @Option(
        names = "--count-by",
        paramLabel = "FIELD",
        description = "rule, priority, source or hostname.")
    @Nullable String countBy;

    @Option(
        names = "--json",
        description = "Falco's JSON, one alert per line (or a JSON object with --count-by).")
    boolean json;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      if (limit < 1) {
        throw new UserError(ExitCode.USAGE, "--limit must be at least 1");
      }
      String by = countBy;
      if (by != null && !List.of("rule", "priority", "source", "hostname").contains(by)) {
        throw new UserError(
            ExitCode.USAGE,
            "--count-by: expected rule, priority, source or hostname, got '" + by + "'");
      }
      Optional<Priority> min = Optional.empty();
      if (priority != null) {
        String p = priority;
        min =
            Optional.of(
                Priority.parse(p)
                    .orElseThrow(() ->
                        new UserError(ExitCode.USAGE, "--priority: unknown priority '" + p + "'")));
      }
      AlertStore.Query q =
          new AlertStore.Query(
              Optional.ofNullable(rule),
              min,
              Optional.ofNullable(source),
              Optional.ofNullable(host),
              since == null ? 0 : when("--since", since),
              until == null ? Long.MAX_VALUE : when("--until", until),
              limit);
      Path path = store();
      try (AlertStore s = AlertStore.openReadOnly(path)) {
        if (by != null) {
          Map<String, Long> counts = s.countBy(by, q);
          if (json) {
            try (JsonWriter j = JsonWriter.to(out, false)) {
              j.beginObject();
              counts.forEach(j::field);
              j.endObject();
            }
            out.println();
          } else {
            counts.entrySet().stream()
                .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
                .forEach(e -> out.printf("%8d  %s%n", e.getValue(), e.getKey()));
          }
        } else {
          for (AlertStore.Row r : s.query(q)) {
            out.println(json ? r.json() : r.text());
          }
        }
      } catch (SQLException e) {
        throw new UserError(
            path.toFile().isFile() ? ExitCode.FINDINGS : ExitCode.USAGE,
            "cannot read the alert store " + path + ": " + e.getMessage());
      }
      out.flush();
      return ExitCode.OK;
    }

    private Path store() {
      if (db != null) {
        return db;
      }
      if (config != null) {
        ConfigLoader.Result r =
            ConfigLoader.load(Optional.of(config), List.of("alert_store.enabled=true"));
        if (!r.ok()) {
          ConfigInput.print(r.diagnostics(), spec.commandLine().getErr());
          throw new UserError(
              r.unreadable() ? ExitCode.USAGE : ExitCode.FINDINGS, "cannot read " + config);
        }
        for (SinkConfig c : r.config().orElseThrow().outputs()) {
          if (c instanceof SinkConfig.Store st) {
            return st.path();
          }
        }
      }
      return Path.of("/var/lib/vigil/alerts.db");
    }

    static long when(String option, String v) {
      try {
        Instant i = Instant.parse(v);
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
      } catch (DateTimeParseException e) {
        long ago = RunCommand.parseDurationOr(v, -1);
        if (ago < 0) {
          throw new UserError(
              ExitCode.USAGE,
              option + ": expected a duration (30m, 24h, 7d) or an ISO time, got '" + v + "'");
        }
        Instant now = Instant.now().minus(Duration.ofNanos(ago));
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
      }
    }
  }
}
