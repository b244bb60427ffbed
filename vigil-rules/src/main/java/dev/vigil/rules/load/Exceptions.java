package dev.vigil.rules.load;

import dev.vigil.event.FieldResolution;
import dev.vigil.event.SourceInfo;
import dev.vigil.rules.Code;
import dev.vigil.rules.ast.Expr;
import dev.vigil.rules.load.Defs.Entry;
import dev.vigil.rules.load.Defs.ExceptionDef;
import dev.vigil.rules.parse.ParseResult;
import dev.vigil.rules.parse.Parser;
import dev.vigil.rules.text.Text;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** Validation of rule exceptions when they are defined, as Falco's collector does it. */
final class Exceptions {
  private Exceptions() {}

  /**
   * Checks an exception's fields and comps and fills in default comps ({@code =} for each field of
   * the list form, {@code in} for the single-field form).
   */
  static ExceptionDef validate(@Nullable SourceInfo source, ExceptionDef ex) throws LoadError {
    return switch (ex.fields()) {
      case Entry.Seq fields -> validateList(source, ex, fields);
      case Entry.Scalar field -> validateScalar(source, ex, field);
      case Entry.Absent a -> ex;
    };
  }

  private static ExceptionDef validateList(
      @Nullable SourceInfo source, ExceptionDef ex, Entry.Seq fields) throws LoadError {
    ExceptionDef out = ex;
    if (ex.comps() instanceof Entry.Absent) {
      List<Entry> eq = new ArrayList<>();
      for (int i = 0; i < fields.items().size(); i++) {
        eq.add(new Entry.Scalar("=", Text.plain("=")));
      }
      out = ex.withComps(new Entry.Seq(eq));
    }
    List<Entry> comps = out.comps() instanceof Entry.Seq s ? s.items() : List.of();
    if (comps.size() != fields.items().size()) {
      throw new LoadError(
          Code.LOAD_ERR_VALIDATE, "Fields and comps lists must have equal length", ex.trail());
    }
    for (Entry c : comps) {
      String op = scalar(c);
      if (!isOperator(op)) {
        throw new LoadError(
            Code.LOAD_ERR_VALIDATE,
            "'" + op + "' is not a supported comparison operator",
            ex.trail());
      }
    }
    if (source != null) {
      for (Entry f : fields.items()) {
        checkField(source, scalar(f), ex);
      }
    }
    return out;
  }

  private static ExceptionDef validateScalar(
      @Nullable SourceInfo source, ExceptionDef ex, Entry.Scalar field) throws LoadError {
    ExceptionDef out = ex;
    if (ex.comps() instanceof Entry.Absent) {
      out = ex.withComps(new Entry.Scalar("in", Text.plain("in")));
    }
    if (!(out.comps() instanceof Entry.Scalar comp)) {
      throw new LoadError(
          Code.LOAD_ERR_VALIDATE, "Fields and comps must both be strings", ex.trail());
    }
    String op = normalize(comp.value());
    if (!op.equals("in")
        && !op.equals("pmatch")
        && !op.equals("intersects")
        && !isModifierOperator(op)) {
      throw new LoadError(
          Code.LOAD_ERR_VALIDATE,
          "When fields is a single value, comps must be one of (in, pmatch, intersects) or a"
              + " string operator with a modifier (oneof, anyof, allof)",
          ex.trail());
    }
    if (source != null) {
      checkField(source, field.value(), ex);
    }
    return out;
  }

  private static String scalar(Entry e) {
    return e instanceof Entry.Scalar s ? s.value() : "";
  }

  /** Collapses runs of blanks, so that {@code "startswith oneof"} reads as one operator. */
  static String normalize(String op) {
    return op.strip().replaceAll("\\s+", " ");
  }

  /** A plain operator of the grammar, or a string operator with a list modifier. */
  static boolean isOperator(String raw) {
    String op = normalize(raw);
    return Parser.operators().contains(op) || isModifierOperator(op);
  }

  /** {@code startswith oneof}, {@code = anyof}...: a string operator and a modifier. */
  static boolean isModifierOperator(String raw) {
    String op = normalize(raw).toLowerCase(Locale.ROOT);
    int sp = op.lastIndexOf(' ');
    if (sp < 0) {
      return false;
    }
    String base = op.substring(0, sp);
    String mod = op.substring(sp + 1);
    return Parser.modifiers().contains(mod) && STRING_OPERATORS.contains(base);
  }

  private static final List<String> STRING_OPERATORS =
      List.of(
          "=",
          "==",
          "!=",
          "glob",
          "iglob",
          "contains",
          "icontains",
          "bcontains",
          "startswith",
          "bstartswith",
          "endswith",
          "regex");

  private static void checkField(SourceInfo source, String field, ExceptionDef ex)
      throws LoadError {
    if (!isFieldDefined(source, field)) {
      throw new LoadError(
          Code.LOAD_ERR_VALIDATE, "'" + field + "' is not a supported filter field", ex.trail());
    }
  }

  /** A field, or a transformer over fields, that the source knows. */
  static boolean isFieldDefined(SourceInfo source, String field) {
    ParseResult r = Parser.parse(Text.plain(field + " exists"));
    if (!(r instanceof ParseResult.Ok(Expr.UnaryCheck(var left, var op, var span)))) {
      return false;
    }
    return fieldsKnown(source, left);
  }

  private static boolean fieldsKnown(SourceInfo source, Expr e) {
    return switch (e) {
      case Expr.Field f ->
          source.fields().resolve(f.name(), f.arg()) instanceof FieldResolution.Resolved;
      case Expr.Transformer t -> t.args().stream().allMatch(a -> fieldsKnown(source, a));
      case Expr.TransformerList l -> l.items().stream().allMatch(a -> fieldsKnown(source, a));
      case Expr.Value v -> true;
      default -> false;
    };
  }
}
