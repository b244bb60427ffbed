package dev.vigil.k8saudit.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.k8saudit.Corpus;
import dev.vigil.k8saudit.event.AuditEvent;
import dev.vigil.k8saudit.event.AuditReader;
import dev.vigil.k8saudit.event.ByteOutput;
import dev.vigil.k8saudit.event.InputProblem;
import dev.vigil.k8saudit.event.ParallelReader;
import dev.vigil.k8saudit.event.Prefilter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The query prefilter changes nothing but speed: reading the same JSON lines with and without it
 * gives the same events counted, the same matching events (line and bytes) and the same problems
 * (line, column, message), for conditions the prefilter serves and over the corpus' events,
 * variants of them in the fields it compares, and damaged copies (bytes inserted, removed,
 * replaced, lines cut short, escapes, whitespace, duplicate and renamed members, other record
 * shapes). It must also reject most lines for a selective condition, or it would not be worth
 * having.
 */
class PrefilterEquivalenceTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static byte[] log = new byte[0];
  private static int lines;

  static Stream<String> conditions() {
    return Stream.of(
        "ka.response.code=403",
        "ka.response.code in (401,403)",
        "ka.verb=delete and ka.target.resource=secrets",
        "ka.target.resource=secrets and ka.verb=delete",
        "ka.response.code=403 and ka.verb=get and ka.user.name=admin",
        "ka.verb in (update,patch) and ka.target.resource in (secrets,configmaps)",
        "ka.verb=get and ka.user.name=admin",
        "ka.target.subresource in (exec,attach) and ka.target.namespace=default",
        "ka.stage=ResponseComplete and ka.uri startswith /api",
        "ka.response.code=403 and ka.response.reason=Forbidden",
        "ka.auth.decision=forbid",
        "ka.verb=get and ka.verb=list",
        "ka.user.name=system:anonymous or ka.user.name=admin",
        "ka.impuser.name exists and ka.verb=create",
        "ka.auditid=\"ba9f04e0-dc69-4cc4-a757-f60ce9cc2b2d\"",
        "ka.useragent=kubectl and not ka.verb=get",
        "ka.user.name=\"\uFFFD\" and ka.verb exists");
  }

  @BeforeAll
  static void lines() throws IOException {
    List<byte[]> base = new ArrayList<>();
    for (Path dir : List.of(Corpus.events(), Corpus.falcoTraces())) {
      try (Stream<Path> s = Files.walk(dir)) {
        for (Path f : s.filter(Files::isRegularFile).sorted().toList()) {
          if (f.getFileName().toString().endsWith(".md")) {
            continue;
          }
          for (JsonNode n : records(f)) {
            base.add(JSON.writeValueAsBytes(n));
          }
        }
      }
    }
    assertThat(base.size()).isGreaterThan(100);
    Random random = new Random(11);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    // a first line that is an event, so that the whole input reads as JSON lines
    write(out, base.getFirst());
    for (byte[] b : base) {
      write(out, b);
      for (int i = 0; i < 6; i++) {
        write(out, varied(b, random));
      }
      for (int i = 0; i < 12; i++) {
        write(out, damaged(b, random));
      }
      for (byte[] t : rewritten(b)) {
        write(out, t);
      }
    }
    log = out.toByteArray();
  }

  private static void write(ByteArrayOutputStream out, byte[] line) {
    out.writeBytes(line);
    out.write('\n');
    lines++;
  }

  /** The events of a corpus file as Vigil reads them, in compact JSON (when Jackson agrees). */
  private static List<JsonNode> records(Path file) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    new AuditReader()
        .read(
            file,
            new AuditReader.Sink() {
              @Override
              public void event(AuditEvent e, long line) {
                try {
                  out.add(JSON.readTree(e.toString()));
                } catch (IOException ex) {
                  // not JSON to Jackson (a damaged event of the corpus): left out
                }
              }

              @Override
              public void problem(InputProblem p) {}
            });
    return out;
  }

  private static final String[] VERBS = {"get", "list", "create", "update", "patch", "delete"};
  private static final String[] RESOURCES = {"pods", "secrets", "configmaps", "nodes"};
  private static final String[] USERS = {"admin", "system:anonymous", "alice"};
  private static final Object[] CODES = {200, 401, 403, "403", 403.0, 404};

  /** The event with the compared fields set to other values, or removed. */
  private static byte[] varied(byte[] base, Random random) throws IOException {
    if (!(JSON.readTree(base) instanceof ObjectNode v)) {
      return base;
    }
    pick(v, "verb", VERBS, random);
    if (v.get("objectRef") instanceof ObjectNode ref) {
      pick(ref, "resource", RESOURCES, random);
    }
    if (v.get("user") instanceof ObjectNode user) {
      pick(user, "username", USERS, random);
    }
    ObjectNode status =
        v.get("responseStatus") instanceof ObjectNode s ? s : v.putObject("responseStatus");
    switch (CODES[random.nextInt(CODES.length)]) {
      case Integer i -> status.put("code", i);
      case Double d -> status.put("code", d);
      case String s -> status.put("code", s);
      default -> status.remove("code");
    }
    if (random.nextInt(8) == 0) {
      v.remove("auditID");
    }
    return JSON.writeValueAsBytes(v);
  }

  private static void pick(ObjectNode o, String member, String[] values, Random random) {
    int i = random.nextInt(values.length + 1);
    if (i < values.length) {
      o.put(member, values[i]);
    } else {
      o.remove(member);
    }
  }

  private static final byte[] NASTY = {
    ' ',
    '\t',
    '\r',
    '"',
    '\\',
    '{',
    '}',
    '[',
    ']',
    ',',
    ':',
    'x',
    '0',
    'u',
    0x01,
    '\n',
    (byte) 0xc3,
    (byte) 0xff
  };

  /**
   * The event with one byte inserted, removed or replaced (mostly where the walk reads), or cut.
   */
  private static byte[] damaged(byte[] base, Random random) {
    int n = base.length;
    int at = random.nextInt(Math.min(n, 700));
    byte c = NASTY[random.nextInt(NASTY.length)];
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    switch (random.nextInt(5)) {
      case 0 -> {
        out.write(base, 0, at);
        out.write(c);
        out.write(base, at, n - at);
      }
      case 1 -> {
        out.write(base, 0, at);
        out.write(base, at + 1, n - at - 1);
      }
      case 2 -> {
        out.write(base, 0, at);
        out.write(c);
        out.write(base, at + 1, n - at - 1);
      }
      case 3 -> out.write(base, 0, Math.max(1, random.nextInt(n)));
      default -> {
        out.writeBytes(base);
        out.write(c);
      }
    }
    return out.toByteArray();
  }

  /** Textual rewrites of the event that keep it JSON but change what the walk must notice. */
  private static List<byte[]> rewritten(byte[] base) {
    String s = new String(base, StandardCharsets.UTF_8);
    List<String> out = new ArrayList<>();
    out.add(s.replaceFirst("\"verb\":", "\"v\\\\u0065rb\":"));
    out.add(s.replaceFirst("\"code\":", "\"c\\\\u006fde\":"));
    out.add(s.replaceFirst("\"responseStatus\":", "\"responseStatus\":{\"code\":999},\"x\":"));
    out.add(s.replaceFirst("\"objectRef\":\\{", "\"objectRef\":{\"resource\":\"secrets\","));
    out.add(s.replaceFirst("\"kind\":\"Event\"", "\"kind\":\"EventList\""));
    out.add(s.replaceFirst("\"kind\":\"Event\"", "\"kind\":\"Ev\\\\u0065nt\""));
    out.add(s.replaceFirst("\"kind\":\"Event\"", "\"kind\":7"));
    out.add(s.replaceFirst("\\{", "{\"items\":[],"));
    out.add(s.replaceFirst("\\{", "{\"protoPayload\":{},"));
    out.add(s.replaceFirst("\"auditID\":", "\"extra\":[{\"a\":[1,{}]},\"\\\\\\\"\"],\"auditID\":"));
    out.add(s.replaceFirst(":", ": "));
    // line breaks between the tokens of values the walk skips: each half is a line of its own
    out.add(s.replaceFirst("\"uid\":", "\n\"uid\":"));
    out.add(s.replaceFirst("\"code\":", "\n\"code\":"));
    out.add(s.replaceFirst("\"groups\":\\[", "\"groups\":[\n"));
    out.add(s.replaceAll(",\"", ", \""));
    out.add(" " + s);
    out.add(s + " ");
    out.add(s + "\r"); // a CRLF line
    out.add(s + "\r\r");
    out.add(s + "\r}");
    out.add(s + "}");
    out.add(s.replaceFirst("\"username\":\"", "\"username\":\"\\\\u00e9"));
    out.add(s.replaceFirst("\"username\":\"", "\"username\":\"\u00e9"));
    out.add(s.replaceFirst("\"verb\":\"([a-z]+)\"", "\"verb\":\"$1\",\"verb\":\"delete\""));
    out.add(escapeFirst(escapeFirst(escapeFirst(s, "verb"), "resource"), "username"));
    out.add(s.replaceFirst("\"code\":403", "\"code\":\"4\\\\u00303\""));
    List<byte[]> bytes =
        new ArrayList<>(out.stream().map(t -> t.getBytes(StandardCharsets.UTF_8)).toList());
    bytes.add(invalidUserName(s));
    return bytes;
  }

  /** The string value of the first {@code member}, its first character written as an escape. */
  private static String escapeFirst(String s, String member) {
    String key = "\"" + member + "\":\"";
    int at = s.indexOf(key);
    if (at < 0 || at + key.length() >= s.length()) {
      return s;
    }
    int c = at + key.length();
    return s.substring(0, c) + String.format("\\u%04x", (int) s.charAt(c)) + s.substring(c + 1);
  }

  /** The event with its user name replaced by one byte that is not UTF-8 (read as U+FFFD). */
  private static byte[] invalidUserName(String s) {
    String key = "\"username\":\"";
    int at = s.indexOf(key);
    int end = at < 0 ? -1 : s.indexOf('"', at + key.length());
    if (end < 0) {
      return s.getBytes(StandardCharsets.UTF_8);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(s.substring(0, at + key.length()).getBytes(StandardCharsets.UTF_8));
    out.write(0xff);
    out.writeBytes(s.substring(end).getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  /** What a query's reader reports: events, matches (line and bytes), problems. */
  private record Outcome(long events, List<String> matches, List<InputProblem> problems) {}

  private static Outcome read(String condition, boolean prefiltered) throws IOException {
    Query q = ((Query.Compiled.Ok) Query.compile(condition, List.of())).query();
    List<String> matches = new ArrayList<>();
    List<InputProblem> problems = new ArrayList<>();
    AuditReader.Sink sink =
        new AuditReader.Sink() {
          @Override
          public void event(AuditEvent e, long line) {
            if (q.matches(e) && e.validate()) {
              matches.add(line + ": " + e);
            }
          }

          @Override
          public void problem(InputProblem p) {
            problems.add(p);
          }

          @Override
          public Prefilter prefilter() {
            return prefiltered ? q.prefilter() : Prefilter.none();
          }
        };
    AuditReader.Stats stats =
        new AuditReader().read(new ByteArrayInputStream(log), "test.log", sink);
    return new Outcome(stats.events(), matches, problems);
  }

  @ParameterizedTest
  @MethodSource("conditions")
  void sameEventsMatchesAndProblems(String condition) throws IOException {
    Outcome plain = read(condition, false);
    Outcome filtered = read(condition, true);
    assertThat(filtered.events()).isEqualTo(plain.events());
    assertThat(filtered.matches()).isEqualTo(plain.matches());
    assertThat(filtered.problems()).isEqualTo(plain.problems());
    assertThat(plain.problems()).hasSizeGreaterThan(lines / 20); // the damage is seen
  }

  /**
   * The file read on two threads in small ranges (lines crossing ranges and buffer ends), where the
   * prefilter also judges lines before their end is known ({@link Prefilter#rejectsAhead}): the
   * events, matches and problems of the sequential reader without the prefilter.
   */
  @ParameterizedTest
  @MethodSource("conditions")
  void sameOnTheParallelReader(String condition, @TempDir Path dir) throws IOException {
    Outcome plain = read(condition, false);
    Path file = dir.resolve("audit.log");
    Files.write(file, log);
    for (int chunk : new int[] {1 << 12, 1 << 16}) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      List<InputProblem> problems = new ArrayList<>();
      List<ParallelReader.Worker> workers = new ArrayList<>();
      for (int t = 0; t < 2; t++) {
        Query q = ((Query.Compiled.Ok) Query.compile(condition, List.of())).query();
        workers.add(
            new ParallelReader.Worker() {
              @Override
              public void event(AuditEvent e, ByteOutput o) {
                if (q.matches(e) && e.validate()) {
                  o.utf8(e + "\n");
                }
              }

              @Override
              public Prefilter prefilter() {
                return q.prefilter();
              }
            });
      }
      AuditReader.Stats stats =
          new ParallelReader(chunk, 0).read(file, workers, problems::add, out).orElseThrow();
      assertThat(stats.events()).as("chunk %d", chunk).isEqualTo(plain.events());
      // rows split at line breaks only: a matching event may hold a carriage return
      List<String> rows =
          new ArrayList<>(List.of(out.toString(StandardCharsets.UTF_8).split("\n", -1)));
      rows.removeLast(); // what follows the last line break
      assertThat(rows)
          .isEqualTo(plain.matches().stream().map(m -> m.substring(m.indexOf(": ") + 2)).toList());
      assertThat(problems.stream().map(PrefilterEquivalenceTest::at).toList())
          .isEqualTo(plain.problems().stream().map(PrefilterEquivalenceTest::at).toList());
    }
  }

  /** A problem without its source's name. */
  private static String at(InputProblem p) {
    return p.line() + ":" + p.column() + ": " + p.message();
  }

  @Test
  void selectiveConditionsRejectMostLines() {
    for (String c :
        List.of("ka.response.code=403", "ka.verb=delete and ka.target.resource=secrets")) {
      Prefilter p = ((Query.Compiled.Ok) Query.compile(c, List.of())).query().prefilter();
      assertThat(p.active()).as(c).isTrue();
      int rejected = 0;
      for (int s = 0, i = 0; s < log.length; s = i + 1) {
        i = s;
        while (log[i] != '\n') {
          i++;
        }
        rejected += p.rejects(log, s, i) ? 1 : 0;
      }
      assertThat(rejected).as(c).isGreaterThan(lines / 2);
    }
  }

  @Test
  void servesOnlyConditionsOnFieldsAtFixedPlacesThatNarrowSome() {
    for (String c :
        List.of(
            "ka.verb=delete and jevt.value[/metadata/x]=1",
            "ka.verb=delete and ka.req.container.image=nginx",
            "ka.verb=delete and ka.uri.param[command]=sh",
            "not ka.verb=delete",
            "ka.verb startswith del",
            "ka.verb=delete or ka.target.resource=secrets")) {
      Prefilter p = ((Query.Compiled.Ok) Query.compile(c, List.of())).query().prefilter();
      assertThat(p.active()).as(c).isFalse();
    }
    assertThat(((Query.Compiled.Ok) Query.compile("", List.of())).query().prefilter().active())
        .isFalse();
  }
}
