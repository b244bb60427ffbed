package dev.vigil.rules.compile;

import dev.vigil.event.FieldDef;
import dev.vigil.event.FieldResolution;
import dev.vigil.event.SourceInfo;
import dev.vigil.rules.AppendOutput;
import dev.vigil.rules.Code;
import dev.vigil.rules.Location;
import dev.vigil.rules.Rule;
import dev.vigil.rules.Ruleset;
import dev.vigil.rules.ast.Expr;
import dev.vigil.rules.ast.Span;
import dev.vigil.rules.load.Collector;
import dev.vigil.rules.load.Defs.ExceptionDef;
import dev.vigil.rules.load.Defs.ListDef;
import dev.vigil.rules.load.Defs.MacroDef;
import dev.vigil.rules.load.Defs.RuleDef;
import dev.vigil.rules.load.Diagnostics;
import dev.vigil.rules.load.LoadError;
import dev.vigil.rules.output.OutputTemplate;
import dev.vigil.rules.parse.ParseResult;
import dev.vigil.rules.parse.Parser;
import dev.vigil.rules.text.Origin;
import dev.vigil.rules.text.ScalarMap;
import dev.vigil.rules.text.Text;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compiles everything a {@link Collector} holds, in Falco's order: lists (one level of nested
 * lists), macros (lists substituted, parsed, then resolved against the macros visible to each),
 * then rules (exceptions, output, condition, event types). The first error stops compilation;
 * warnings accumulate.
 */
public final class Compiler {
  /** Falco warns when a rule's condition matches more than this many event codes. */
  public static final int MAX_EVENT_TYPES = 100;

  /** Upper bounds on a condition after macro expansion. */
  static final int MAX_EXPANDED_DEPTH = 2_000;

  static final int MAX_EXPANDED_NODES = 1_000_000;

  private static final String CONTAINER_INFO = "%container.info";

  private final Collector collector;
  private final Map<String, SourceInfo> sources;
  private final Diagnostics diags;
  private final List<TextExpansion.ListText> lists = new ArrayList<>();
  private final Set<String> usedLists = new HashSet<>();
  private final Map<String, Expr> macroAsts = new LinkedHashMap<>();
  private final Set<String> usedMacros = new HashSet<>();

  private final List<AppendOutput> appendOutput;

  private Compiler(
      Collector collector,
      Map<String, SourceInfo> sources,
      List<AppendOutput> appendOutput,
      Diagnostics diags) {
    this.collector = collector;
    this.sources = sources;
    this.appendOutput = List.copyOf(appendOutput);
    this.diags = diags;
  }

  /** Compiles the collector's contents; on error, records it and returns an empty ruleset. */
  public static Ruleset compile(
      Collector collector,
      Map<String, SourceInfo> sources,
      List<AppendOutput> appendOutput,
      Diagnostics diags) {
    Compiler c = new Compiler(collector, sources, appendOutput, diags);
    try {
      return c.run();
    } catch (LoadError e) {
      diags.error(e);
      return Ruleset.empty();
    }
  }

  private Ruleset run() throws LoadError {
    compileLists();
    compileMacros();
    List<Rule> rules = compileRules();
    for (MacroDef m : collector.macros()) {
      if (!usedMacros.contains(m.name())) {
        diags.warn(
            Code.LOAD_UNUSED_MACRO, "Macro not referred to by any other rule/macro", m.trail());
      }
    }
    for (ListDef l : collector.lists()) {
      if (!usedLists.contains(l.name())) {
        diags.warn(
            Code.LOAD_UNUSED_LIST, "List not referred to by any other rule/macro", l.trail());
      }
    }
    List<Ruleset.Macro> macros = new ArrayList<>();
    for (MacroDef m : collector.macros()) {
      Expr e = macroAsts.get(m.name());
      if (e != null) {
        macros.add(new Ruleset.Macro(m.name(), m.condition(), e, usedMacros.contains(m.name())));
      }
    }
    List<Ruleset.ListDef> listDefs = new ArrayList<>();
    for (TextExpansion.ListText l : lists) {
      listDefs.add(new Ruleset.ListDef(l.name(), l.items(), usedLists.contains(l.name())));
    }
    return new Ruleset(rules, macros, listDefs);
  }

  // ---- lists --------------------------------------------------------------------------------

  private void compileLists() {
    for (ListDef list : collector.lists()) {
      List<String> items = new ArrayList<>();
      for (var item : list.items()) {
        var ref = collector.list(item.value());
        if (ref.isPresent() && ref.get().index() < list.visibility()) {
          usedLists.add(ref.get().name());
          ref.get().items().forEach(i -> items.add(i.value()));
        } else {
          items.add(item.value());
        }
      }
      lists.add(new TextExpansion.ListText(list.name(), items, listOrigin(list)));
    }
  }

