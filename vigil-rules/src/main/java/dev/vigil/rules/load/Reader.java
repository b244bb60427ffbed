package dev.vigil.rules.load;

import dev.vigil.rules.Code;
import dev.vigil.rules.Diagnostic;
import dev.vigil.rules.Location;
import dev.vigil.rules.Priority;
import dev.vigil.rules.load.Defs.Entry;
import dev.vigil.rules.load.Defs.ExceptionDef;
import dev.vigil.rules.load.Defs.ListItem;
import dev.vigil.rules.load.Defs.RuleDef;
import dev.vigil.rules.text.Origin;
import dev.vigil.rules.text.SourceFile;
import dev.vigil.rules.text.Suggest;
import dev.vigil.rules.text.Text;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Reads one rules file into the {@link Collector}, item by item, as Falco's rule reader does: the
 * first matching key decides the item kind, unknown items and keys draw warnings, and the first
 * error stops the file.
 */
public final class Reader {
  /** Falco's engine version for {@code required_engine_version} checks (Falco 0.44). */
  public static final Requirements.Version ENGINE_VERSION = new Requirements.Version(0, 63, 0);

  private static final Set<String> LIST_KEYS = Set.of("list", "items", "append", "override");
  private static final Set<String> MACRO_KEYS = Set.of("macro", "condition", "append", "override");
  private static final Set<String> RULE_KEYS =
      Set.of(
          "rule",
          "condition",
          "output",
          "desc",
          "priority",
          "source",
          "enabled",
          "capture",
          "capture_duration",
          "warn_evttypes",
          "skip-if-unknown-filter",
          "tags",
          "exceptions",
          "override",
          "append");
  private static final Set<String> RULE_APPENDABLE =
      Set.of("condition", "output", "desc", "tags", "exceptions");
  private static final Set<String> RULE_REPLACEABLE =
      Set.of(
          "condition",
          "output",
          "desc",
          "priority",
          "tags",
          "exceptions",
          "enabled",
          "warn_evttypes",
          "skip-if-unknown-filter",
          "capture",
          "capture_duration");

  private static final String WARNING_APPEND =
      "'append' key is deprecated. Add an 'append' entry (e.g. 'condition: append') under"
          + " 'override' instead.";
  private static final String WARNING_ENABLED =
      "The standalone 'enabled' key usage is deprecated. The correct approach requires also a"
          + " 'replace' entry under the 'override' key (i.e. 'enabled: replace').";
  private static final String ERROR_OVERRIDE_APPEND =
      "Keys 'override' and 'append: true' cannot be used together. Add an 'append' entry (e.g."
          + " 'condition: append') under 'override' instead.";

  private final Collector collector;
  private final Diagnostics diags;
  private final Yaml yaml;
  private final List<Location> root;

  private Reader(Collector collector, Diagnostics diags, SourceFile file) {
    this.collector = collector;
    this.diags = diags;
    this.yaml = new Yaml(file);
    this.root = List.of(Location.at("rules content", "", file, -1));
  }

  /** Reads a file into the collector. Returns false (with an error recorded) on the first error. */
  public static boolean read(Collector collector, Diagnostics diags, SourceFile file) {
    return new Reader(collector, diags, file).run();
  }

  private boolean run() {
    try {
      for (Node doc : yaml.documents()) {
        if (Yaml.isNull(doc)) {
          continue;
        }
        if (!(doc instanceof SequenceNode seq)) {
          throw Yaml.validate(
              doc instanceof MappingNode
                  ? "Rules content is not yaml array of objects"
                  : "Rules content is not yaml",
              Yaml.with(root, yaml.location("rules content", "", doc)));
        }
        for (Node item : seq.getValue()) {
          if (!Yaml.isNull(item)) {
            readItem(item);
          }
        }
      }
      return true;
    } catch (LoadError e) {
      diags.error(e);
      return false;
    }
  }

