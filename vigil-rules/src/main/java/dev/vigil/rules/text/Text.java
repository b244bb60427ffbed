package dev.vigil.rules.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A text (a condition, an output) assembled from pieces of rules files, remembering where every
 * character came from.
 *
 * <p>Falco builds conditions by text: appends join condition strings, exceptions add {@code and not
 * ...} clauses, and lists are substituted into the text before parsing. Vigil does the same (the
 * results must be identical) but keeps a piece table alongside, so parse errors point into the
 * right file and {@code rules explain} can say which macro, list, exception or append each part
 * came from.
 */
public final class Text {

  /**
   * A run of characters of {@link #value()} from one origin.
   *
   * @param start first offset in the text
   * @param end offset after the last character
   * @param origin where the characters came from
   */
  public record Piece(int start, int end, Origin origin) {}

  private final String value;
  private final List<Piece> pieces;

  private Text(String value, List<Piece> pieces) {
    this.value = value;
    this.pieces = List.copyOf(pieces);
  }

  /** A text that is one piece of a file. */
  public static Text of(String value, Origin origin) {
    return new Text(value, List.of(new Piece(0, value.length(), origin)));
  }

  /** A text with no known origin (for example in tests). */
  public static Text plain(String value) {
    SourceFile f = new SourceFile("<condition>", value);
    return of(
        value,
        new Origin(Origin.Role.GENERATED, "", new ScalarMap(f, 0, value.length(), value), 0));
  }

  public String value() {
    return value;
  }

  public List<Piece> pieces() {
    return pieces;
  }

  public int length() {
    return value.length();
  }

  /** The piece covering {@code offset}, or the nearest one before it. */
  public Optional<Piece> pieceAt(int offset) {
    Piece best = null;
    for (Piece p : pieces) {
      if (p.start() <= offset && (offset < p.end() || best == null)) {
        best = p;
      }
      if (p.start() > offset) {
        break;
      }
    }
    if (best == null && !pieces.isEmpty()) {
      best = pieces.getFirst();
    }
    return Optional.ofNullable(best);
  }

  /** The origin of the character at {@code offset}. */
  public Optional<Origin> originAt(int offset) {
    return pieceAt(offset).map(Piece::origin);
  }

  /** Where the character at {@code offset} is in its file. */
  public Optional<Position> position(int offset) {
    return pieceAt(offset)
        .map(p ->
            p.origin().role() == Origin.Role.LIST_ITEMS
                ? p.origin().position(0)
                : p.origin().position(Math.clamp(offset - p.start(), 0, p.end() - p.start())));
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Assembles a text from texts and generated strings. */
  public static final class Builder {
    private final StringBuilder sb = new StringBuilder();
    private final List<Piece> pieces = new ArrayList<>();

    /** Appends all of {@code t}, keeping its origins. */
    public Builder append(Text t) {
      return append(t, 0, t.length());
    }

    /** Appends {@code t[from, to)}, keeping its origins. */
    public Builder append(Text t, int from, int to) {
      int shift = sb.length() - from;
      for (Piece p : t.pieces) {
        int s = Math.max(p.start(), from);
        int e = Math.min(p.end(), to);
        if (s < e) {
          Origin o = p.origin();
          Origin shifted =
              o.role() == Origin.Role.LIST_ITEMS
                  ? o
                  : new Origin(o.role(), o.name(), o.map(), o.base() + (s - p.start()));
          pieces.add(new Piece(s + shift, e + shift, shifted));
        }
      }
      sb.append(t.value, from, to);
      return this;
    }

    /** Appends text produced by Vigil (joins, parentheses, quotes). */
    public Builder generated(String s) {
      sb.append(s);
      return this;
    }

    /** Appends text standing for something else, attributed wholly to {@code origin}. */
    public Builder substituted(String s, Origin origin) {
      if (!s.isEmpty()) {
        pieces.add(new Piece(sb.length(), sb.length() + s.length(), origin));
      }
      sb.append(s);
      return this;
    }

    public int length() {
      return sb.length();
    }

    public Text build() {
      return new Text(sb.toString(), pieces);
    }
  }
}
