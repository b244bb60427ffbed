package dev.vigil.k8saudit.policy.load;

import dev.vigil.k8saudit.policy.load.YNode.Kind;
import dev.vigil.k8saudit.policy.load.YNode.YMap;
import dev.vigil.k8saudit.policy.load.YNode.YScalar;
import dev.vigil.k8saudit.policy.load.YNode.YSeq;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.ReaderException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Reads the first YAML document of a policy file into a positioned {@link YNode} tree, as {@code
 * sigs.k8s.io/yaml} sees it: later documents are ignored (counted for the linter), duplicate keys
 * are noted with the line go-yaml names (the line of the duplicate's value). Hostile input is
 * bounded: aliases, nesting depth and the number of values the document expands to.
 */
public final class YamlReader {
  /** At most this many aliases to collections (go-yaml refuses "excessive aliasing" too). */
  static final int MAX_COLLECTION_ALIASES = 50;

  /** At most this many values after alias expansion. */
  static final int MAX_VALUES = 4_000_000;

  /** Deepest nesting accepted. */
  static final int MAX_DEPTH = 500;

  private YamlReader() {}

  /** A duplicate key: {@code line} is where its (second) value starts, as go-yaml reports it. */
  public record Duplicate(String key, int line, SourcePos keyPos) {}

  /** What reading produced. */
  public sealed interface Result {}

  /**
   * The first document.
   *
   * @param root the document ({@code null} scalar when empty)
   * @param duplicates duplicate keys in document order
   * @param documents how many documents the file has (only the first is read)
   */
  public record Read(YNode root, List<Duplicate> duplicates, int documents) implements Result {
    public Read {
      duplicates = List.copyOf(duplicates);
    }
  }

  /**
   * The text is not YAML kube-apiserver could read.
   *
   * @param problem go-yaml's wording where it is known
   * @param pos where
   */
  public record Failed(String problem, SourcePos pos) implements Result {}

  public static Result read(String name, byte[] content) {
    int start = hasBom(content) ? 3 : 0;
    String text;
    try {
      text = utf8(content, start);
    } catch (CharacterCodingException e) {
      int bad = firstMalformed(content, start);
      return new Failed("invalid leading UTF-8 octet", position(content, start, bad));
    }
    return read(name, text);
  }

  static Result read(String name, String text) {
    LoadSettings settings =
        LoadSettings.builder()
            .setLabel(name)
            .setMaxAliasesForCollections(MAX_COLLECTION_ALIASES)
            .setCodePointLimit(Math.max(text.length() + 1, 3 * 1024 * 1024))
            .setAllowRecursiveKeys(false)
            .build();
    Node first;
    int documents;
    try {
      Iterator<Node> docs = new Compose(settings).composeAllFromString(text).iterator();
      if (!docs.hasNext()) {
        return new Read(new YScalar("", Kind.NULL, SourcePos.START), List.of(), 0);
      }
      first = docs.next();
      documents = 1 + countRest(docs);
    } catch (ReaderException e) {
      return new Failed("control characters are not allowed", offsetPos(text, e.getPosition()));
    } catch (MarkedYamlEngineException e) {
      Mark m = e.getProblemMark().or(e::getContextMark).orElse(null);
      SourcePos pos =
          m == null ? SourcePos.START : new SourcePos(m.getLine() + 1, m.getColumn() + 1);
      return new Failed("line " + pos.line() + ": " + describe(e), pos);
    } catch (YamlEngineException e) {
      String raw = e.getMessage();
      String msg = raw == null ? "invalid YAML" : raw;
      if (msg.contains("aliases")) {
        return new Failed("document contains excessive aliasing", SourcePos.START);
      }
      return new Failed(msg, SourcePos.START);
    } catch (StackOverflowError e) {
      return new Failed("document is nested too deeply", SourcePos.START);
    }
    Converter c = new Converter();
    try {
      YNode root = c.convert(first, 0);
      return new Read(root, c.duplicates, documents);
    } catch (TooLarge e) {
      return new Failed(e.problem, e.pos);
    }
  }

  private static int countRest(Iterator<Node> docs) {
    int n = 0;
    try {
      while (docs.hasNext()) {
        docs.next();
        n++;
      }
    } catch (YamlEngineException e) {
      n++; // an unreadable later document still counts; go-yaml never looks at it
    }
    return n;
  }

  private static String describe(MarkedYamlEngineException e) {
    String problem = e.getProblem();
    String context = e.getContext();
    if (problem == null || problem.isEmpty()) {
      return context == null ? "invalid YAML" : context;
    }
    return context == null || context.isEmpty() ? problem : context + ": " + problem;
  }

  private static final class TooLarge extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient SourcePos pos;
    final String problem;

    TooLarge(String problem, SourcePos pos) {
      super(problem, null, false, false);
      this.problem = problem;
      this.pos = pos;
    }
  }

  /** Converts composed nodes, counting values so that aliases cannot expand without bound. */
  private static final class Converter {
    final List<Duplicate> duplicates = new ArrayList<>();
    int values;

    YNode convert(Node n, int depth) {
      SourcePos pos = pos(n);
      if (++values > MAX_VALUES) {
        throw new TooLarge("document contains excessive aliasing", pos);
      }
      if (depth > MAX_DEPTH) {
        throw new TooLarge("document is nested more than " + MAX_DEPTH + " levels deep", pos);
      }
      return switch (n) {
        case ScalarNode s -> scalar(s);
        case SequenceNode q -> {
          List<YNode> items = new ArrayList<>(q.getValue().size());
          for (Node item : q.getValue()) {
            items.add(convert(item, depth + 1));
          }
          yield new YSeq(items, pos);
        }
        case MappingNode m -> mapping(m, pos, depth);
        default -> throw new TooLarge("unsupported YAML node", pos);
      };
    }

    private YNode mapping(MappingNode m, SourcePos pos, int depth) {
      List<YNode.Entry> entries = new ArrayList<>(m.getValue().size());
      Set<String> seen = new HashSet<>();
      for (NodeTuple t : m.getValue()) {
        if (!(t.getKeyNode() instanceof ScalarNode k)) {
          throw new TooLarge("mapping keys must be scalars", pos(t.getKeyNode()));
        }
        YScalar key = scalar(k);
        YNode value = convert(t.getValueNode(), depth + 1);
        if (!seen.add(key.text())) {
          duplicates.add(new Duplicate(key.text(), value.pos().line(), key.pos()));
        }
        entries.add(new YNode.Entry(key, value));
      }
      return new YMap(entries, pos);
    }

    private static YScalar scalar(ScalarNode s) {
      Kind kind =
          s.getScalarStyle() == ScalarStyle.PLAIN ? Yaml11.plainKind(s.getValue()) : Kind.STRING;
      return new YScalar(s.getValue(), kind, pos(s));
    }
  }

  private static SourcePos pos(Node n) {
    return n.getStartMark()
        .map(m -> new SourcePos(m.getLine() + 1, m.getColumn() + 1))
        .orElse(SourcePos.START);
  }

  private static boolean hasBom(byte[] b) {
    return b.length >= 3 && (b[0] & 0xff) == 0xef && (b[1] & 0xff) == 0xbb && (b[2] & 0xff) == 0xbf;
  }

  private static String utf8(byte[] content, int start) throws CharacterCodingException {
    CharsetDecoder d =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    return d.decode(ByteBuffer.wrap(content, start, content.length - start)).toString();
  }

  /** The offset of the first byte that does not start a valid UTF-8 sequence. */
  private static int firstMalformed(byte[] b, int start) {
    int i = start;
    while (i < b.length) {
      int c = b[i] & 0xff;
      int len =
          c < 0x80
              ? 1
              : c >= 0xc2 && c < 0xe0
                  ? 2
                  : c >= 0xe0 && c < 0xf0 ? 3 : c >= 0xf0 && c < 0xf5 ? 4 : 0;
      if (len == 0 || i + len > b.length) {
        return i;
      }
      for (int k = 1; k < len; k++) {
        if ((b[i + k] & 0xc0) != 0x80) {
          return i;
        }
      }
      i += len;
    }
    return b.length;
  }

  /** Line and column of a byte offset (columns count bytes; the text there is not UTF-8 anyway). */
  private static SourcePos position(byte[] b, int start, int offset) {
    int line = 1;
    int lineStart = start;
    for (int i = start; i < offset && i < b.length; i++) {
      if (b[i] == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    return new SourcePos(line, offset - lineStart + 1);
  }

  private static SourcePos offsetPos(String text, int codePointIndex) {
    int line = 1;
    int col = 1;
    int cp = 0;
    for (int i = 0; i < text.length() && cp < codePointIndex; cp++) {
      int c = text.codePointAt(i);
      i += Character.charCount(c);
      if (c == '\n') {
        line++;
        col = 1;
      } else {
        col++;
      }
    }
    return new SourcePos(line, col);
  }
}