  private void readItem(Node node) throws LoadError {
    if (!(node instanceof MappingNode item)) {
      throw Yaml.validate(
          "Unexpected element type. Each element should be a yaml associative array.",
          Yaml.with(root, yaml.location("rules content item", "", node)));
    }
    if (Yaml.has(item, "required_engine_version")) {
      readEngineVersion(item);
    } else if (Yaml.has(item, "required_plugin_versions")) {
      readPluginVersions(item);
    } else if (Yaml.has(item, "list")) {
      readList(item);
    } else if (Yaml.has(item, "macro")) {
      readMacro(item);
    } else if (Yaml.has(item, "rule")) {
      readRule(item);
    } else {
      diags.warn(
          Code.LOAD_UNKNOWN_ITEM,
          "Unknown top level item",
          Yaml.with(root, yaml.location("rules content item", "", item)));
    }
  }

  private void warnUnknownKeys(MappingNode item, Set<String> allowed, List<Location> ctx) {
    for (ScalarNode k : Yaml.unknownKeys(item, allowed)) {
      diags.add(
          new Diagnostic(
              Code.LOAD_UNKNOWN_KEY,
              "Unknown key '" + k.getValue() + "'. The key will be ignored.",
              Yaml.with(ctx, yaml.location("key", k.getValue(), k)),
              Suggest.closest(k.getValue(), allowed)
                  .map(n -> "did you mean '" + n + "'?")
                  .orElse("")));
    }
  }

  // ---- required versions --------------------------------------------------------------------

  private void readEngineVersion(MappingNode item) throws LoadError {
    List<Location> ctx = Yaml.with(root, yaml.location("required_engine_version", "", item));
    ScalarNode v = yaml.scalar(item, "required_engine_version", ctx);
    String raw = v.getValue().strip();
    Requirements.Version version;
    if (!raw.isEmpty() && raw.chars().allMatch(Character::isDigit)) {
      try {
        version = new Requirements.Version(0, Integer.parseInt(raw), 0);
      } catch (NumberFormatException e) {
        throw new LoadError(
            Code.LOAD_ERR_VALIDATE, "Unable to parse engine version '" + raw + "'", ctx);
      }
    } else {
      version =
          Requirements.Version.parse(raw)
              .orElseThrow(() ->
                  Yaml.validate(
                      "Unable to parse engine version '"
                          + raw
                          + "' as a semver string. Expected \"x.y.z\" semver format.",
                      ctx));
    }
    if (!ENGINE_VERSION.compatibleWith(version)) {
      throw new LoadError(
          Code.LOAD_ERR_VALIDATE,
          "Rules require engine version " + version + ", but engine version is " + ENGINE_VERSION,
          ctx);
    }
    collector.requireEngine(new Requirements.EngineVersion(version, ctx));
  }

  private void readPluginVersions(MappingNode item) throws LoadError {
    Node reqs = Yaml.get(item, "required_plugin_versions");
    List<Location> ctx =
        Yaml.with(root, yaml.location("required_plugin_versions", "", reqs == null ? item : reqs));
    if (!(reqs instanceof SequenceNode seq)) {
      throw Yaml.validate("Value of required_plugin_versions must be a sequence", ctx);
    }
    for (Node p : seq.getValue()) {
      List<Location> tmp = Yaml.with(ctx, yaml.location("required_plugin_versions entry", "", p));
      if (!(p instanceof MappingNode plugin)) {
        throw Yaml.validate("Plugin version must be a mapping", tmp);
      }
      String name = yaml.string(plugin, "name", tmp);
      List<Location> pctx =
          Yaml.with(ctx, yaml.location("required_plugin_versions entry", name, p));
      List<Requirements.PluginVersion> alts = new ArrayList<>();
      alts.add(new Requirements.PluginVersion(name, checkedVersion(plugin, name, pctx)));
      Node alternatives = Yaml.get(plugin, "alternatives");
      if (alternatives != null) {
        if (!(alternatives instanceof SequenceNode altSeq)) {
          throw Yaml.validate("Value of plugin version alternatives must be a sequence", pctx);
        }
        for (Node a : altSeq.getValue()) {
          List<Location> actx =
              Yaml.with(pctx, yaml.location("required_plugin_versions alternative", "", a));
          if (!(a instanceof MappingNode alt)) {
            throw Yaml.validate("Plugin version alternative must be a mapping", actx);
          }
          String altName = yaml.string(alt, "name", actx);
          alts.add(new Requirements.PluginVersion(altName, checkedVersion(alt, altName, actx)));
        }
      }
      collector.requirePlugin(new Requirements.PluginRequirement(alts, pctx));
    }
  }

