package dev.vigil.posture.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.CollectionNode;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * The fast composer and the document splitter against snakeyaml-engine: every YAML and JSON file of
 * the shared corpus, our own test manifests, hand-written edge cases and generated variants of them
 * (CRLF, comments and blank lines inserted, trailing spaces, no final line break) are read both
 * ways, and the node trees must be the same: values, styles and every start and end mark.
 */
class FastYamlTest {
  private static final Path SHARED = Path.of(System.getProperty("vigil.shared", "../../shared"));
  private static final int MAX = 8 * 1024 * 1024;

  /** Mutated variants per file; more with {@code -Dvigil.fastyaml.mutations=N}. */
  private static final int MUTATIONS = Integer.getInteger("vigil.fastyaml.mutations", 3);

  /** A different seed finds different mutations: {@code -Dvigil.fastyaml.seed=N}. */
  private static final int SEED = Integer.getInteger("vigil.fastyaml.seed", 0);

  /** Pieces read by the fast composer, and all pieces, over the whole test class. */
  private static final int[] FAST = new int[2];

  static Stream<Path> files() throws IOException {
    List<Path> roots =
        List.of(SHARED.resolve("corpus"), Path.of("src/test/resources"), Path.of("../rules"));
    List<Path> out = new ArrayList<>();
    for (Path root : roots) {
      if (!Files.isDirectory(root)) {
        continue;
      }
      try (Stream<Path> s = Files.walk(root)) {
        s.filter(Files::isRegularFile)
            .filter(p -> {
              String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
              return n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json");
            })
            .sorted()
            .forEach(out::add);
      }
    }
    assertThat(out).hasSizeGreaterThan(5000);
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("files")
  void sameTreesAsSnakeyaml(Path file) throws IOException {
    Optional<String> text = utf8(Files.readAllBytes(file));
    if (text.isEmpty()) {
      return; // not UTF-8: the command refuses it before parsing
    }
    String t = text.get().startsWith("\uFEFF") ? text.get().substring(1) : text.get();
    compare(file.toString(), t);
    Random random = new Random(file.toString().hashCode() + SEED);
    compare(file + " (CRLF)", t.replace("\n", "\r\n"));
    compare(file + " (no final break)", t.stripTrailing());
    compare(file + " (comments)", insertLines(t, random, "# note", true));
    compare(file + " (blank lines)", insertLines(t, random, "", false));
    compare(file + " (trailing spaces)", t.replace("\n", "  \n"));
    for (int i = 0; i < MUTATIONS; i++) {
      compare(file + " (mutated " + i + ")", mutate(t, random));
    }
  }

  /** A few random edits with YAML's syntax characters: mostly invalid YAML, sometimes not. */
  private static String mutate(String t, Random random) {
    StringBuilder b = new StringBuilder(t);
    String alphabet = " :-#\"'\n{}[],|>&*!?.";
    for (int k = 0; k < 3 && b.length() > 0; k++) {
      int at = random.nextInt(b.length());
      switch (random.nextInt(3)) {
        case 0 -> b.deleteCharAt(at);
        case 1 -> b.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
        default -> b.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
      }
    }
    return b.toString();
  }

  @Test
  void edgeCases() throws IOException {
    String cases =
        Files.readString(Path.of("src/test/resources/fastyaml/cases.yaml"), StandardCharsets.UTF_8);
    for (String c : cases.split("\n#=+\n", -1)) {
      compare("case:\n" + c, c);
      compare("case (CRLF):\n" + c, c.replace("\n", "\r\n"));
      compare("case (no final break):\n" + c, c.stripTrailing());
    }
  }

  /** The fast composer must read the corpus's manifests itself, not leave them to snakeyaml. */
  @Test
  void readsMostManifestsItself() throws IOException {
    int[] counts = new int[2];
    try (Stream<Path> s = Files.walk(SHARED.resolve("corpus/posture"))) {
      for (Path p : s.filter(f -> f.toString().endsWith(".yaml")).toList()) {
        String text = Files.readString(p, StandardCharsets.UTF_8);
        pieces(p.toString(), text, counts);
      }
    }
    assertThat(counts[0])
        .as("pieces read fast, of %d", counts[1])
        .isGreaterThan(counts[1] * 95 / 100);
  }

  private static Optional<String> utf8(byte[] bytes) {
    try {
      return Optional.of(
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString());
    } catch (CharacterCodingException e) {
      return Optional.empty();
    }
  }

  private static String insertLines(String t, Random random, String what, boolean indent) {
    String[] lines = t.split("\n", -1);
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < lines.length; i++) {
      if (random.nextInt(5) == 0) {
        b.append(indent ? " ".repeat(random.nextInt(8)) : "").append(what).append('\n');
      }
      b.append(lines[i]);
      if (i + 1 < lines.length) {
        b.append('\n');
      }
    }
    return b.toString();
  }

  private static LoadSettings settings(String name) {
    return LoadSettings.builder()
        .setLabel(name)
        .setMaxAliasesForCollections(ManifestReader.MAX_ALIASES)
        .setAllowRecursiveKeys(false)
        .setAllowDuplicateKeys(true)
        .setCodePointLimit(MAX)
        .setUseMarks(true)
        .build();
  }

