package dev.vigil.rules.compile;

import dev.vigil.event.FieldDef;
import dev.vigil.event.FieldResolution;
import dev.vigil.event.FieldType;
import dev.vigil.event.SourceInfo;
import dev.vigil.rules.ast.Expr;
import dev.vigil.rules.ast.Span;
import dev.vigil.rules.compile.Cond.Arity;
import dev.vigil.rules.compile.Cond.Operand;
import dev.vigil.rules.compile.Operator.Modifier;
import dev.vigil.rules.parse.ParseResult;
import dev.vigil.rules.parse.Parser;
import dev.vigil.rules.text.Suggest;
import dev.vigil.rules.text.Text;
import java.util.ArrayList;
import java.util.List;

/**
 * Type-checks a macro-resolved condition against a source's field catalogue and produces its {@link
 * Cond} tree: every field must exist and take its argument correctly, every operator must suit the
 * field's type, and every constant must parse as the field's type. Like libsinsp's filter compiler,
 * it also warns about constants that look like fields.
 */
public final class Checker {

  /** Why a check failed: unknown names can be downgraded by {@code skip-if-unknown-filter}. */
  public enum ErrorKind {
    UNKNOWN_FIELD,
    UNKNOWN_EVENT_TYPE,
    INVALID
  }

  /** A compile error at a node. */
  public static final class CompileError extends Exception {
    private static final long serialVersionUID = 1L;
    private final ErrorKind kind;
    private final String reason;
    private final transient Span span;
    private final String hint;

    CompileError(ErrorKind kind, String reason, Span span) {
      this(kind, reason, span, "");
    }

    CompileError(ErrorKind kind, String reason, Span span, String hint) {
      super(reason, null, false, false);
      this.kind = kind;
      this.reason = reason;
      this.span = span;
      this.hint = hint;
    }

    /** A suggestion for the fix ({@code ""} if none). */
    public String hint() {
      return hint;
    }

    public ErrorKind kind() {
      return kind;
    }

    public String reason() {
      return reason;
    }

    public Span span() {
      return span;
    }
  }

  /** A compile warning at a node. */
  public record Warning(String message, Span span) {}

  private final SourceInfo source;
  private final List<Warning> warnings = new ArrayList<>();

  private Checker(SourceInfo source) {
    this.source = source;
  }

  /** The result of checking a condition. */
  public record Checked(Cond cond, List<Warning> warnings) {
    public Checked {
      warnings = List.copyOf(warnings);
    }
  }

  public static Checked check(SourceInfo source, Expr expr) throws CompileError {
    Checker c = new Checker(source);
    Cond cond = c.cond(expr);
    return new Checked(cond, c.warnings);
  }

  private Cond cond(Expr e) throws CompileError {
    return switch (e) {
      case Expr.And a -> new Cond.And(conds(a.children()));
      case Expr.Or o -> new Cond.Or(conds(o.children()));
      case Expr.Not n -> new Cond.Not(cond(n.child()));
      case Expr.Identifier i ->
          throw new CompileError(
              ErrorKind.INVALID, "Undefined macro '" + i.name() + "' used in filter.", i.span());
      case Expr.UnaryCheck u -> unary(u);
      case Expr.BinaryCheck b -> binary(b);
      case Expr.Field f -> throw notACondition(f.span());
      case Expr.Transformer t -> throw notACondition(t.span());
      case Expr.TransformerList l -> throw notACondition(l.span());
      case Expr.Value v -> throw notACondition(v.span());
      case Expr.ListValue l -> throw notACondition(l.span());
    };
  }

  private static CompileError notACondition(Span span) {
    return new CompileError(ErrorKind.INVALID, "expected a condition", span);
  }

  private List<Cond> conds(List<Expr> es) throws CompileError {
    List<Cond> out = new ArrayList<>(es.size());
    for (Expr e : es) {
      out.add(cond(e));
    }
    return out;
  }

  private Cond unary(Expr.UnaryCheck u) throws CompileError {
    if (!u.op().equals("exists")) {
      throw new CompileError(ErrorKind.INVALID, "unknown operator '" + u.op() + "'", u.span());
    }
    Operand left = operand(u.left(), false);
    return new Cond.Check(left, Operator.EXISTS, Modifier.NONE, new Cond.Rhs.None(), u.span());
  }