  private String checkedVersion(MappingNode m, String name, List<Location> ctx) throws LoadError {
    String version = yaml.string(m, "version", ctx);
    if (Requirements.Version.parse(version).isEmpty()) {
      throw new LoadError(
          Code.LOAD_ERR_VALIDATE,
          "Invalid required version '" + version + "' for plugin '" + name + "'",
          ctx);
    }
    return version;
  }

  // ---- lists and macros ------------------------------------------------------------------------

  private void readList(MappingNode item) throws LoadError {
    List<Location> tmp = Yaml.with(root, yaml.location("list", "", item));
    String name = yaml.string(item, "list", tmp);
    List<Location> ctx = Yaml.with(root, yaml.location("list", name, item));
    warnUnknownKeys(item, LIST_KEYS, ctx);
    if (!Names.isBareString(name)) {
      diags.warn(
          Code.LOAD_INVALID_LIST_NAME,
          "List has an invalid name. List names should match a regular expression: "
              + Names.BARESTR,
          ctx);
    }
    List<ListItem> items = new ArrayList<>();
    for (ScalarNode s : yaml.scalarSequence(item, "items", ctx)) {
      items.add(new ListItem(s.getValue(), yaml.origin(s, Origin.Role.LIST_ITEMS, name)));
    }
    boolean append = deprecatedAppend(item, ctx);
    Overrides o = overrides(item, Set.of("items"), Set.of("items"), ctx);
    if (append && o.any()) {
      throw Yaml.validate(ERROR_OVERRIDE_APPEND, ctx);
    }
    if (append || o.append().contains("items")) {
      collector.appendList(name, items, ctx);
    } else {
      collector.defineList(name, items, ctx);
    }
  }

  private void readMacro(MappingNode item) throws LoadError {
    List<Location> tmp = Yaml.with(root, yaml.location("macro", "", item));
    String name = yaml.string(item, "macro", tmp);
    List<Location> ctx = Yaml.with(root, yaml.location("macro", name, item));
    warnUnknownKeys(item, MACRO_KEYS, ctx);
    if (!Names.isIdentifier(name)) {
      diags.warn(
          Code.LOAD_INVALID_MACRO_NAME,
          "Macro has an invalid name. Macro names should match a regular expression: "
              + Names.IDENTIFIER,
          ctx);
    }
    ScalarNode cond = yaml.scalar(item, "condition", ctx);
    List<Location> condCtx = Yaml.with(ctx, yaml.location("macro condition", "", cond));
    Text condition = yaml.text(cond, Origin.Role.MACRO_CONDITION, name);
    boolean append = deprecatedAppend(item, ctx);
    Overrides o = overrides(item, Set.of("condition"), Set.of("condition"), ctx);
    if (append && o.any()) {
      throw Yaml.validate(ERROR_OVERRIDE_APPEND, ctx);
    }
    if (append || o.append().contains("condition")) {
      collector.appendMacro(name, yaml.text(cond, Origin.Role.APPENDED_CONDITION, name), ctx);
    } else {
      collector.defineMacro(name, condition, ctx, condCtx);
    }
  }

  private boolean deprecatedAppend(MappingNode item, List<Location> ctx) throws LoadError {
    boolean append = yaml.optionalBool(item, "append", ctx).orElse(false);
    if (append) {
      diags.warn(Code.LOAD_DEPRECATED_ITEM, WARNING_APPEND, ctx);
    }
    return append;
  }

