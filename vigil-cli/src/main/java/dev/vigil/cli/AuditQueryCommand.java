package dev.vigil.cli;

import dev.vigil.k8saudit.event.AuditEvent;
import dev.vigil.k8saudit.event.ByteOutput;
import dev.vigil.k8saudit.event.ParallelReader;
import dev.vigil.k8saudit.event.Prefilter;
import dev.vigil.k8saudit.event.Timestamps;
import dev.vigil.k8saudit.query.Query;
import dev.vigil.k8saudit.query.QueryError;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vigil audit query}: audit log events that satisfy a rule condition. */
@Command(
    name = "query",
    mixinStandardHelpOptions = true,
    description = {
      "Print the audit events that satisfy a rule condition (the k8s_audit fields of",
      "Falco's rule language: ka.*, jevt.value[/pointer]). Reads kube-apiserver's JSON",
      "lines logs and JSON documents (EventList, arrays), .gz too, '-' for stdin; each",
      "event is read only as far as the condition needs. Prints matching events as JSON",
      "lines, exactly as read (jsonl, the default), or chosen fields as an aligned table",
      "or CSV. An empty condition ('') matches every event."
    },
    footer = {
      "",
      "Examples:",
      "  vigil audit query 'ka.verb=delete' audit.log",
      "  vigil audit query 'ka.verb in (update,patch) and ka.target.resource in (secrets,configmaps)'"
          + " audit.log --format table",
      "  vigil audit query 'ka.response.code in (401,403)' audit-*.log.gz --fields"
          + " evt.time,ka.user.name,ka.verb,ka.uri,ka.response.code --format csv",
      "  vigil audit query 'ka.target.subresource in (exec,attach)' audit.log --since"
          + " 2026-03-01T00:00:00Z",
      "",
      "Exit codes: 0 success (also when nothing matched), 1 some events could not be read",
      "(reported on stderr as file:line:col), 2 bad condition or options, or a file that",
      "cannot be opened."
    })