  /** Splits and composes as the reader does; one list entry per document, null for an error. */
  private static List<Node> pieces(String name, String text, int[] fast) {
    List<Node> out = new ArrayList<>();
    DocumentSplitter split = new DocumentSplitter(new StringReader(text), MAX, 0, 0, 0);
    StringBuilder joined = new StringBuilder();
    for (DocumentSplitter.Piece p = split.next(); p != null; p = split.next()) {
      assertThat(p.charOffset()).as("pieces are contiguous").isEqualTo(joined.length());
      joined.append(p.text());
      fast[1]++;
      List<Node> slow = slow(name, p);
      if (p.simple()) {
        try {
          List<Node> quick = new FastYaml(name, p.text(), p.cpOffset(), p.line()).parse();
          fast[0]++;
          assertThat(slow)
              .as("snakeyaml reads what the fast composer reads:\n%s", p.text())
              .doesNotContainNull();
          assertSame(name + " @" + p.charOffset(), quick, slow);
          out.addAll(quick);
          continue;
        } catch (FastYaml.Unsupported e) {
          // falls back
        } catch (RuntimeException e) {
          throw new AssertionError(name + ": the fast composer failed on:\n" + p.text(), e);
        }
      }
      out.addAll(slow);
    }
    assertThat(joined.toString()).as("pieces cover the input").isEqualTo(text);
    return out;
  }

  private static List<Node> slow(String name, DocumentSplitter.Piece p) {
    List<Node> out = new ArrayList<>();
    try {
      Iterator<Node> it = new Compose(settings(name)).composeAllFromString(p.text()).iterator();
      while (it.hasNext()) {
        out.add(Rebase.node(it.next(), p.cpOffset(), p.line()));
      }
    } catch (YamlEngineException | StackOverflowError e) {
      out.add(null);
    }
    return out;
  }

  private static void compare(String name, String text) {
    List<Node> expected = new ArrayList<>();
    boolean failed = false;
    try {
      Iterator<Node> it = new Compose(settings(name)).composeAllFromString(text).iterator();
      while (it.hasNext()) {
        expected.add(it.next());
      }
    } catch (YamlEngineException | StackOverflowError e) {
      failed = true;
    }
    List<Node> actual = pieces(name, text, FAST);
    if (!failed) {
      assertSame(name, actual, expected);
    } else {
      assertThat(actual).as("%s: an error is reported", name).containsNull();
      int firstError = actual.indexOf(null);
      assertThat(firstError)
          .as("%s: no document is lost before the error", name)
          .isGreaterThanOrEqualTo(expected.size());
      assertSame(name, actual.subList(0, expected.size()), expected);
    }
  }

  private static void assertSame(String name, List<Node> actual, List<Node> expected) {
    assertThat(actual).as("%s: documents", name).hasSameSizeAs(expected);
    for (int i = 0; i < actual.size(); i++) {
      same(name + ": document " + (i + 1), actual.get(i), expected.get(i), "");
    }
  }

  private static void same(String name, Node a, Node e, String path) {
    String at = name + " at " + (path.isEmpty() ? "/" : path);
    if (a.getClass() != e.getClass()) {
      fail("%s: %s, expected %s", at, a.getClass().getSimpleName(), e.getClass().getSimpleName());
    }
    mark(at + " (start)", a.getStartMark(), e.getStartMark());
    mark(at + " (end)", a.getEndMark(), e.getEndMark());
    switch (a) {
      case ScalarNode s -> {
        ScalarNode t = (ScalarNode) e;
        assertThat(s.getValue()).as(at).isEqualTo(t.getValue());
        assertThat(s.getScalarStyle()).as(at).isEqualTo(t.getScalarStyle());
      }
      case MappingNode m -> {
        MappingNode t = (MappingNode) e;
        style(at, m, t);
        assertThat(m.getValue()).as(at).hasSameSizeAs(t.getValue());
        for (int i = 0; i < m.getValue().size(); i++) {
          NodeTuple x = m.getValue().get(i);
          NodeTuple y = t.getValue().get(i);
          same(name, x.getKeyNode(), y.getKeyNode(), path + "/key" + i);
          String k = x.getKeyNode() instanceof ScalarNode sk ? sk.getValue() : "key" + i;
          same(name, x.getValueNode(), y.getValueNode(), path + "/" + k);
        }
      }
      case SequenceNode q -> {
        SequenceNode t = (SequenceNode) e;
        style(at, q, t);
        assertThat(q.getValue()).as(at).hasSameSizeAs(t.getValue());
        for (int i = 0; i < q.getValue().size(); i++) {
          same(name, q.getValue().get(i), t.getValue().get(i), path + "/" + i);
        }
      }
      default -> fail("unexpected node %s", a);
    }
  }

  private static void style(String at, CollectionNode<?> a, CollectionNode<?> e) {
    assertThat(a.getFlowStyle()).as(at).isEqualTo(e.getFlowStyle());
  }

  private static void mark(String at, Optional<Mark> a, Optional<Mark> e) {
    assertThat(a.isPresent()).as(at).isEqualTo(e.isPresent());
    if (a.isPresent() && e.isPresent()) {
      Mark x = a.get();
      Mark y = e.get();
      assertThat(new int[] {x.getIndex(), x.getLine(), x.getColumn()})
          .as("%s: index, line, column", at)
          .containsExactly(y.getIndex(), y.getLine(), y.getColumn());
    }
  }
}