  private record Overrides(Set<String> append, Set<String> replace) {
    boolean any() {
      return !append.isEmpty() || !replace.isEmpty();
    }
  }

  private Overrides overrides(
      MappingNode item, Set<String> appendable, Set<String> replaceable, List<Location> ctx)
      throws LoadError {
    Set<String> append = new LinkedHashSet<>();
    Set<String> replace = new LinkedHashSet<>();
    Node val = Yaml.get(item, "override");
    if (val == null) {
      return new Overrides(append, replace);
    }
    List<Location> octx = Yaml.with(ctx, yaml.location("override", "", val));
    if (!(val instanceof MappingNode map)) {
      throw Yaml.validate("Value of 'override' must be a mapping", octx);
    }
    for (NodeTuple t : map.getValue()) {
      if (!(t.getKeyNode() instanceof ScalarNode k)
          || !(t.getValueNode() instanceof ScalarNode v)) {
        throw Yaml.validate(
            "Entries under 'override' must be 'key: append' or 'key: replace'", octx);
      }
      String key = k.getValue();
      String op = v.getValue();
      List<Location> kctx = Yaml.with(octx, yaml.location("override", key, k));
      if (op.equals("append")) {
        if (!appendable.contains(key)) {
          throw Yaml.validate(
              "Key '" + key + "' cannot be appended to, use 'replace' instead", kctx);
        }
        append.add(key);
      } else if (op.equals("replace")) {
        if (!replaceable.contains(key)) {
          throw Yaml.validate("Key '" + key + "' cannot be replaced", kctx);
        }
        replace.add(key);
      } else {
        StringBuilder allowed = new StringBuilder();
        if (appendable.contains(key)) {
          allowed.append("append ");
        }
        if (replaceable.contains(key)) {
          allowed.append("replace ");
        }
        throw Yaml.validate(
            "Invalid override operation for key '"
                + key
                + "': '"
                + op
                + "'. Allowed values are: "
                + allowed,
            Yaml.with(octx, yaml.location("value for", key, v)));
      }
    }
    return new Overrides(append, replace);
  }

  // ---- rules ------------------------------------------------------------------------------------

  private void readRule(MappingNode item) throws LoadError {
    List<Location> tmp = Yaml.with(root, yaml.location("rule", "", item));
    String name = yaml.string(item, "rule", tmp);
    List<Location> ctx = Yaml.with(root, yaml.location("rule", name, item));
    warnUnknownKeys(item, RULE_KEYS, ctx);
    boolean append = deprecatedAppend(item, ctx);
    Overrides o = overrides(item, RULE_APPENDABLE, RULE_REPLACEABLE, ctx);
    if (append && o.any()) {
      throw Yaml.validate(ERROR_OVERRIDE_APPEND, ctx);
    }
    if (o.any()) {
      readRuleOverrides(item, name, o, ctx);
    } else if (append) {
      readRuleAppend(item, name, ctx);
    } else if (!Yaml.has(item, "condition")
        && !Yaml.has(item, "output")
        && !Yaml.has(item, "desc")
        && !Yaml.has(item, "priority")) {
      boolean enabled = yaml.bool(item, "enabled", ctx);
      diags.warn(Code.LOAD_DEPRECATED_ITEM, WARNING_ENABLED, ctx);
      collector.enableRule(name, enabled, ctx);
    } else {
      collector.defineRule(readFullRule(item, name, ctx), diags);
    }
  }

