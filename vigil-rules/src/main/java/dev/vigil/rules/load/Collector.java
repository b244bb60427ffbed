package dev.vigil.rules.load;

import dev.vigil.event.SourceInfo;
import dev.vigil.rules.Code;
import dev.vigil.rules.Location;
import dev.vigil.rules.load.Defs.Entry;
import dev.vigil.rules.load.Defs.ExceptionDef;
import dev.vigil.rules.load.Defs.ListDef;
import dev.vigil.rules.load.Defs.ListItem;
import dev.vigil.rules.load.Defs.MacroDef;
import dev.vigil.rules.load.Defs.RuleDef;
import dev.vigil.rules.text.Text;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Holds every list, macro and rule definition across all loaded files, applying definitions,
 * appends, replacements and enable toggles in load order, with Falco's semantics: a redefinition
 * keeps the original evaluation slot ({@code index}), and every change moves the item's {@code
 * visibility} to the current position, which decides what it may refer to.
 */
public final class Collector {
  private final Map<String, SourceInfo> sources;
  private final Map<String, ListDef> lists = new LinkedHashMap<>();
  private final Map<String, MacroDef> macros = new LinkedHashMap<>();
  private final Map<String, RuleDef> rules = new LinkedHashMap<>();
  private final List<Requirements.EngineVersion> engineVersions = new ArrayList<>();
  private final List<Requirements.PluginRequirement> pluginRequirements = new ArrayList<>();
  private int counter;

  public Collector(Map<String, SourceInfo> sources) {
    this.sources = Map.copyOf(sources);
  }

  public List<ListDef> lists() {
    return List.copyOf(lists.values());
  }

  public List<MacroDef> macros() {
    return List.copyOf(macros.values());
  }

  public List<RuleDef> rules() {
    return List.copyOf(rules.values());
  }

  public Optional<ListDef> list(String name) {
    return Optional.ofNullable(lists.get(name));
  }

  public List<Requirements.EngineVersion> engineVersions() {
    return List.copyOf(engineVersions);
  }

  public List<Requirements.PluginRequirement> pluginRequirements() {
    return List.copyOf(pluginRequirements);
  }

  Map<String, SourceInfo> sources() {
    return sources;
  }

  void requireEngine(Requirements.EngineVersion v) {
    engineVersions.add(v);
  }

  void requirePlugin(Requirements.PluginRequirement r) throws LoadError {
    java.util.Set<String> names = new java.util.HashSet<>();
    for (Requirements.PluginVersion alt : r.alternatives()) {
      if (!names.add(alt.name())) {
        throw new LoadError(
            Code.LOAD_ERR_VALIDATE,
            "Defined multiple alternative version requirements for plugin '" + alt.name() + "'",
            r.trail());
      }
    }
    pluginRequirements.add(r);
  }

  // ---- lists ------------------------------------------------------------------------------------

  void defineList(String name, List<ListItem> items, List<Location> trail) {
    int id = counter++;
    ListDef prev = lists.get(name);
    lists.put(name, new ListDef(name, items, prev == null ? id : prev.index(), id, trail));
  }

  void appendList(String name, List<ListItem> items, List<Location> trail) throws LoadError {
    ListDef prev = lists.get(name);
    if (prev == null) {
      throw new LoadError(
          Code.LOAD_ERR_VALIDATE,
          "List uses 'append' or 'override.items: append' but no list by that name already exists",
          trail);
    }
    List<ListItem> all = new ArrayList<>(prev.items());
    all.addAll(items);
    lists.put(name, new ListDef(name, all, prev.index(), counter++, prev.trail()));
  }

  // ---- macros -----------------------------------------------------------------------------------

  void defineMacro(String name, Text condition, List<Location> trail, List<Location> condTrail) {
    int id = counter++;
    MacroDef prev = macros.get(name);
    macros.put(
        name,
        new MacroDef(name, condition, prev == null ? id : prev.index(), id, trail, condTrail));
  }