  private static Origin listOrigin(ListDef list) {
    Location at = list.trail().getLast();
    return new Origin(
        Origin.Role.LIST_ITEMS, list.name(), ScalarMap.at(at.file(), at.offset(), ""), 0);
  }

  private Text substituteLists(Text cond) {
    Text t = cond;
    for (TextExpansion.ListText l : lists) {
      if (TextExpansion.occurs(t.value(), l.name())) {
        t = TextExpansion.substitute(t, l);
        usedLists.add(l.name());
      }
    }
    return t;
  }

  private Expr parse(Text cond, List<Location> ctx) throws LoadError {
    int limit = dev.vigil.rules.RulesLoader.MAX_CONDITION_LENGTH;
    if (cond.length() > limit) {
      throw new LoadError(
          Code.LOAD_ERR_COMPILE_CONDITION,
          "condition is " + cond.length() + " characters long; the limit is " + limit,
          ctx);
    }
    Text expanded = substituteLists(cond);
    if (expanded.length() > limit) {
      throw new LoadError(
          Code.LOAD_ERR_COMPILE_CONDITION,
          "condition is "
              + expanded.length()
              + " characters long after list expansion; the limit is "
              + limit,
          ctx);
    }
    return switch (Parser.parse(expanded)) {
      case ParseResult.Ok(Expr e) -> e;
      case ParseResult.SyntaxError(String message, int offset) ->
          throw new LoadError(
              Code.LOAD_ERR_COMPILE_CONDITION, message, expressionTrail(ctx, expanded, offset));
    };
  }

  /** The trail of a diagnostic inside a condition text: the exact character's position. */
  static List<Location> expressionTrail(List<Location> ctx, Text text, int offset) {
    List<Location> out = new ArrayList<>(ctx);
    text.position(offset).ifPresent(p -> out.add(Location.at("condition expression", "", p)));
    return out;
  }

  static List<Location> expressionTrail(List<Location> ctx, Span span) {
    return expressionTrail(ctx, span.text(), span.start());
  }

  // ---- macros -------------------------------------------------------------------------------

  private void compileMacros() throws LoadError {
    Map<String, MacroDef> defs = new LinkedHashMap<>();
    for (MacroDef m : collector.macros()) {
      defs.put(m.name(), m);
      macroAsts.put(m.name(), parse(m.condition(), m.conditionTrail()));
    }
    for (MacroDef m : defs.values()) {
      Map<String, Expr> visible = new HashMap<>();
      for (MacroDef other : defs.values()) {
        if (other.index() < m.visibility()) {
          visible.put(other.name(), java.util.Objects.requireNonNull(macroAsts.get(other.name())));
        }
      }
      Expr resolved =
          resolveMacros(
              java.util.Objects.requireNonNull(macroAsts.get(m.name())), visible, m.trail());
      macroAsts.put(m.name(), resolved);
    }
  }

  private Expr resolveMacros(Expr ast, Map<String, Expr> visible, List<Location> ctx)
      throws LoadError {
    MacroResolver.Result r = MacroResolver.resolve(ast, visible);
    if (!r.errors().isEmpty() || !r.unknown().isEmpty()) {
      MacroResolver.Problem p =
          !r.errors().isEmpty() ? r.errors().getFirst() : r.unknown().getFirst();
      if (!r.errors().isEmpty()) {
        throw new LoadError(Code.LOAD_ERR_VALIDATE, p.message(), expressionTrail(ctx, p.span()));
      }
      String hint =
          dev.vigil.rules.text.Suggest.closest(p.message(), macroAsts.keySet())
              .map(n -> "did you mean '" + n + "'?")
              .orElse("");
      throw new LoadError(
          Code.LOAD_ERR_VALIDATE,
          "Undefined macro '" + p.message() + "' used in filter.",
          expressionTrail(ctx, p.span()),
          hint);
    }
    usedMacros.addAll(r.resolved());
    checkSize(r.expr(), ctx);
    return r.expr();
  }

  private static void checkSize(Expr e, List<Location> ctx) throws LoadError {
    AstMeasure.Size size = AstMeasure.measure(e);
    if (size.depth() > MAX_EXPANDED_DEPTH || size.nodes() > MAX_EXPANDED_NODES) {
      throw new LoadError(
          Code.LOAD_ERR_COMPILE_CONDITION,
          "condition is too large after macro expansion ("
              + size.nodes()
              + " nodes, nesting depth "
              + size.depth()
              + "; limits "
              + MAX_EXPANDED_NODES
              + " and "
              + MAX_EXPANDED_DEPTH
              + ")",
          ctx);
    }
  }