  private RuleDef readFullRule(MappingNode item, String name, List<Location> ctx) throws LoadError {
    ScalarNode cond = yaml.scalar(item, "condition", ctx);
    ScalarNode out = yaml.scalar(item, "output", ctx);
    String desc = yaml.string(item, "desc", ctx);
    ScalarNode pri = yaml.scalar(item, "priority", ctx);
    Priority priority = priority(pri, ctx);
    String source =
        yaml.optionalScalar(item, "source", ctx).map(ScalarNode::getValue).orElse("syscall");
    boolean enabled = yaml.optionalBool(item, "enabled", ctx).orElse(true);
    boolean warnEvttypes = yaml.optionalBool(item, "warn_evttypes", ctx).orElse(true);
    boolean skip = yaml.optionalBool(item, "skip-if-unknown-filter", ctx).orElse(false);
    boolean capture = yaml.optionalBool(item, "capture", ctx).orElse(false);
    long captureDuration = yaml.optionalUnsigned(item, "capture_duration", ctx).orElse(0L);
    Set<String> tags = tags(item, ctx).orElse(Set.of());
    List<ExceptionDef> exceptions = exceptions(item, ctx, false).orElse(List.of());
    return new RuleDef(
        name,
        yaml.text(cond, Origin.Role.RULE_CONDITION, name),
        trimmed(yaml.text(out, Origin.Role.OUTPUT, name)),
        desc,
        priority,
        source,
        enabled,
        new TreeSet<>(tags),
        exceptions,
        warnEvttypes,
        skip,
        capture,
        captureDuration,
        0,
        0,
        false,
        ctx,
        Yaml.with(ctx, yaml.location("rule condition", "", cond)),
        Yaml.with(ctx, yaml.location("rule output", "", out)));
  }

  private static Text trimmed(Text t) {
    String v = t.value();
    int s = 0;
    int e = v.length();
    while (s < e && Character.isWhitespace(v.charAt(s))) {
      s++;
    }
    while (e > s && Character.isWhitespace(v.charAt(e - 1))) {
      e--;
    }
    return s == 0 && e == v.length() ? t : Text.builder().append(t, s, e).build();
  }

  private Priority priority(ScalarNode pri, List<Location> ctx) throws LoadError {
    return Priority.parse(pri.getValue())
        .orElseThrow(() ->
            Yaml.validate(
                "Invalid priority", Yaml.with(ctx, yaml.location("rule priority", "", pri))));
  }

  private void readRuleAppend(MappingNode item, String name, List<Location> ctx) throws LoadError {
    Optional<Text> cond = Optional.empty();
    List<Location> condCtx = List.of();
    Optional<ScalarNode> c = yaml.optionalScalar(item, "condition", ctx);
    if (c.isPresent()) {
      cond = Optional.of(yaml.text(c.get(), Origin.Role.APPENDED_CONDITION, name));
      condCtx = Yaml.with(ctx, yaml.location("rule condition", "", c.get()));
    }
    Optional<List<ExceptionDef>> exceptions =
        Yaml.has(item, "exceptions") ? exceptions(item, ctx, true) : Optional.empty();
    collector.appendRule(
        new RuleUpdate(
            name,
            ctx,
            cond,
            condCtx,
            Optional.empty(),
            List.of(),
            Optional.empty(),
            Optional.empty(),
            exceptions,
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty()));
  }

  private void readRuleOverrides(MappingNode item, String name, Overrides o, List<Location> ctx)
      throws LoadError {
    Set<String> expected = new TreeSet<>();
    for (NodeTuple t : item.getValue()) {
      if (t.getKeyNode() instanceof ScalarNode k
          && (RULE_APPENDABLE.contains(k.getValue()) || RULE_REPLACEABLE.contains(k.getValue()))) {
        expected.add(k.getValue());
      }
    }
    if (!o.append().isEmpty()) {
      collector.appendRule(update(item, name, o.append(), "append", expected, ctx));
    }
    if (!o.replace().isEmpty()) {
      collector.replaceRule(update(item, name, o.replace(), "replace", expected, ctx));
    }
    for (String key : expected) {
      Node k = Yaml.keyNode(item, key);
      throw Yaml.validate(
          "Unexpected key '" + key + "': no corresponding entry under 'override' is defined.",
          Yaml.with(ctx, yaml.location("override", key, k == null ? item : k)));
    }
  }