  void appendMacro(String name, Text condition, List<Location> trail) throws LoadError {
    MacroDef prev = macros.get(name);
    if (prev == null) {
      throw new LoadError(
          Code.LOAD_ERR_VALIDATE,
          "Macro uses 'append' or 'override.condition: append' but no macro by that name already"
              + " exists",
          trail);
    }
    Text joined = Text.builder().append(prev.condition()).generated(" ").append(condition).build();
    macros.put(
        name,
        new MacroDef(name, joined, prev.index(), counter++, prev.trail(), prev.conditionTrail()));
  }

  // ---- rules ------------------------------------------------------------------------------------

  void defineRule(RuleDef info, Diagnostics diags) throws LoadError {
    RuleDef prev = rules.get(info.name());
    if (prev != null && !prev.source().equals(info.source())) {
      throw new LoadError(
          Code.LOAD_ERR_VALIDATE, "Rule has been re-defined with a different source", info.trail());
    }
    SourceInfo source = sources.get(info.source());
    boolean unknown = source == null;
    if (unknown) {
      diags.warn(
          Code.LOAD_UNKNOWN_SOURCE, "Unknown source " + info.source() + ", skipping", info.trail());
    }
    List<ExceptionDef> checked = new ArrayList<>();
    for (ExceptionDef ex : info.exceptions()) {
      if (ex.fields() instanceof Entry.Absent) {
        throw new LoadError(
            Code.LOAD_ERR_VALIDATE,
            "Rule exception item must have fields property with a list of fields",
            ex.trail());
      }
      checked.add(Exceptions.validate(source, ex));
    }
    int id = counter++;
    rules.put(
        info.name(),
        new RuleDef(
            info.name(),
            info.condition(),
            info.output(),
            info.desc(),
            info.priority(),
            info.source(),
            info.enabled(),
            info.tags(),
            checked,
            info.warnEvttypes(),
            info.skipIfUnknownFilter(),
            info.capture(),
            info.captureDuration(),
            prev == null ? id : prev.index(),
            id,
            unknown,
            info.trail(),
            info.conditionTrail(),
            info.outputTrail()));
  }

  /** Appends to an existing rule (the deprecated {@code append: true} or override append). */
  void appendRule(RuleUpdate u) throws LoadError {
    RuleDef prev = rules.get(u.name());
    if (prev == null) {
      throw new LoadError(
          Code.LOAD_ERR_VALIDATE,
          "Rule uses 'append' or 'override.<key>: append' but no rule by that name already exists",
          u.trail());
    }
    if (!u.hasAnyValue()) {
      throw new LoadError(
          Code.LOAD_ERR_VALIDATE,
          "Appended rule must have exceptions or condition property",
          u.trail());
    }
    SourceInfo source = prev.unknownSource() ? null : sources.get(prev.source());
    Text cond = prev.condition();
    if (u.condition().isPresent() && !u.condition().get().value().isEmpty()) {
      cond = Text.builder().append(cond).generated(" ").append(u.condition().get()).build();
    }
    Text output = prev.output();
    if (u.output().isPresent() && !u.output().get().value().isEmpty()) {
      output = Text.builder().append(output).generated(" ").append(u.output().get()).build();
    }
    String desc = prev.desc();
    if (u.desc().isPresent() && !u.desc().get().isEmpty()) {
      desc = desc + " " + u.desc().get();
    }
    TreeSet<String> tags = new TreeSet<>(prev.tags());
    u.tags().ifPresent(tags::addAll);
    List<ExceptionDef> exceptions = new ArrayList<>(prev.exceptions());
    if (u.exceptions().isPresent()) {
      for (ExceptionDef ex : u.exceptions().get()) {
        int at = indexOf(exceptions, ex.name());
        if (at < 0) {
          if (ex.fields() instanceof Entry.Absent) {
            throw new LoadError(
                Code.LOAD_ERR_VALIDATE,
                "Rule exception must have fields property with a list of fields",
                ex.trail());
          }
          if (ex.values().isEmpty()) {
            throw new LoadError(
                Code.LOAD_ERR_VALIDATE,
                "Rule exception must have values property with a list of values",
                ex.trail());
          }
          exceptions.add(Exceptions.validate(source, ex));
        } else {
          if (!(ex.fields() instanceof Entry.Absent)) {
            throw new LoadError(
                Code.LOAD_ERR_VALIDATE,
                "Can not append exception fields to existing exception, only values",
                ex.trail());
          }
          if (!(ex.comps() instanceof Entry.Absent)) {
            throw new LoadError(
                Code.LOAD_ERR_VALIDATE,
                "Can not append exception comps to existing exception, only values",
                ex.trail());
          }
          exceptions.set(at, exceptions.get(at).withMoreValues(ex.values()));
        }
      }
    }
    rules.put(
        prev.name(),
        new RuleDef(
            prev.name(),
            cond,
            output,
            desc,
            prev.priority(),
            prev.source(),
            prev.enabled(),
            tags,
            exceptions,
            prev.warnEvttypes(),
            prev.skipIfUnknownFilter(),
            prev.capture(),
            prev.captureDuration(),
            prev.index(),
            counter++,
            prev.unknownSource(),
            prev.trail(),
            prev.conditionTrail(),
            prev.outputTrail()));
  }

