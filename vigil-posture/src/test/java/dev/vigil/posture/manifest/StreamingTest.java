package dev.vigil.posture.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.posture.Finding;
import dev.vigil.posture.Problem;
import dev.vigil.posture.Scanner;
import dev.vigil.posture.fix.Fixer;
import dev.vigil.posture.fix.UnifiedDiff;
import dev.vigil.posture.fix.WritablePaths;
import dev.vigil.posture.pss.PsaVersion;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Reading an input as a stream, document by document, gives what reading it whole gives: the same
 * findings and problems at the same positions, and fixed text and diffs written section by section
 * equal to those of the whole text. The stream is fed in small random chunks, so that documents,
 * lines and line breaks are cut at every kind of place.
 */
class StreamingTest {
  private static final Path POSTURE =
      Path.of(System.getProperty("vigil.shared", "../../shared")).resolve("corpus/posture");

  static Stream<Path> inputs() throws IOException {
    List<Path> out = new ArrayList<>();
    for (Path root : List.of(POSTURE, Path.of("src/test/resources"))) {
      try (Stream<Path> s = Files.walk(root)) {
        s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".json"))
            .filter(p -> !p.toString().contains("/psa/")) // one document each
            .sorted()
            .forEach(out::add);
      }
    }
    assertThat(out).hasSizeGreaterThan(100);
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("inputs")
  void streamedEqualsWhole(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    check(file.toString(), text);
    check(file + " (CRLF)", text.replace("\n", "\r\n"));
  }

  @Test
  void manyDocumentsWithFixesCloseTogether() {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 40; i++) {
      b.append(i % 3 == 0 ? "---\n" : "--- # doc ").append(i % 3 == 0 ? "" : i + "\n");
      b.append("apiVersion: v1\nkind: Pod\nmetadata: {name: p").append(i).append("}\n");
      b.append("spec:\n  containers:\n  - name: c\n    image: nginx:1.27\n");
      if (i % 5 == 0) {
        b.append("# a comment-only stretch follows\n---\n# nothing here\n");
      }
    }
    check("many.yaml", b.toString());
    check("many.yaml (no final break)", b.toString().stripTrailing());
  }

  private static void check(String name, String text) {
    Scanner scanner = new Scanner(Scanner.Options.defaults());
    Fixer fixer = new Fixer(new WritablePaths(List.of()), PsaVersion.LATEST);
    Scanner.FileResult whole = scanner.scan(new SourceText(name, text));
    Fixer.FileFix wholeFix = fixer.fix(whole);

    List<String> findings = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    StringBuilder fixed = new StringBuilder();
    StringBuilder diff = new StringBuilder();
    UnifiedDiff.Writer diffs = new UnifiedDiff.Writer(name, diff);
    scanner.scan(
        name,
        new Chunked(text, new Random(name.hashCode())),
        r -> {
          problems.addAll(r.section().problems());
          for (Scanner.WorkloadResult w : r.workloads()) {
            findings.add(w.workload().ref() + " " + w.workload().location() + w.psaMessage());
            for (Finding f : w.findings()) {
              findings.add(f.toString());
            }
          }
          Fixer.SectionFix f = fixer.fix(r);
          fixed.append(f.fixed());
          SourceText t = r.section().text();
          diffs.add(t.text(), t.firstLine() - 1, f.edits());
        });
    diffs.finish();

    List<String> expected = new ArrayList<>();
    for (Scanner.WorkloadResult w : whole.workloads()) {
      expected.add(w.workload().ref() + " " + w.workload().location() + w.psaMessage());
      for (Finding f : w.findings()) {
        expected.add(f.toString());
      }
    }
    assertThat(findings).as(name).isEqualTo(expected);
    assertThat(problems).as(name).isEqualTo(whole.problems());
    assertThat(fixed.toString()).as(name).isEqualTo(wholeFix.fixed());
    assertThat(diff.toString()).as(name).isEqualTo(UnifiedDiff.diff(name, text, wholeFix.edits()));
  }

  @Test
  void aLongLineDoesNotGrowTheBufferPastTheLimit() {
    int limit = 1 << 20;
    // 64 MiB of one line, then a small document
    Reader in = new Generated(64 << 20, "\n---\napiVersion: v1\nkind: Pod\n");
    DocumentSplitter split = new DocumentSplitter(in, limit, 0, 0, 0);
    DocumentSplitter.Piece first = Objects.requireNonNull(split.next());
    assertThat(first.tooLarge()).isTrue();
    assertThat(split.bufferSize()).isLessThanOrEqualTo(4 * limit);
    DocumentSplitter.Piece second = Objects.requireNonNull(split.next());
    assertThat(second.tooLarge()).isFalse();
    assertThat(second.line()).isEqualTo(1);
    assertThat(second.text()).isEqualTo("---\napiVersion: v1\nkind: Pod\n");
    assertThat(split.next()).isNull();
  }

  @Test
  void positionsPastTwoGigacharactersAreAProblemNotACrash() {
    SourceText far =
        new SourceText("far.yaml", "kind: Pod\n---\nc: d\n", Integer.MAX_VALUE - 12, 0, 7, "\n");
    ReadResult r = new ManifestReader().read(far);
    assertThat(r.problems())
        .filteredOn(p -> p.code().equals("too-large"))
        .singleElement()
        .satisfies(p -> {
          assertThat(p.code()).isEqualTo("too-large");
          assertThat(p.location().line()).isEqualTo(8); // the second document's
        });
  }

  /** Hands out the text in chunks of 1 to 9 characters. */
  private static final class Chunked extends Reader {
    private final StringReader in;
    private final Random random;

    Chunked(String text, Random random) {
      this.in = new StringReader(text);
      this.random = random;
    }

    @Override
    public int read(char[] buf, int off, int len) throws IOException {
      return in.read(buf, off, Math.min(len, 1 + random.nextInt(9)));
    }

    @Override
    public void close() {
      in.close();
    }
  }

  /** {@code n} characters 'x', then {@code tail}, without holding them. */
  private static final class Generated extends Reader {
    private long left;
    private final StringReader tail;

    Generated(long n, String tail) {
      this.left = n;
      this.tail = new StringReader(tail);
    }

    @Override
    public int read(char[] buf, int off, int len) throws IOException {
      if (left == 0) {
        return tail.read(buf, off, len);
      }
      int k = (int) Math.min(len, left);
      java.util.Arrays.fill(buf, off, off + k, 'x');
      left -= k;
      return k;
    }

    @Override
    public void close() {}
  }
}