  // ---- rules --------------------------------------------------------------------------------

  private List<Rule> compileRules() throws LoadError {
    List<Rule> out = new ArrayList<>();
    for (RuleDef r : collector.rules()) {
      if (r.unknownSource()) {
        continue;
      }
      SourceInfo source = sources.get(r.source());
      if (source == null) {
        throw new LoadError(
            Code.LOAD_ERR_VALIDATE, "Unknown source at compile-time " + r.source(), r.trail());
      }
      Rule rule = compileRule(r, source);
      if (rule != null) {
        out.add(rule);
      }
    }
    return out;
  }

  private @org.jspecify.annotations.Nullable Rule compileRule(RuleDef r, SourceInfo source)
      throws LoadError {
    Text condition = r.condition();
    if (!r.exceptions().isEmpty()) {
      ExceptionDef[] at = new ExceptionDef[1];
      try {
        condition = TextExpansion.withExceptions(condition, r.exceptions(), at);
      } catch (TextExpansion.ShapeError e) {
        ExceptionDef ex = at[0];
        throw new LoadError(
            Code.LOAD_ERR_VALIDATE, e.reason(), ex == null ? r.trail() : ex.trail());
      }
    }
    OutputTemplate output = compileOutput(r, source);
    Map<String, OutputTemplate> extraFields = compileExtraFields(r, source);
    if (output == null || extraFields == null) {
      return null;
    }
    Expr ast = parse(condition, r.conditionTrail());
    Expr expanded = resolveMacros(ast, macroAsts, r.trail());
    Warnings.check(expanded, source, r.conditionTrail(), diags);
    Cond cond;
    try {
      Checker.Checked checked = Checker.check(source, expanded);
      cond = checked.cond();
      for (Checker.Warning w : checked.warnings()) {
        diags.warn(
            Code.LOAD_COMPILE_CONDITION,
            w.message(),
            expressionTrail(r.conditionTrail(), w.span()));
      }
    } catch (Checker.CompileError e) {
      if (r.skipIfUnknownFilter() && e.kind() != Checker.ErrorKind.INVALID) {
        diags.warn(
            Code.LOAD_UNKNOWN_FILTER, e.reason(), expressionTrail(r.conditionTrail(), e.span()));
        return null;
      }
      throw new LoadError(
          Code.LOAD_ERR_COMPILE_CONDITION,
          e.reason(),
          expressionTrail(r.conditionTrail(), e.span()),
          e.hint());
    }
    BitSet types = eventTypes(expanded, source, r);
    List<String> events = new ArrayList<>();
    for (int i = types.nextSetBit(0); i >= 0; i = types.nextSetBit(i + 1)) {
      events.add(source.eventTypes().byCode(i).name());
    }
    events.sort(null);
    return new Rule(
        r.name(),
        r.source(),
        r.priority(),
        r.enabled(),
        r.tags(),
        r.desc(),
        condition,
        expanded,
        dev.vigil.rules.ast.Ast.print(expanded),
        cond,
        types,
        events,
        output,
        extraFields,
        r.exceptions().stream().map(ExceptionDef::name).toList(),
        r.capture(),
        r.captureDuration(),
        r.trail());
  }

  private BitSet eventTypes(Expr expanded, SourceInfo source, RuleDef r) throws LoadError {
    BitSet types;
    if (source.eventTypeField().isEmpty()) {
      types = new BitSet();
      types.set(0, source.eventTypes().size());
      return types;
    }
    try {
      types = EventTypeInference.infer(source.eventTypes(), expanded);
    } catch (Checker.CompileError e) {
      throw new LoadError(
          Code.LOAD_ERR_COMPILE_CONDITION,
          e.reason(),
          expressionTrail(r.conditionTrail(), e.span()));
    }
    if (r.warnEvttypes()
        && EventTypeInference.weight(source.eventTypes(), types) > MAX_EVENT_TYPES) {
      diags.warn(
          Code.LOAD_NO_EVTTYPE,
          "Rule matches too many evt.type values. This has a significant performance penalty.",
          r.trail());
    }
    return types;
  }

