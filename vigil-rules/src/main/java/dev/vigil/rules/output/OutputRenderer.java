package dev.vigil.rules.output;

import dev.vigil.event.Extractor;
import dev.vigil.event.ExtractorFactory;
import dev.vigil.event.FieldType;
import dev.vigil.event.SourceInfo;
import dev.vigil.rules.AlertFields;
import dev.vigil.rules.AlertValue;
import dev.vigil.rules.ast.Expr;
import dev.vigil.rules.ast.Span;
import dev.vigil.rules.compile.Checker;
import dev.vigil.rules.compile.Cond;
import dev.vigil.rules.match.Extractors;
import dev.vigil.rules.text.Text;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An output template bound to a source's extractors: renders the text of an alert and the typed
 * values of every field it names. Runs only when a rule matched.
 */
public final class OutputRenderer<E> {

  /** A rendered output. */
  public record Rendered(String text, Map<String, AlertValue> fields) {}

  private sealed interface Piece<E> {
    record Literal<E>(String text) implements Piece<E> {}

    record Field<E>(String key, int width, Extractor<E> extractor) implements Piece<E> {}
  }

  private record Extra<E>(String key, OutputRenderer<E> renderer) {}

  private final List<Piece<E>> pieces;
  private final List<Extra<E>> extras;

  /** The alert's field names: each piece's first, then the extras' (a repeat keeps its place). */
  private final AlertFields.Names names;

  /** Per piece, the position of its field in {@link #names} (-1 for a literal). */
  private final int[] pieceSlot;

  /** Per extra, the position of its field in {@link #names}. */
  private final int[] extraSlot;

  private OutputRenderer(List<Piece<E>> pieces, List<Extra<E>> extras) {
    this.pieces = List.copyOf(pieces);
    this.extras = List.copyOf(extras);
    List<String> order = new ArrayList<>();
    this.pieceSlot = new int[this.pieces.size()];
    for (int i = 0; i < pieceSlot.length; i++) {
      pieceSlot[i] = this.pieces.get(i) instanceof Piece.Field<E> f ? slot(order, f.key()) : -1;
    }
    this.extraSlot = new int[this.extras.size()];
    for (int i = 0; i < extraSlot.length; i++) {
      extraSlot[i] = slot(order, this.extras.get(i).key());
    }
    this.names = AlertFields.Names.of(order);
  }

  private static int slot(List<String> order, String key) {
    int at = order.indexOf(key);
    if (at < 0) {
      order.add(key);
      at = order.size() - 1;
    }
    return at;
  }

  /**
   * Binds a rule's output and its extra formatted fields ({@code append_output}'s {@code
   * extra_fields}); see {@link #bind(OutputTemplate, List, SourceInfo, ExtractorFactory)}.
   */
  public static <E> OutputRenderer<E> bind(
      OutputTemplate template,
      Map<String, OutputTemplate> extraFields,
      List<String> appendFields,
      SourceInfo source,
      ExtractorFactory<?> factory) {
    OutputRenderer<E> main = bind(template, appendFields, source, factory);
    List<Extra<E>> extras = new ArrayList<>();
    extraFields.forEach((key, t) ->
        extras.add(new Extra<>(key, OutputRenderer.<E>bind(t, List.of(), source, factory))));
    return new OutputRenderer<>(main.pieces, extras);
  }

