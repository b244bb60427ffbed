package dev.vigil.rules.output;

import dev.vigil.event.Extractor;
import dev.vigil.event.ExtractorFactory;
import dev.vigil.event.FieldType;
import dev.vigil.event.SourceInfo;
import dev.vigil.rules.AlertValue;
import dev.vigil.rules.ast.Expr;
import dev.vigil.rules.ast.Span;
import dev.vigil.rules.compile.Checker;
import dev.vigil.rules.compile.Cond;
import dev.vigil.rules.match.Extractors;
import dev.vigil.rules.text.Text;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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

  private OutputRenderer(List<Piece<E>> pieces, List<Extra<E>> extras) {
    this.pieces = List.copyOf(pieces);
    this.extras = List.copyOf(extras);
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
    Map<String, AlertValue> fields = new LinkedHashMap<>();
    for (Piece<E> p : pieces) {
      switch (p) {
        case Piece.Literal<E> l -> sb.append(l.text());
        case Piece.Field<E> f -> {
          AlertValue v = value(f.extractor(), event);
          fields.putIfAbsent(f.key(), v);
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
    for (Extra<E> x : extras) {
      fields.put(x.key(), x.renderer().single(event));
    }
    return new Rendered(sb.toString(), fields);
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