  /** Replaces selected properties of an existing rule ({@code override: {k: replace}}). */
  void replaceRule(RuleUpdate u) throws LoadError {
    RuleDef prev = rules.get(u.name());
    if (prev == null) {
      throw new LoadError(
          Code.LOAD_ERR_VALIDATE,
          "An 'override.<key>: replace' to a rule was requested but no rule by that name already"
              + " exists",
          u.trail());
    }
    if (!u.hasAnyValue()) {
      throw new LoadError(
          Code.LOAD_ERR_VALIDATE,
          "The rule must have at least one field that can be replaced",
          u.trail());
    }
    SourceInfo source = prev.unknownSource() ? null : sources.get(prev.source());
    List<ExceptionDef> exceptions = prev.exceptions();
    if (u.exceptions().isPresent()) {
      exceptions = new ArrayList<>();
      for (ExceptionDef ex : u.exceptions().get()) {
        if (ex.fields() instanceof Entry.Absent) {
          throw new LoadError(
              Code.LOAD_ERR_VALIDATE,
              "Rule exception item must have fields property with a list of fields",
              ex.trail());
        }
        exceptions.add(Exceptions.validate(source, ex));
      }
    }
    rules.put(
        prev.name(),
        new RuleDef(
            prev.name(),
            u.condition().orElse(prev.condition()),
            u.output().orElse(prev.output()),
            u.desc().orElse(prev.desc()),
            u.priority().orElse(prev.priority()),
            prev.source(),
            u.enabled().orElse(prev.enabled()),
            u.tags().map(t -> (java.util.SortedSet<String>) new TreeSet<>(t)).orElse(prev.tags()),
            exceptions,
            u.warnEvttypes().orElse(prev.warnEvttypes()),
            u.skipIfUnknownFilter().orElse(prev.skipIfUnknownFilter()),
            u.capture().orElse(prev.capture()),
            u.captureDuration().orElse(prev.captureDuration()),
            prev.index(),
            counter++,
            prev.unknownSource(),
            prev.trail(),
            u.condition().isPresent() ? u.conditionTrail() : prev.conditionTrail(),
            u.output().isPresent() ? u.outputTrail() : prev.outputTrail()));
  }

  /** The legacy enabled-only item. */
  void enableRule(String name, boolean enabled, List<Location> trail) throws LoadError {
    RuleDef prev = rules.get(name);
    if (prev == null) {
      throw new LoadError(
          Code.LOAD_ERR_VALIDATE,
          "Rule has 'enabled' key but no rule by that name already exists",
          trail);
    }
    rules.put(
        name,
        new RuleDef(
            prev.name(),
            prev.condition(),
            prev.output(),
            prev.desc(),
            prev.priority(),
            prev.source(),
            enabled,
            prev.tags(),
            prev.exceptions(),
            prev.warnEvttypes(),
            prev.skipIfUnknownFilter(),
            prev.capture(),
            prev.captureDuration(),
            prev.index(),
            prev.visibility(),
            prev.unknownSource(),
            prev.trail(),
            prev.conditionTrail(),
            prev.outputTrail()));
  }

  private static int indexOf(List<ExceptionDef> exceptions, String name) {
    for (int i = 0; i < exceptions.size(); i++) {
      if (exceptions.get(i).name().equals(name)) {
        return i;
      }
    }
    return -1;
  }
}