  /**
   * Binds a template, appending {@code name=%field} for each of {@code appendFields} the template
   * does not already show (the name is the field with dots as underscores).
   */
  public static <E> OutputRenderer<E> bind(
      OutputTemplate template,
      List<String> appendFields,
      SourceInfo source,
      ExtractorFactory<?> factory) {
    List<Piece<E>> pieces = new ArrayList<>();
    List<String> shown = new ArrayList<>();
    for (OutputTemplate.Part p : template.parts()) {
      switch (p) {
        case OutputTemplate.Part.Literal l -> pieces.add(new Piece.Literal<>(l.text()));
        case OutputTemplate.Part.Token t -> {
          pieces.add(new Piece.Field<>(t.key(), t.width(), extractor(t.expr(), source, factory)));
          shown.add(t.key());
        }
      }
    }
    for (String f : appendFields) {
      if (shown.contains(f) || source.fields().field(f).isEmpty()) {
        continue;
      }
      Text t = Text.plain(f);
      Expr.Field expr = new Expr.Field(f, "", new Span(t, 0, f.length()));
      pieces.add(new Piece.Literal<>(" " + f.replace('.', '_') + "="));
      pieces.add(new Piece.Field<>(f, 0, extractor(expr, source, factory)));
    }
    return new OutputRenderer<>(pieces, List.of());
  }

  private static <E> Extractor<E> extractor(
      Expr expr, SourceInfo source, ExtractorFactory<?> factory) {
    try {
      Cond c = Checker.check(source, new Expr.UnaryCheck(expr, "exists", expr.span())).cond();
      if (c instanceof Cond.Check check) {
        return Extractors.bind(check.left(), factory);
      }
    } catch (Checker.CompileError e) {
      throw new IllegalStateException("output token was validated at load: " + e.reason(), e);
    }
    throw new IllegalStateException("unexpected output token " + expr);
  }

  public Rendered render(E event) {
    StringBuilder sb = new StringBuilder();
    AlertValue[] values = new AlertValue[names.size()];
    for (int i = 0; i < pieceSlot.length; i++) {
      switch (pieces.get(i)) {
        case Piece.Literal<E> l -> sb.append(l.text());
        case Piece.Field<E> f -> {
          AlertValue v = value(f.extractor(), event);
          if (values[pieceSlot[i]] == null) {
            values[pieceSlot[i]] = v;
          }
          String text = v.text();
          if (f.width() > 0) {
            text =
                text.length() > f.width()
                    ? text.substring(0, f.width())
                    : text + " ".repeat(f.width() - text.length());
          }
          sb.append(text);
        }
      }
    }
    for (int i = 0; i < extraSlot.length; i++) {
      values[extraSlot[i]] = extras.get(i).renderer().single(event);
    }
    return new Rendered(sb.toString(), names.with(values));
  }

  /** A lone {@code %field} keeps its type; anything else is the rendered text. */
  private AlertValue single(E event) {
    if (pieces.size() == 1 && pieces.getFirst() instanceof Piece.Field<E> f && f.width() == 0) {
      return value(f.extractor(), event);
    }
    return new AlertValue.Text(render(event).text());
  }

  static <E> AlertValue value(Extractor<E> x, E event) {
    return switch (x) {
      case Extractor.OfString<E> s -> {
        String v = s.text(event);
        yield v == null ? new AlertValue.Missing() : new AlertValue.Text(v);
      }
      case Extractor.OfLong<E> n -> {
        if (!n.has(event)) {
          yield new AlertValue.Missing();
        }
        if (n.type() == FieldType.BOOL) {
          yield new AlertValue.Bool(n.number(event) != 0);
        }
        String v = n.format(event);
        yield v == null ? new AlertValue.Missing() : new AlertValue.Num(v);
      }
      case Extractor.OfDouble<E> d ->
          d.has(event)
              ? new AlertValue.Num(Double.toString(d.decimal(event)))
              : new AlertValue.Missing();
      case Extractor.OfList<E> l -> {
        List<String> v = l.values(event);
        yield v == null ? new AlertValue.Missing() : new AlertValue.Values(v);
      }
      case Extractor.OfBytes<E> b -> {
        String v = b.format(event);
        yield v == null ? new AlertValue.Missing() : new AlertValue.Text(v);
      }
      case Extractor.OfBytesList<E> l -> {
        List<byte[]> v = l.values(event);
        if (v == null) {
          yield new AlertValue.Missing();
        }
        List<String> text = new ArrayList<>(v.size());
        v.forEach(b -> text.add(l.render(b)));
        yield new AlertValue.Values(text);
      }
    };
  }
}