  private Cond binary(Expr.BinaryCheck b) throws CompileError {
    String[] parts = b.op().split(" ", -1);
    Operator op =
        Operator.parse(parts[0])
            .orElseThrow(() ->
                new CompileError(ErrorKind.INVALID, "unknown operator '" + b.op() + "'", b.span()));
    Modifier mod = Modifier.NONE;
    if (parts.length > 1) {
      mod =
          Modifier.parse(parts[parts.length - 1])
              .orElseThrow(() ->
                  new CompileError(
                      ErrorKind.INVALID, "unknown operator '" + b.op() + "'", b.span()));
    }
    Operand left = operand(b.left(), false);
    String leftName = describe(b.left());
    checkOperator(left, op, mod, leftName, b.span());
    Cond.Rhs rhs =
        switch (b.right()) {
          case Expr.Value v -> {
            checkValue(left, op, v.value(), leftName, v.span());
            warnIfLooksLikeField(v);
            yield new Cond.Rhs.Values(List.of(v.value()));
          }
          case Expr.ListValue l -> {
            if (!op.isListOperator() && mod == Modifier.NONE) {
              throw new CompileError(
                  ErrorKind.INVALID,
                  "operator '" + op.text() + "' does not take a list of values",
                  l.span());
            }
            for (String value : l.values()) {
              checkValue(left, op, value, leftName, l.span());
            }
            yield new Cond.Rhs.Values(l.values());
          }
          case Expr.Transformer t -> {
            if (op == Operator.PMATCH || op == Operator.REGEX || mod != Modifier.NONE) {
              throw new CompileError(
                  ErrorKind.INVALID,
                  "operator '" + b.op() + "' does not support field-to-field comparisons",
                  t.span());
            }
            Operand right = operand(t, true);
            if (filterOnly(left) || filterOnly(right)) {
              throw new CompileError(
                  ErrorKind.INVALID,
                  "field-to-field comparisons are not supported with "
                      + (filterOnly(left) ? leftName : describe(t)),
                  t.span());
            }
            if (right.type().kind() != left.type().kind()
                && !(right.type().isNumeric() && left.type().isNumeric())) {
              throw new CompileError(
                  ErrorKind.INVALID,
                  "cannot compare "
                      + leftName
                      + " ("
                      + left.type()
                      + ") with "
                      + describe(t)
                      + " ("
                      + right.type()
                      + "): the types differ",
                  t.span());
            }
            yield new Cond.Rhs.Field(right);
          }
          case Expr.Field f -> throw notACondition(f.span());
          case Expr.TransformerList l -> throw notACondition(l.span());
          case Expr.And a -> throw notACondition(a.span());
          case Expr.Or o -> throw notACondition(o.span());
          case Expr.Not n -> throw notACondition(n.span());
          case Expr.Identifier i -> throw notACondition(i.span());
          case Expr.UnaryCheck u -> throw notACondition(u.span());
          case Expr.BinaryCheck c -> throw notACondition(c.span());
        };
    if (mod != Modifier.NONE && !(b.right() instanceof Expr.ListValue)) {
      throw new CompileError(
          ErrorKind.INVALID, "operator '" + b.op() + "' needs a list of values", b.span());
    }
    return new Cond.Check(left, op, mod, rhs, b.span());
  }

  /** Fields meaningful only as the left side of a constant comparison (e.g. evt.around). */
  private static boolean filterOnly(Operand o) {
    return o instanceof Cond.FieldOperand f
        && f.field().is(FieldDef.Attribute.FILTER_ONLY)
        && f.field().requiresArgument();
  }

  // ---- operands ---------------------------------------------------------------------------------

  private Operand operand(Expr e, boolean rhs) throws CompileError {
    return switch (e) {
      case Expr.Field f -> field(f);
      case Expr.Transformer t -> transformer(t, rhs);
      case Expr.Value v -> new Cond.ConstOperand(v.value(), FieldType.CHARBUF);
      case Expr.TransformerList l -> {
        List<Operand> items = new ArrayList<>();
        for (Expr i : l.items()) {
          items.add(operand(i, rhs));
        }
        yield new Cond.ListOperand(items);
      }
      case Expr.ListValue l -> throw notAnOperand(l.span());
      case Expr.And a -> throw notAnOperand(a.span());
      case Expr.Or o -> throw notAnOperand(o.span());
      case Expr.Not n -> throw notAnOperand(n.span());
      case Expr.Identifier i -> throw notAnOperand(i.span());
      case Expr.UnaryCheck u -> throw notAnOperand(u.span());
      case Expr.BinaryCheck b -> throw notAnOperand(b.span());
    };
  }

  private static CompileError notAnOperand(Span span) {
    return new CompileError(ErrorKind.INVALID, "expected a field or a transformer", span);
  }