  private RuleUpdate update(
      MappingNode item,
      String name,
      Set<String> keys,
      String kind,
      Set<String> expected,
      List<Location> ctx)
      throws LoadError {
    for (String key : keys) {
      if (!expected.contains(key)) {
        throw Yaml.validate(
            "An "
                + kind
                + " override for '"
                + key
                + "' was specified but '"
                + key
                + "' is not defined",
            ctx);
      }
    }
    expected.removeAll(keys);
    Role role = kind.equals("append") ? Role.APPEND : Role.REPLACE;
    Optional<Text> cond = Optional.empty();
    List<Location> condCtx = List.of();
    if (keys.contains("condition")) {
      ScalarNode c = yaml.scalar(item, "condition", ctx);
      cond =
          Optional.of(
              yaml.text(
                  c,
                  role == Role.APPEND ? Origin.Role.APPENDED_CONDITION : Origin.Role.RULE_CONDITION,
                  name));
      condCtx = Yaml.with(ctx, yaml.location("rule condition", "", c));
    }
    Optional<Text> output = Optional.empty();
    List<Location> outCtx = List.of();
    if (keys.contains("output")) {
      ScalarNode out = yaml.scalar(item, "output", ctx);
      output = Optional.of(trimmed(yaml.text(out, Origin.Role.OUTPUT, name)));
      outCtx = Yaml.with(ctx, yaml.location("rule output", "", out));
    }
    Optional<String> desc =
        keys.contains("desc") ? Optional.of(yaml.string(item, "desc", ctx)) : Optional.empty();
    Optional<Set<String>> tags = keys.contains("tags") ? tags(item, ctx) : Optional.empty();
    Optional<List<ExceptionDef>> exceptions =
        keys.contains("exceptions") ? exceptions(item, ctx, role == Role.APPEND) : Optional.empty();
    Optional<Priority> priority = Optional.empty();
    if (keys.contains("priority")) {
      priority = Optional.of(priority(yaml.scalar(item, "priority", ctx), ctx));
    }
    Optional<Boolean> enabled =
        keys.contains("enabled") ? Optional.of(yaml.bool(item, "enabled", ctx)) : Optional.empty();
    Optional<Boolean> warn =
        keys.contains("warn_evttypes")
            ? Optional.of(yaml.bool(item, "warn_evttypes", ctx))
            : Optional.empty();
    Optional<Boolean> skip =
        keys.contains("skip-if-unknown-filter")
            ? Optional.of(yaml.bool(item, "skip-if-unknown-filter", ctx))
            : Optional.empty();
    Optional<Boolean> capture =
        keys.contains("capture") ? Optional.of(yaml.bool(item, "capture", ctx)) : Optional.empty();
    Optional<Long> duration =
        keys.contains("capture_duration")
            ? yaml.optionalUnsigned(item, "capture_duration", ctx)
            : Optional.empty();
    return new RuleUpdate(
        name,
        ctx,
        cond,
        condCtx,
        output,
        outCtx,
        desc,
        tags,
        exceptions,
        priority,
        enabled,
        warn,
        skip,
        capture,
        duration);
  }

  private enum Role {
    APPEND,
    REPLACE
  }

  private Optional<Set<String>> tags(MappingNode item, List<Location> ctx) throws LoadError {
    if (!Yaml.has(item, "tags")) {
      return Optional.empty();
    }
    Set<String> tags = new TreeSet<>();
    for (ScalarNode s : yaml.scalarSequence(item, "tags", ctx)) {
      tags.add(s.getValue());
    }
    return Optional.of(tags);
  }

  // ---- exceptions -------------------------------------------------------------------------------