  /** Parses and checks the output; null when the rule is skipped (skip-if-unknown-filter). */
  private @org.jspecify.annotations.Nullable OutputTemplate compileOutput(
      RuleDef r, SourceInfo source) throws LoadError {
    Text text = r.output();
    int info = text.value().indexOf(CONTAINER_INFO);
    if (info >= 0) {
      diags.warn(
          Code.LOAD_DEPRECATED_ITEM,
          "%container.info is deprecated and no more useful, and will be dropped by Falco 1.0.0."
              + " The container plugin will automatically add required fields to the output"
              + " message.",
          r.trail());
      Text.Builder b = Text.builder();
      int from = 0;
      while (info >= 0) {
        b.append(text, from, info);
        from = info + CONTAINER_INFO.length();
        info = text.value().indexOf(CONTAINER_INFO, from);
      }
      b.append(text, from, text.length());
      text = b.build();
    }
    for (AppendOutput a : appendOutput) {
      if (!a.extraOutput().isEmpty() && a.match().matches(r.source(), r.tags(), r.name())) {
        text = Text.builder().append(text).append(Text.plain(" " + a.extraOutput())).build();
      }
    }
    return checkedTemplate(r, text, source);
  }

  /** The formatted extra fields of {@code append_output}; null when the rule is skipped. */
  private @org.jspecify.annotations.Nullable Map<String, OutputTemplate> compileExtraFields(
      RuleDef r, SourceInfo source) throws LoadError {
    Map<String, OutputTemplate> out = new LinkedHashMap<>();
    for (AppendOutput a : appendOutput) {
      if (!a.match().matches(r.source(), r.tags(), r.name())) {
        continue;
      }
      for (AppendOutput.ExtraField f : a.extraFields()) {
        OutputTemplate t = checkedTemplate(r, Text.plain(f.format()), source);
        if (t == null) {
          return null;
        }
        out.put(f.key(), t);
      }
    }
    return out;
  }

  /** Parses an output format and checks its tokens; null when the rule is skipped. */
  private @org.jspecify.annotations.Nullable OutputTemplate checkedTemplate(
      RuleDef r, Text text, SourceInfo source) throws LoadError {
    OutputTemplate template;
    try {
      template = OutputTemplate.parse(text);
    } catch (OutputTemplate.FormatError e) {
      throw new LoadError(
          Code.LOAD_ERR_COMPILE_OUTPUT, e.reason(), outputTrail(r, text, e.offset()));
    }
    Map<String, Span> deprecated = new java.util.TreeMap<>();
    for (OutputTemplate.Part.Token t : template.tokens()) {
      try {
        Checker.check(source, new Expr.UnaryCheck(t.expr(), "exists", t.span()));
      } catch (Checker.CompileError e) {
        if (r.skipIfUnknownFilter() && e.kind() != Checker.ErrorKind.INVALID) {
          diags.warn(Code.LOAD_UNKNOWN_FILTER, e.reason(), outputTrail(r, text, t.span().start()));
          return null;
        }
        String reason =
            e.kind() == Checker.ErrorKind.UNKNOWN_FIELD
                ? "invalid formatting token " + t.key() + ": " + e.reason()
                : e.reason();
        throw new LoadError(
            Code.LOAD_ERR_COMPILE_OUTPUT, reason, outputTrail(r, text, t.span().start()), e.hint());
      }
      collectDeprecated(t.expr(), source, deprecated);
    }
    deprecated.forEach((name, span) ->
        diags.warn(
            Code.LOAD_DEPRECATED_ITEM,
            "usage of deprecated field '" + name + "' has been detected in the rule output",
            outputTrail(r, template.text(), span.start())));
    return template;
  }

  private static List<Location> outputTrail(RuleDef r, Text text, int offset) {
    List<Location> out = new ArrayList<>(r.outputTrail());
    text.position(offset).ifPresent(p -> out.add(Location.at("output expression", "", p)));
    return out;
  }

  /** Deprecated fields used in {@code e}, with the first place each is used. */
  static void collectDeprecated(Expr e, SourceInfo source, Map<String, Span> into) {
    switch (e) {
      case Expr.Field f -> {
        if (source.fields().resolve(f.name(), f.arg())
                instanceof FieldResolution.Resolved(FieldDef def, String arg)
            && def.is(FieldDef.Attribute.DEPRECATED)) {
          into.putIfAbsent(def.name(), f.span());
        }
      }
      case Expr.Transformer t -> t.args().forEach(a -> collectDeprecated(a, source, into));
      case Expr.TransformerList l -> l.items().forEach(a -> collectDeprecated(a, source, into));
      case Expr.And a -> a.children().forEach(c -> collectDeprecated(c, source, into));
      case Expr.Or o -> o.children().forEach(c -> collectDeprecated(c, source, into));
      case Expr.Not n -> collectDeprecated(n.child(), source, into);
      case Expr.UnaryCheck u -> collectDeprecated(u.left(), source, into);
      case Expr.BinaryCheck b -> {
        collectDeprecated(b.left(), source, into);
        collectDeprecated(b.right(), source, into);
      }
      case Expr.Identifier i -> {}
      case Expr.Value v -> {}
      case Expr.ListValue l -> {}
    }
  }
}