  private Cond.FieldOperand field(Expr.Field f) throws CompileError {
    FieldResolution r = source.fields().resolve(f.name(), f.arg());
    return switch (r) {
      case FieldResolution.Resolved(FieldDef def, String arg) ->
          new Cond.FieldOperand(def, arg, arity(def, arg), f.span());
      case FieldResolution.Unknown u ->
          throw new CompileError(
              ErrorKind.UNKNOWN_FIELD,
              "filter_check called with nonexistent field " + written(f),
              f.span(),
              fieldHint(f.name()));
      case FieldResolution.BadArgument(FieldDef def, String message) ->
          throw new CompileError(ErrorKind.INVALID, message, f.span());
    };
  }

  private String fieldHint(String name) {
    List<String> names = new java.util.ArrayList<>();
    for (FieldDef d : source.fields().fields()) {
      names.add(d.name());
    }
    return Suggest.closest(name, names).map(n -> "did you mean '" + n + "'?").orElse("");
  }

  /** List fields compare as lists; "any" fields without an argument mean "any of". */
  static Arity arity(FieldDef def, String arg) {
    if (def.isList()) {
      return Arity.LIST;
    }
    if (def.is(FieldDef.Attribute.ANY) && arg.isEmpty()) {
      return Arity.ANY;
    }
    return Arity.SINGLE;
  }

  private static String written(Expr.Field f) {
    return f.arg().isEmpty() ? f.name() : f.name() + "[" + f.arg() + "]";
  }

  private Operand transformer(Expr.Transformer t, boolean rhs) throws CompileError {
    List<Operand> args = new ArrayList<>();
    for (Expr a : t.args()) {
      args.add(operand(a, rhs));
    }
    String name = t.name();
    return switch (name) {
      case "val" -> {
        if (!rhs) {
          throw new CompileError(
              ErrorKind.INVALID, "'val' can only be used on the right-hand side", t.span());
        }
        if (args.size() != 1 || !(args.getFirst() instanceof Cond.FieldOperand f)) {
          throw new CompileError(
              ErrorKind.INVALID, "'val' takes exactly one field argument", t.span());
        }
        yield f;
      }
      case "tolower", "toupper", "basename", "b64" -> {
        Operand in = single(t, args);
        FieldType ty = in.type();
        boolean ok =
            ty == FieldType.CHARBUF
                || ty == FieldType.FSPATH
                || ty == FieldType.FSRELPATH
                || (name.equals("b64") && ty == FieldType.BYTEBUF);
        if (!ok || in instanceof Cond.ListOperand) {
          throw new CompileError(
              ErrorKind.INVALID,
              "transformer '" + name + "' is not supported on field type " + ty,
              t.span());
        }
        yield new Cond.TransformerOperand(name, args, t.arg(), ty, in.arity(), t.span());
      }
      case "len" -> {
        Operand in = single(t, args);
        if (in.type().kind() != FieldType.Kind.STRING
            && in.type().kind() != FieldType.Kind.BYTES
            && in.arity() != Arity.LIST) {
          throw new CompileError(
              ErrorKind.INVALID,
              "transformer 'len' is not supported on field type " + in.type(),
              t.span());
        }
        yield new Cond.TransformerOperand(
            name, args, t.arg(), FieldType.UINT64, Arity.SINGLE, t.span());
      }
      case "join" -> {
        if (args.size() != 2
            || args.getFirst().arity() != Arity.SINGLE
            || args.get(1).arity() == Arity.SINGLE) {
          throw new CompileError(
              ErrorKind.INVALID,
              "transformer 'join' takes a single-valued separator and a list",
              t.span());
        }
        yield new Cond.TransformerOperand(
            name, args, t.arg(), FieldType.CHARBUF, Arity.SINGLE, t.span());
      }
      case "concat" -> {
        if (args.size() < 2) {
          throw new CompileError(
              ErrorKind.INVALID, "transformer 'concat' takes at least two arguments", t.span());
        }
        for (Operand a : args) {
          if (a.type().kind() != FieldType.Kind.STRING || a.arity() != Arity.SINGLE) {
            throw new CompileError(
                ErrorKind.INVALID,
                "transformer 'concat' takes single string values, not " + a.type(),
                t.span());
          }
        }
        yield new Cond.TransformerOperand(
            name, args, t.arg(), FieldType.CHARBUF, Arity.SINGLE, t.span());
      }
      case "getopt" -> {
        if (args.size() != 2
            || args.getFirst().arity() == Arity.SINGLE
            || args.get(1).arity() != Arity.SINGLE) {
          throw new CompileError(
              ErrorKind.INVALID,
              "transformer 'getopt' takes an argument list and a constant option string",
              t.span());
        }
        yield new Cond.TransformerOperand(
            name, args, t.arg(), FieldType.CHARBUF, Arity.LIST, t.span());
      }
      default ->
          throw new CompileError(ErrorKind.INVALID, "unknown transformer '" + name + "'", t.span());
    };
  }

