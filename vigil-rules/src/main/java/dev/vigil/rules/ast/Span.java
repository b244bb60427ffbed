package dev.vigil.rules.ast;

import dev.vigil.rules.text.Origin;
import dev.vigil.rules.text.Position;
import dev.vigil.rules.text.Text;
import java.util.Optional;

/**
 * Where a node was parsed: offsets into the text it came from. Macro bodies keep their own text
 * when they are expanded into a rule, so a span always leads back to the right file and item.
 *
 * @param text the parsed text
 * @param start offset of the node's first character (Falco's {@code pos_info.idx})
 * @param end offset after its last character
 */
public record Span(Text text, int start, int end) {

  /** Position of the node's start in its file. */
  public Optional<Position> position() {
    return text.position(start);
  }

  public Optional<Origin> origin() {
    return text.originAt(start);
  }

  /** 1-based line within the parsed text (Falco's {@code pos_info.line}). */
  public int line() {
    int line = 1;
    String v = text.value();
    for (int i = 0; i < start && i < v.length(); i++) {
      char c = v.charAt(i);
      if (c == '\n' || c == '\r') {
        line++;
      }
    }
    return line;
  }

  /** 1-based column within the parsed text (Falco's {@code pos_info.col}). */
  public int column() {
    int col = 1;
    String v = text.value();
    for (int i = 0; i < start && i < v.length(); i++) {
      char c = v.charAt(i);
      col = c == '\n' || c == '\r' ? 1 : col + 1;
    }
    return col;
  }
}