  private Optional<List<ExceptionDef>> exceptions(
      MappingNode item, List<Location> parent, boolean append) throws LoadError {
    Node exs = Yaml.get(item, "exceptions");
    if (exs == null || Yaml.isNull(exs)) {
      return Optional.of(List.of());
    }
    List<Location> exsCtx = Yaml.with(parent, yaml.location("exceptions", "", exs));
    if (!(exs instanceof SequenceNode seq)) {
      throw Yaml.validate("Rule exceptions must be a sequence", exsCtx);
    }
    List<ExceptionDef> out = new ArrayList<>();
    for (Node exNode : seq.getValue()) {
      List<Location> tmp = Yaml.with(exsCtx, yaml.location("exception", "", exNode));
      if (!(exNode instanceof MappingNode ex)) {
        throw Yaml.validate("Rule exception must be a mapping", tmp);
      }
      String name = yaml.string(ex, "name", tmp);
      List<Location> ctx = Yaml.with(parent, yaml.location("exception", name, ex));
      if (out.stream().anyMatch(e -> e.name().equals(name))) {
        diags.warn(
            Code.LOAD_EXCEPTION_NAME_NOT_UNIQUE,
            "Multiple definitions of exception '" + name + "' in the same rule",
            ctx);
      }
      Entry fields = entry(ex, "fields", ctx, append, name);
      Entry comps = entry(ex, "comps", ctx, true, name);
      List<Entry> values = new ArrayList<>();
      Node vals = Yaml.get(ex, "values");
      if (vals != null) {
        List<Location> valsCtx = Yaml.with(ctx, yaml.location("exception values", "", vals));
        if (!(vals instanceof SequenceNode vseq)) {
          throw Yaml.validate("Rule exception values must be a sequence", valsCtx);
        }
        for (Node v : vseq.getValue()) {
          values.add(
              entryValue(v, Yaml.with(valsCtx, yaml.location("exception value", "", v)), name, 0));
        }
      } else if (append) {
        diags.warn(
            Code.LOAD_APPEND_NO_VALUES, "Overriding/appending exception with no values", ctx);
      }
      out.add(new ExceptionDef(name, fields, comps, values, ctx));
    }
    return Optional.of(out);
  }

  private Entry entry(
      MappingNode ex, String key, List<Location> ctx, boolean optional, String exName)
      throws LoadError {
    Node val = Yaml.get(ex, key);
    if (val == null) {
      if (optional) {
        return new Entry.Absent();
      }
      throw Yaml.validate("Item has no mapping for key '" + key + "'", ctx);
    }
    return entryValue(val, Yaml.with(ctx, yaml.location("value for", key, val)), exName, 0);
  }

  private Entry entryValue(Node val, List<Location> ctx, String exName, int depth)
      throws LoadError {
    if (depth > 8) {
      throw Yaml.validate("Exception values are nested too deeply", ctx);
    }
    if (val instanceof ScalarNode s && !Yaml.isNull(val)) {
      if (s.getValue().isEmpty()) {
        throw Yaml.validate("Value must be non-empty", ctx);
      }
      return new Entry.Scalar(s.getValue(), yaml.text(s, Origin.Role.EXCEPTION, exName));
    }
    if (val instanceof SequenceNode seq) {
      List<Entry> items = new ArrayList<>();
      for (Node v : seq.getValue()) {
        items.add(
            entryValue(v, Yaml.with(ctx, yaml.location("exception", "", v)), exName, depth + 1));
      }
      return new Entry.Seq(items);
    }
    return new Entry.Absent();
  }

  /** Names of list and macro definitions, checked as Falco checks them. */
  static final class Names {
    static final String IDENTIFIER = "([a-zA-Z]+[a-zA-Z0-9_]*)";
    static final String BARESTR = "([^()\"'[:space:]=,]+)";

    private Names() {}

    static boolean isIdentifier(String s) {
      if (s.isEmpty() || !Character.isLetter(s.charAt(0)) || s.charAt(0) > 127) {
        return false;
      }
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        boolean ok =
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
        if (!ok) {
          return false;
        }
      }
      return true;
    }

    static boolean isBareString(String s) {
      if (s.isEmpty()) {
        return false;
      }
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c == '(' || c == ')' || c == '"' || c == '\'' || c == '=' || c == ',') {
          return false;
        }
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0B || c == '\f') {
          return false;
        }
      }
      return true;
    }
  }
}