  private static Operand single(Expr.Transformer t, List<Operand> args) throws CompileError {
    if (args.size() != 1 || args.getFirst() instanceof Cond.ConstOperand) {
      throw new CompileError(
          ErrorKind.INVALID,
          "transformer '" + t.name() + "' takes exactly one field or transformer",
          t.span());
    }
    return args.getFirst();
  }

  // ---- operators and values ---------------------------------------------------------------------

  private static void checkOperator(
      Operand left, Operator op, Modifier mod, String leftName, Span span) throws CompileError {
    if (left.arity() == Arity.LIST
        && op != Operator.EXISTS
        && op != Operator.IN
        && op != Operator.INTERSECTS) {
      throw new CompileError(
          ErrorKind.INVALID,
          "list filter '" + leftName + "' only supports operators 'exists', 'in' and 'intersects'",
          span);
    }
    if (!OperatorTypes.supports(left.type(), op)) {
      throw new CompileError(
          ErrorKind.INVALID,
          "operator '"
              + op.text()
              + "' not supported for field '"
              + leftName
              + "' of type "
              + left.type(),
          span);
    }
    if (mod != Modifier.NONE) {
      if (!OperatorTypes.supportsModifier(op)) {
        throw new CompileError(
            ErrorKind.INVALID, "operator '" + op.text() + "' does not accept a modifier", span);
      }
      if (left.arity() != Arity.SINGLE) {
        throw new CompileError(
            ErrorKind.INVALID,
            "modifier '"
                + mod.name().toLowerCase(java.util.Locale.ROOT)
                + "' needs a single-valued field, not '"
                + leftName
                + "'",
            span);
      }
    }
  }

  private void checkValue(Operand left, Operator op, String value, String leftName, Span span)
      throws CompileError {
    if (left instanceof Cond.FieldOperand f
        && !source.eventTypeField().isEmpty()
        && f.field().name().equals(source.eventTypeField())
        && f.arg().isEmpty()
        && (op == Operator.EQ
            || op == Operator.EQ_EQ
            || op == Operator.NE
            || op == Operator.IN
            || op == Operator.INTERSECTS)
        && source.eventTypes().byName(value).isEmpty()) {
      throw new CompileError(ErrorKind.UNKNOWN_EVENT_TYPE, "unknown event type " + value, span);
    }
    if (op == Operator.REGEX) {
      if (Values.isTrivialRegex(value)) {
        warnings.add(
            new Warning(
                "regular expression '"
                    + value
                    + "' can be written with a simpler operator (=, startswith, endswith or"
                    + " contains)",
                span));
      }
      String err = Values.regexError(value);
      if (!err.isEmpty()) {
        throw new CompileError(
            ErrorKind.INVALID, "invalid regular expression '" + value + "': " + err, span);
      }
      return;
    }
    if (op == Operator.BCONTAINS || op == Operator.BSTARTSWITH) {
      if (Values.hexBytes(value).isEmpty()) {
        throw new CompileError(
            ErrorKind.INVALID,
            "'" + value + "' is not a valid hex string for operator '" + op.text() + "'",
            span);
      }
      return;
    }
    String err = Values.check(left.type(), value);
    if (!err.isEmpty()) {
      throw new CompileError(
          ErrorKind.INVALID,
          "'" + value + "' is not a valid " + err + " value for field '" + leftName + "'",
          span);
    }
  }

  /** libsinsp warns when a constant looks like a field or a transformer of fields. */
  private void warnIfLooksLikeField(Expr.Value v) {
    String s = v.value().strip();
    if (s.isEmpty() || !Character.isLetter(s.charAt(0))) {
      return;
    }
    ParseResult r = Parser.parse(Text.plain(s + " exists"));
    if (r instanceof ParseResult.Ok(Expr.UnaryCheck(var left, var op, var span))) {
      if (left instanceof Expr.Field f
          && source.fields().resolve(f.name(), f.arg()) instanceof FieldResolution.Resolved) {
        warnings.add(
            new Warning(
                "'" + v.value() + "' may be a valid field misused as a const string value",
                v.span()));
      } else if (left instanceof Expr.Transformer) {
        warnings.add(
            new Warning(
                "'"
                    + v.value()
                    + "' may be a valid field transformer misused as a const string value",
                v.span()));
      }
    }
  }

  /** A short description of an operand as written, for messages. */
  static String describe(Expr e) {
    return dev.vigil.rules.ast.Ast.print(e);
  }
}
