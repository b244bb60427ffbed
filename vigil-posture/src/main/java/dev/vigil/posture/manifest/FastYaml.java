package dev.vigil.posture.manifest;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Composes one YAML document of the kind Kubernetes manifests are written in, much faster than
 * snakeyaml-engine, into the same node tree snakeyaml-engine's {@code Compose} builds: the same
 * values, scalar and collection styles, and start and end marks (index, line, column). Whatever it
 * is not sure to read exactly as snakeyaml-engine does, it refuses with {@link Unsupported}, and
 * the caller composes that document with snakeyaml-engine instead; {@code FastYamlTest} compares
 * both on every YAML file of the corpus and on generated variants.
 *
 * <p>Read: block mappings and sequences (also sequences flush with their key), single-line plain
 * and quoted keys and values, literal and folded block scalars without an indentation indicator,
 * flow mappings and sequences over any number of lines (so JSON), comments, {@code ---} and {@code
 * ...}. Refused: anchors, aliases, tags, directives, complex keys, multi-line plain or quoted
 * scalars, tabs, characters outside the BMP, and every error (snakeyaml-engine words the message).
 *
 * <p>It is one file of about 800 lines because it is one recursive-descent reader whose methods
 * share the cursor, line and column state; split up, each part would need that state passed in.
 *
 * <p>Scalar tags are not resolved (all are {@code str} or {@code null}): Vigil reads scalars
 * through {@link Nodes}, which resolves them from their text and style as Kubernetes does.
 */
