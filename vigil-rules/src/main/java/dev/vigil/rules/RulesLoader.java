package dev.vigil.rules;

import dev.vigil.event.SourceInfo;
import dev.vigil.rules.compile.Compiler;
import dev.vigil.rules.load.Collector;
import dev.vigil.rules.load.Diagnostics;
import dev.vigil.rules.load.LoadError;
import dev.vigil.rules.load.Reader;
import dev.vigil.rules.load.Requirements;
import dev.vigil.rules.text.SourceFile;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Loads Falco-format rules files, in order, into one ruleset, exactly as Falco does: every file
 * goes into one shared collection of definitions, which is recompiled after each file (so a file
 * may only use what earlier files and itself define), and the first file with an error stops the
 * load.
 *
 * <p>Compile warnings are reported once, from the last successful compilation, on the file they
 * concern; Falco repeats them for every later file.
 */
public final class RulesLoader {
  /** The longest condition accepted, in characters, before and after list expansion. */
  public static final int MAX_CONDITION_LENGTH = 4 * 1024 * 1024;

  /** Vigil's built-in sources, as plugin versions for {@code required_plugin_versions}. */
  public static final List<Requirements.PluginVersion> BUILTIN_PLUGINS =
      List.of(
          new Requirements.PluginVersion("container", "0.7.1"),
          new Requirements.PluginVersion("k8saudit", "0.18.0"),
          new Requirements.PluginVersion("json", "0.7.0"));

  private final Map<String, SourceInfo> sources;
  private final List<Requirements.PluginVersion> plugins;
  private final List<AppendOutput> appendOutput;

  /**
   * @param sources the event sources rules may use
   * @param plugins the plugins (and versions) that count as loaded for {@code
   *     required_plugin_versions}
   * @param appendOutput Falco's {@code append_output}, applied to every rule it matches
   */
  public RulesLoader(
      List<SourceInfo> sources,
      List<Requirements.PluginVersion> plugins,
      List<AppendOutput> appendOutput) {
    Map<String, SourceInfo> map = new LinkedHashMap<>();
    sources.forEach(s -> map.put(s.name(), s));
    this.sources = map;
    this.plugins = List.copyOf(plugins);
    this.appendOutput = List.copyOf(appendOutput);
  }

  public RulesLoader(List<SourceInfo> sources, List<Requirements.PluginVersion> plugins) {
    this(sources, plugins, List.of());
  }

  /** A loader with Vigil's built-in plugin versions. */
  public RulesLoader(List<SourceInfo> sources) {
    this(sources, BUILTIN_PLUGINS);
  }

  public LoadResult load(List<RulesFile> files) {
    Collector collector = new Collector(sources);
    List<Diagnostics> diags = new ArrayList<>();
    files.forEach(f -> diags.add(new Diagnostics()));
    boolean[] loaded = new boolean[files.size()];
    Ruleset ruleset = Ruleset.empty();
    Diagnostics finalCompile = new Diagnostics();
    boolean failed = false;
    for (int i = 0; i < files.size() && !failed; i++) {
      loaded[i] = true;
      RulesFile f = files.get(i);
      if (!Reader.read(collector, diags.get(i), new SourceFile(f.name(), f.content()))) {
        failed = true;
        break;
      }
      Diagnostics compile = new Diagnostics();
      ruleset = Compiler.compile(collector, sources, appendOutput, compile);
      if (compile.hasErrors()) {
        Diagnostics target = diags.get(i);
        compile.all().stream().filter(d -> d.severity() == Severity.ERROR).forEach(target::add);
        failed = true;
      } else {
        finalCompile = compile;
      }
    }
    for (Diagnostic d : finalCompile.all()) {
      diags.get(fileIndex(files, d.fileName())).add(d);
    }
    if (!failed) {
      for (Requirements.PluginRequirement r : collector.pluginRequirements()) {
        try {
          checkPlugin(r);
        } catch (LoadError e) {
          diags.get(fileIndex(files, r.trail().getFirst().file().name())).error(e);
          failed = true;
        }
      }
    }
    List<LoadResult.FileResult> results = new ArrayList<>();
    for (int i = 0; i < files.size(); i++) {
      results.add(new LoadResult.FileResult(files.get(i).name(), loaded[i], diags.get(i).all()));
    }
    return new LoadResult(results, failed ? Ruleset.empty() : ruleset);
  }

  /** The last file of that name (diagnostics name files), or the last file. */
  private static int fileIndex(List<RulesFile> files, String name) {
    int i = indexOf(files, name);
    return i < 0 ? files.size() - 1 : i;
  }

  private static int indexOf(List<RulesFile> files, String name) {
    for (int i = files.size() - 1; i >= 0; i--) {
      if (files.get(i).name().equals(name)) {
        return i;
      }
    }
    return -1;
  }

  private void checkPlugin(Requirements.PluginRequirement r) throws LoadError {
    String first = r.alternatives().getFirst().name();
    for (Requirements.PluginVersion req : r.alternatives()) {
      for (Requirements.PluginVersion have : plugins) {
        if (!have.name().equals(req.name())) {
          continue;
        }
        var required = Requirements.Version.parse(req.version());
        var actual = Requirements.Version.parse(have.version());
        if (required.isPresent()
            && actual.isPresent()
            && actual.get().compatibleWith(required.get())) {
          return;
        }
        throw new LoadError(
            Code.LOAD_ERR_VALIDATE,
            "Plugin '"
                + have.name()
                + "' version '"
                + have.version()
                + "' is not compatible with required plugin version '"
                + req.version()
                + "'",
            r.trail());
      }
    }
    throw new LoadError(
        Code.LOAD_ERR_VALIDATE,
        "Plugin '"
            + first
            + "' is required but not loaded"
            + (r.alternatives().size() > 1 ? " (nor any of its alternatives)" : ""),
        r.trail());
  }
}