final class AuditQueryCommand implements Callable<Integer> {
  /** Output formats. */
  enum Format {
    jsonl,
    table,
    csv
  }

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "CONDITION", description = "A rule condition.")
  String condition = "";

  @Parameters(
      index = "1..*",
      arity = "1..*",
      paramLabel = "FILE",
      description = "Audit logs, read in order.")
  List<Path> files = new ArrayList<>();

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      description = "jsonl (default: the matching events as read), table or csv.")
  Format format = Format.jsonl;

  @Option(names = "--json", description = "Same as --format jsonl.")
  boolean json;

  @Option(
      names = "--fields",
      split = ",",
      paramLabel = "FIELD",
      description =
          "Fields to print instead of the whole event (evt.time is the event time); table and"
              + " csv default to time, user, verb, resource, namespace, name and code.")
  List<String> fields = new ArrayList<>();

  @Option(
      names = "--since",
      paramLabel = "TIME",
      description = "Only events at or after TIME (RFC 3339, e.g. 2026-03-01T10:00:00Z).")
  String since = "";

  @Option(
      names = "--until",
      paramLabel = "TIME",
      description = "Only events before TIME (RFC 3339).")
  String until = "";

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Format f = json ? Format.jsonl : format;
    long from = time("--since", since, Long.MIN_VALUE);
    long to = time("--until", until, Long.MAX_VALUE);
    List<String> cols = fields.isEmpty() && f != Format.jsonl ? Query.DEFAULT_FIELDS : fields;
    Query query =
        switch (Query.compile(condition, cols)) {
          case Query.Compiled.Ok ok -> ok.query();
          case Query.Compiled.Failed e -> {
            conditionError(e.error(), err);
            yield null;
          }
        };
    if (query == null) {
      return ExitCode.USAGE;
    }
    AuditFiles.checkReadable(files);
    out.flush();
    if (f == Format.table) {
      return table(query, from, to, out, err);
    }
    boolean timed = from != Long.MIN_VALUE || to != Long.MAX_VALUE;
    List<Match> workers = new ArrayList<>();
    int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    for (int i = 0; i < threads; i++) {
      Query q = i == 0 ? query : ((Query.Compiled.Ok) Query.compile(condition, cols)).query();
      workers.add(new Match(q, QueryOutput.Rows.of(f, q.columns()), timed, from, to));
    }
    Optional<OutputStream> stdout = ((VigilCommand) spec.root().userObject()).stdout;
    OutputStream bytes =
        stdout.isPresent()
            ? new BufferedOutputStream(stdout.get(), 1 << 16)
            : new WriterOutputStream(out);
    QueryFiles reader = new QueryFiles(err, new ParallelReader());
    try {
      bytes.write(workers.getFirst().rows.header());
      reader.read(files, workers, bytes);
      bytes.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.flush();
    long matched = workers.stream().mapToLong(w -> w.matched).sum();
    err.printf("vigil: %d of %d events matched%n", matched, reader.events());
    err.flush();
    return reader.problems() > 0 ? ExitCode.FINDINGS : ExitCode.OK;
  }

  /** A reading thread's share of the query: its compiled condition, rows and count. */
  private static final class Match implements ParallelReader.Worker {
    private final Query query;
    private final QueryOutput.Rows rows;
    private final boolean timed;
    private final long from;
    private final long to;
    private long matched;

    Match(Query query, QueryOutput.Rows rows, boolean timed, long from, long to) {
      this.query = query;
      this.rows = rows;
      this.timed = timed;
      this.from = from;
      this.to = to;
    }

    @Override
    public Prefilter prefilter() {
      return query.prefilter();
    }

    @Override
    public void event(AuditEvent e, ByteOutput out) {
      if (selects(query, e, timed, from, to)) {
        matched++;
        rows.row(e, out);
      }
    }
  }

  /**
   * Whether {@code e} is printed: it matches the condition, falls in {@code [from, to)} when the
   * query is {@code timed}, and reads without a problem (which {@link AuditEvent#validate}
   * reports).
   */
  private static boolean selects(Query query, AuditEvent e, boolean timed, long from, long to) {
    if (!query.matches(e)) {
      return false;
    }
    if (timed) {
      long t = e.timestamp();
      if (t < from || t >= to) {
        return false;
      }
    }
    return e.validate();
  }

  /**
   * The table: sized on its first rows, so printed by one thread, which reads the files with the
   * query's prefilter as the other formats do.
   */
  private int table(Query query, long from, long to, PrintWriter out, PrintWriter err) {
    QueryOutput sink = new QueryOutput.Table(out, query.columns());
    boolean timed = from != Long.MIN_VALUE || to != Long.MAX_VALUE;
    long[] matched = {0};
    AuditFiles reader = new AuditFiles(err);
    reader.read(
        files,
        query.prefilter(),
        (AuditEvent e, long line) -> {
          if (selects(query, e, timed, from, to)) {
            matched[0]++;
            sink.event(e);
          }
        });
    sink.finish();
    out.flush();
    err.printf("vigil: %d of %d events matched%n", matched[0], reader.events());
    err.flush();
    return reader.problems() > 0 ? ExitCode.FINDINGS : ExitCode.OK;
  }

  private void conditionError(QueryError e, PrintWriter err) {
    if (e.column() > 0) {
      err.println("vigil: condition:1:" + e.column() + ": error: " + e.message());
      err.println("  " + condition);
      err.println("  " + " ".repeat(Math.max(0, e.column() - 1)) + "^");
    } else {
      err.println("vigil: " + e.message());
    }
    if (!e.hint().isEmpty()) {
      err.println("  hint: " + e.hint());
    }
    err.flush();
  }

  private static long time(String option, String value, long none) {
    if (value.isEmpty()) {
      return none;
    }
    long t = Timestamps.parse(value.strip());
    if (t == Long.MIN_VALUE) {
      try {
        t =
            Instant.parse(value.strip() + (value.strip().length() == 10 ? "T00:00:00Z" : ""))
                    .toEpochMilli()
                * 1_000_000L;
      } catch (java.time.format.DateTimeParseException e) {
        throw new UserError(
            ExitCode.USAGE,
            option
                + ": expected an RFC 3339 time such as 2026-03-01T10:00:00Z, got '"
                + value
                + "'");
      }
    }
    return t;
  }
}