final class FastYaml {
  /** The input needs snakeyaml-engine. Without a stack trace: refusals must be cheap. */
  static final class Unsupported extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private Unsupported() {
      super(null, null, false, false);
    }
  }

  private static final int[] NO_BUFFER = new int[0];
  private static final int MAX_DEPTH = 100;
  private static final int MAX_KEY = 1000;

  private final String label;
  private final String s;
  private final int n;
  private final int cpBase;
  private int pos;

  /** 0-based line of {@code pos}. */
  private int line;

  /** Index in {@code s} of the start of {@code pos}'s line. */
  private int lineStart;

  private int depth;

  /**
   * @param text one document's text, starting at a line start, holding only what {@link
   *     DocumentSplitter.Piece#simple()} allows
   * @param cpBase the code-point index of its first character in the input
   * @param line the 0-based line of its first character in the input
   */
  FastYaml(String label, String text, int cpBase, int line) {
    this.label = label;
    this.s = text;
    this.n = text.length();
    this.cpBase = cpBase;
    this.line = line;
  }

  /** The document's root node, or an empty list when the text holds no document. */
  List<Node> parse() {
    skipBlank();
    boolean explicit = false;
    if (pos < n && marker('-')) {
      explicit = true;
      pos += 3;
      restOfLine();
    }
    Node root = null;
    if (pos >= n || marker('.')) {
      if (explicit) {
        root = empty(mark(pos));
      }
    } else {
      root = blockNode(-1);
    }
    if (pos < n && marker('.')) {
      if (root == null) {
        throw new Unsupported();
      }
      pos += 3;
      restOfLine();
    }
    if (pos < n) {
      throw new Unsupported();
    }
    return root == null ? List.of() : List.of(root);
  }

  // ---- positions

  private Optional<Mark> mark(int at) {
    return Optional.of(new Mark(label, cpBase + at, line, at - lineStart, NO_BUFFER, 0));
  }

  private int column() {
    return pos - lineStart;
  }

  private boolean isBreak(int i) {
    return i < n && (s.charAt(i) == '\n' || s.charAt(i) == '\r');
  }

  /** End of input, a space or a line break: what must follow {@code -}, {@code :} and markers. */
  private boolean blank(int i) {
    if (i >= n) {
      return true;
    }
    char c = s.charAt(i);
    return c == ' ' || c == '\n' || c == '\r';
  }

  /** {@code ---} or {@code ...} at column 0 of {@code pos}. */
  private boolean marker(char m) {
    return pos == lineStart
        && pos + 2 < n
        && s.charAt(pos) == m
        && s.charAt(pos + 1) == m
        && s.charAt(pos + 2) == m
        && blank(pos + 3);
  }

  private boolean atMarker() {
    return marker('-') || marker('.');
  }

  /** Steps over the line break at {@code pos} ({@code \n} or {@code \r\n}). */
  private void newline() {
    if (s.charAt(pos) == '\r') {
      pos++; // the splitter allows CR only before LF
    }
    pos++;
    line++;
    lineStart = pos;
  }

  private void skipSpaces() {
    while (pos < n && s.charAt(pos) == ' ') {
      pos++;
    }
  }

  private void skipComment() {
    while (pos < n && !isBreak(pos)) {
      pos++;
    }
  }

  /** Spaces, comments and line breaks up to the next token. */
  private void skipBlank() {
    while (true) {
      skipSpaces();
      if (pos >= n) {
        return;
      }
      char c = s.charAt(pos);
      if (c == '#') {
        if (pos > lineStart && s.charAt(pos - 1) != ' ') {
          throw new Unsupported(); // snakeyaml takes a '#' right after a token as a comment; YAML
          // does not
        }
        skipComment();
      } else if (c != '\n' && c != '\r') {
        return;
      }
      if (pos >= n) {
        return;
      }
      newline();
    }
  }

  /** After a complete node on a line: only spaces and a comment may follow, then the next token. */
  private void restOfLine() {
    int before = pos;
    skipSpaces();
    if (pos < n && !isBreak(pos) && !(s.charAt(pos) == '#' && pos > before)) {
      throw new Unsupported();
    }
    skipBlank();
  }

  private static ScalarNode empty(Optional<Mark> at) {
    return new ScalarNode(Tag.NULL, true, "", ScalarStyle.PLAIN, at, at);
  }

  // ---- block context

  /**
   * A node that starts a line (after its indentation), or the root. {@code indent} is the column of
   * the enclosing block collection (-1 at the root), as snakeyaml-engine's scanner tracks it.
   */
  private Node blockNode(int indent) {
    if (s.charAt(pos) == '-' && blank(pos + 1)) {
      return blockSequence(column(), false);
    }
    return inline(indent, true);
  }

  /** A node that starts where it stands: after a key's ':', a '- ', or at a line start. */
  private Node inline(int indent, boolean mayBeKey) {
    if (++depth > MAX_DEPTH) {
      throw new Unsupported();
    }
    try {
      int col = column();
      char c = s.charAt(pos);
      switch (c) {
        case '|', '>' -> {
          if (indent < 0) {
            throw new Unsupported();
          }
          Node v = blockScalar(indent);
          skipBlank();
          return v;
        }
        case '[', '{' -> {
          Node v = flow();
          restOfLine();
          return v;
        }
        case '"', '\'' -> {
          ScalarNode v = quoted();
          int after = pos;
          skipSpaces();
          if (pos < n && s.charAt(pos) == ':' && blank(pos + 1)) {
            if (!mayBeKey || pos - lineStart > MAX_KEY) {
              throw new Unsupported();
            }
            return blockMapping(col, v);
          }
          pos = after;
          if (indent < 0) {
            throw new Unsupported();
          }
          restOfLine();
          return v;
        }
        case '-', '?', ':' -> {
          if (blank(pos + 1)) {
            throw new Unsupported();
          }
        }
        case ',', ']', '}', '#', '&', '*', '!', '%', '@', '`' -> throw new Unsupported();
        default -> {}
      }
      return plain(indent, mayBeKey, col);
    } finally {
      depth--;
    }
  }

  /** A plain scalar in block context: a key (then its mapping) or a single-line value. */
  private Node plain(int indent, boolean mayBeKey, int col) {
    int from = pos;
    int last = pos;
    int i = pos;
    boolean key = false;
    while (i < n) {
      char c = s.charAt(i);
      if (c == '\n' || c == '\r') {
        break;
      }
      if (c == ' ') {
        int j = i + 1;
        while (j < n && s.charAt(j) == ' ') {
          j++;
        }
        if (j >= n || s.charAt(j) == '#' || isBreak(j)) {
          break;
        }
        i = j;
        continue;
      }
      if (c == ':' && blank(i + 1)) {
        key = true;
        break;
      }
      i++;
      last = i;
    }
    ScalarNode v =
        new ScalarNode(
            Tag.STR, true, s.substring(from, last), ScalarStyle.PLAIN, mark(from), mark(last));
    pos = last;
    if (key) {
      if (!mayBeKey || last - from > MAX_KEY) {
        throw new Unsupported();
      }
      return blockMapping(col, v);
    }
    if (indent < 0) {
      throw new Unsupported(); // a scalar document
    }
    endPlain(indent);
    return v;
  }

  /**
   * After a plain scalar's text: a comment ends it; otherwise a following line indented past the
   * enclosing collection would continue it (a multi-line scalar: refused). When the next token
   * starts a line, {@code pos} goes straight to it (what {@link #skipBlank} would do, without
   * reading the indentation twice).
   */
  private void endPlain(int indent) {
    skipSpaces();
    if (pos < n && s.charAt(pos) == '#') {
      skipBlank();
      return;
    }
    int i = pos; // at a line break, or at the end
    int breaks = 0;
    while (i < n) {
      if (s.charAt(i) == '\r') {
        i++;
      }
      i++; // past '\n'
      breaks++;
      int ls = i;
      while (i < n && s.charAt(i) == ' ') {
        i++;
      }
      if (i >= n) {
        break;
      }
      char c = s.charAt(i);
      if (c == '\n' || c == '\r') {
        continue;
      }
      if (c == '#') {
        break;
      }
      if (i - ls > indent) {
        throw new Unsupported();
      }
      pos = i;
      line += breaks;
      lineStart = ls;
      return;
    }
    skipBlank();
  }

  /** A block mapping at {@code col} whose first key has been read; {@code pos} is after it. */
  private MappingNode blockMapping(int col, ScalarNode firstKey) {
    List<NodeTuple> tuples = new ArrayList<>();
    ScalarNode key = firstKey;
    while (true) {
      skipSpaces();
      if (pos >= n || s.charAt(pos) != ':' || !blank(pos + 1)) {
        throw new Unsupported();
      }
      pos++;
      Optional<Mark> valueEnd = mark(pos);
      tuples.add(new NodeTuple(key, mappingValue(col, valueEnd)));
      if (pos >= n || atMarker() || column() < col) {
        break;
      }
      if (column() > col) {
        throw new Unsupported();
      }
      key = blockKey();
    }
    return new MappingNode(
        Tag.MAP, true, tuples, FlowStyle.BLOCK, firstKey.getStartMark(), mark(pos));
  }

  /** The value after a block key's ':'; leaves {@code pos} at the next token. */
  private Node mappingValue(int col, Optional<Mark> valueEnd) {
    skipSpaces();
    if (pos >= n || isBreak(pos) || s.charAt(pos) == '#') {
      skipBlank();
      if (pos >= n || atMarker()) {
        return empty(valueEnd);
      }
      int c = column();
      if (c > col) {
        return blockNode(col);
      }
      if (c == col && s.charAt(pos) == '-' && blank(pos + 1)) {
        return blockSequence(col, true);
      }
      return empty(valueEnd);
    }
    return inline(col, false);
  }

  /** A key at the start of a line of a block mapping. */
  private ScalarNode blockKey() {
    char c = s.charAt(pos);
    if (c == '"' || c == '\'') {
      int from = pos;
      ScalarNode k = quoted();
      if (pos - from > MAX_KEY) {
        throw new Unsupported();
      }
      return k;
    }
    if ("-?:,[]{}#&*!|>%@`".indexOf(c) >= 0 && ((c != '-' && c != ':') || blank(pos + 1))) {
      throw new Unsupported();
    }
    int from = pos;
    int last = pos;
    int i = pos;
    while (true) {
      if (i >= n || isBreak(i)) {
        throw new Unsupported();
      }
      char d = s.charAt(i);
      if (d == ' ') {
        int j = i + 1;
        while (j < n && s.charAt(j) == ' ') {
          j++;
        }
        if (j >= n || s.charAt(j) == '#' || isBreak(j)) {
          throw new Unsupported();
        }
        i = j;
        continue;
      }
      if (d == ':' && blank(i + 1)) {
        break;
      }
      i++;
      last = i;
    }
    if (last - from > MAX_KEY) {
      throw new Unsupported();
    }
    pos = last;
    return new ScalarNode(
        Tag.STR, true, s.substring(from, last), ScalarStyle.PLAIN, mark(from), mark(last));
  }

  /**
   * A block sequence whose first '-' is at {@code pos}, in column {@code col}. An indentless
   * sequence (a mapping's value, its dashes in the mapping's column) ends at the mapping's next
   * key.
   */
  private SequenceNode blockSequence(int col, boolean indentless) {
    if (++depth > MAX_DEPTH) {
      throw new Unsupported();
    }
    Optional<Mark> start = mark(pos);
    List<Node> items = new ArrayList<>();
    while (true) {
      pos++;
      Optional<Mark> entryEnd = mark(pos);
      skipSpaces();
      if (pos >= n || isBreak(pos) || s.charAt(pos) == '#') {
        skipBlank();
        if (pos < n && !atMarker() && column() > col) {
          items.add(blockNode(col));
        } else {
          items.add(empty(entryEnd));
        }
      } else {
        if (s.charAt(pos) == '-' && blank(pos + 1)) {
          throw new Unsupported(); // "- - x"
        }
        items.add(inline(col, true));
      }
      if (pos >= n || atMarker()) {
        break;
      }
      int c = column();
      if (c == col && s.charAt(pos) == '-' && blank(pos + 1)) {
        continue;
      }
      if (c < col || (c == col && indentless)) {
        break;
      }
      throw new Unsupported();
    }
    depth--;
    return new SequenceNode(Tag.SEQ, true, items, FlowStyle.BLOCK, start, mark(pos));
  }

  /**
   * A literal or folded block scalar, following snakeyaml-engine's {@code scanBlockScalar} step by
   * step (its end mark is after the last line break it consumed).
   */
  private ScalarNode blockScalar(int indent) {
    Optional<Mark> start = mark(pos);
    boolean folded = s.charAt(pos) == '>';
    pos++;
    int chomp = 0;
    if (pos < n && (s.charAt(pos) == '-' || s.charAt(pos) == '+')) {
      chomp = s.charAt(pos) == '-' ? -1 : 1;
      pos++;
    }
    if (!blank(pos)) {
      throw new Unsupported(); // an indentation indicator, or an error
    }
    int before = pos;
    skipSpaces();
    if (pos < n && s.charAt(pos) == '#') {
      if (pos == before) {
        throw new Unsupported();
      }
      skipComment();
    }
    if (pos < n) {
      if (!isBreak(pos)) {
        throw new Unsupported(); // text after the indicator
      }
      newline();
    }
    int minIndent = Math.max(indent + 1, 1);
    int maxIndent = 0;
    int breaks = 0;
    Optional<Mark> end = mark(pos);
    while (pos < n && (s.charAt(pos) == ' ' || isBreak(pos))) {
      if (s.charAt(pos) == ' ') {
        pos++;
        maxIndent = Math.max(maxIndent, column());
      } else {
        newline();
        breaks++;
        end = mark(pos);
      }
    }
    int blockIndent = Math.max(minIndent, maxIndent);
    if (column() < blockIndent && indent != column()) {
      throw new Unsupported();
    }
    StringBuilder sb = new StringBuilder();
    boolean lineBreak = false;
    while (column() == blockIndent && pos < n) {
      sb.repeat('\n', breaks);
      boolean leadingNonSpace = s.charAt(pos) != ' ';
      int from = pos;
      skipComment(); // to the end of the line
      sb.append(s, from, pos);
      // snakeyaml-engine keeps a final line break even where the input ends without one
      lineBreak = true;
      if (pos < n) {
        newline();
      }
      end = mark(pos);
      breaks = 0;
      indentUpTo(blockIndent);
      while (isBreak(pos)) {
        newline();
        breaks++;
        end = mark(pos);
        indentUpTo(blockIndent);
      }
      if (column() == blockIndent && pos < n) {
        if (folded && lineBreak && leadingNonSpace && s.charAt(pos) != ' ') {
          if (breaks == 0) {
            sb.append(' ');
          }
        } else if (lineBreak) {
          sb.append('\n');
        }
      } else {
        break;
      }
    }
    if (chomp >= 0 && lineBreak) {
      sb.append('\n');
    }
    if (chomp > 0) {
      sb.repeat('\n', breaks);
    }
    return new ScalarNode(
        Tag.STR,
        true,
        sb.toString(),
        folded ? ScalarStyle.FOLDED : ScalarStyle.LITERAL,
        start,
        end);
  }

  private void indentUpTo(int indent) {
    while (column() < indent && pos < n && s.charAt(pos) == ' ') {
      pos++;
    }
  }

  // ---- scalars in quotes

  /** A single- or double-quoted scalar on one line. */
  private ScalarNode quoted() {
    int from = pos;
    char q = s.charAt(pos++);
    StringBuilder sb = null;
    int seg = pos;
    while (true) {
      if (pos >= n || isBreak(pos)) {
        throw new Unsupported(); // multi-line, or unterminated
      }
      char c = s.charAt(pos);
      if (c == q) {
        if (q == '\'' && pos + 1 < n && s.charAt(pos + 1) == '\'') {
          sb = (sb == null ? new StringBuilder() : sb).append(s, seg, pos + 1);
          pos += 2;
          seg = pos;
          continue;
        }
        break;
      }
      if (c == '\\' && q == '"') {
        sb = (sb == null ? new StringBuilder() : sb).append(s, seg, pos);
        pos = escape(sb, pos + 1);
        seg = pos;
        continue;
      }
      pos++;
    }
    String value = sb == null ? s.substring(seg, pos) : sb.append(s, seg, pos).toString();
    pos++;
    return new ScalarNode(
        Tag.STR,
        true,
        value,
        q == '"' ? ScalarStyle.DOUBLE_QUOTED : ScalarStyle.SINGLE_QUOTED,
        mark(from),
        mark(pos));
  }

  /** Appends the escape at {@code i} (after the backslash); returns the index after it. */
  private int escape(StringBuilder sb, int i) {
    if (i >= n) {
      throw new Unsupported();
    }
    char e = s.charAt(i);
    String r =
        switch (e) {
          case '0' -> "\0";
          case 'a' -> "\u0007";
          case 'b' -> "\b";
          case 't' -> "\t";
          case 'n' -> "\n";
          case 'v' -> "\u000b";
          case 'f' -> "\f";
          case 'r' -> "\r";
          case 'e' -> "\u001b";
          case ' ' -> " ";
          case '"' -> "\"";
          case '/' -> "/";
          case '\\' -> "\\";
          default -> null;
        };
    if (r != null) {
      sb.append(r);
      return i + 1;
    }
    int digits =
        switch (e) {
          case 'x' -> 2;
          case 'u' -> 4;
          default -> throw new Unsupported();
        };
    if (i + 1 + digits > n) {
      throw new Unsupported();
    }
    int v = 0;
    for (int k = i + 1; k <= i + digits; k++) {
      int d = Character.digit(s.charAt(k), 16);
      if (d < 0) {
        throw new Unsupported();
      }
      v = v * 16 + d;
    }
    if (Character.isSurrogate((char) v)) {
      throw new Unsupported();
    }
    sb.append((char) v);
    return i + 1 + digits;
  }

  // ---- flow context

  /** A flow mapping or sequence at {@code pos}, over any number of lines. */
  private Node flow() {
    if (++depth > MAX_DEPTH) {
      throw new Unsupported();
    }
    Optional<Mark> start = mark(pos);
    boolean map = s.charAt(pos) == '{';
    char close = map ? '}' : ']';
    pos++;
    List<NodeTuple> tuples = map ? new ArrayList<>() : List.of();
    List<Node> items = map ? List.of() : new ArrayList<>();
    skipFlowBlank();
    if (pos < n && s.charAt(pos) == close) {
      pos++;
    } else {
      while (true) {
        if (map) {
          Node key = flowNode();
          if (!(key instanceof ScalarNode k)) {
            throw new Unsupported();
          }
          skipSpaces();
          if (pos >= n
              || s.charAt(pos) != ':'
              || (k.getScalarStyle() == ScalarStyle.PLAIN && !blank(pos + 1))) {
            throw new Unsupported();
          }
          pos++;
          skipFlowBlank();
          if (pos >= n || s.charAt(pos) == ',' || s.charAt(pos) == '}') {
            throw new Unsupported();
          }
          tuples.add(new NodeTuple(key, flowNode()));
        } else {
          items.add(flowNode());
          skipSpaces();
          if (pos < n && s.charAt(pos) == ':') {
            throw new Unsupported();
          }
        }
        skipFlowBlank();
        if (pos >= n) {
          throw new Unsupported();
        }
        char c = s.charAt(pos);
        if (c == ',') {
          pos++;
          skipFlowBlank();
          if (pos >= n || s.charAt(pos) == close) {
            throw new Unsupported();
          }
        } else if (c == close) {
          pos++;
          break;
        } else {
          throw new Unsupported();
        }
      }
    }
    depth--;
    return map
        ? new MappingNode(Tag.MAP, true, tuples, FlowStyle.FLOW, start, mark(pos))
        : new SequenceNode(Tag.SEQ, true, items, FlowStyle.FLOW, start, mark(pos));
  }

  /** Spaces, line breaks and comments (after a blank) inside a flow collection. */
  private void skipFlowBlank() {
    while (true) {
      int before = pos;
      skipSpaces();
      if (pos >= n) {
        return;
      }
      char c = s.charAt(pos);
      if (c == '#') {
        if (pos == before && pos != lineStart) {
          throw new Unsupported();
        }
        skipComment();
        if (pos >= n) {
          return;
        }
        newline();
      } else if (c == '\n' || c == '\r') {
        newline();
      } else {
        if (pos == lineStart && atMarker()) {
          throw new Unsupported();
        }
        return;
      }
    }
  }

  private Node flowNode() {
    if (pos >= n) {
      throw new Unsupported();
    }
    char c = s.charAt(pos);
    switch (c) {
      case '[', '{' -> {
        return flow();
      }
      case '"', '\'' -> {
        return quoted();
      }
      case '-', '?' -> {
        if (pos + 1 >= n || " \n\r,[]{}".indexOf(s.charAt(pos + 1)) >= 0) {
          throw new Unsupported();
        }
      }
      case ':', ',', ']', '}', '#', '&', '*', '!', '|', '>', '%', '@', '`' ->
          throw new Unsupported();
      default -> {}
    }
    int from = pos;
    int last = pos;
    int i = pos;
    while (i < n) {
      char d = s.charAt(i);
      if (d == '\n' || d == '\r' || d == ',' || d == '[' || d == ']' || d == '{' || d == '}') {
        break;
      }
      if (d == ':' && (i + 1 >= n || " \n\r,[]{}".indexOf(s.charAt(i + 1)) >= 0)) {
        break;
      }
      if (d == ' ') {
        int j = i + 1;
        while (j < n && s.charAt(j) == ' ') {
          j++;
        }
        if (j >= n || s.charAt(j) == '#' || isBreak(j)) {
          break;
        }
        i = j;
        continue;
      }
      i++;
      last = i;
    }
    ScalarNode v =
        new ScalarNode(
            Tag.STR, true, s.substring(from, last), ScalarStyle.PLAIN, mark(from), mark(last));
    pos = last;
    // a plain scalar continues on the next line unless an indicator or a comment comes first
    int j = pos;
    while (j < n && (s.charAt(j) == ' ' || isBreak(j))) {
      j++;
    }
    if (j > pos && j < n && isBreakBetween(pos, j) && ",]}#".indexOf(s.charAt(j)) < 0) {
      throw new Unsupported();
    }
    return v;
  }

  private boolean isBreakBetween(int from, int to) {
    for (int i = from; i < to; i++) {
      if (isBreak(i)) {
        return true;
      }
    }
    return false;
  }
}
