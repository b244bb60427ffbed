package dev.vigil.cli;

import dev.vigil.output.JsonWriter;
import dev.vigil.rules.Diagnostic;
import dev.vigil.rules.LoadResult;
import dev.vigil.rules.Rule;
import dev.vigil.rules.Ruleset;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vigil rules validate|list|explain}. */
@Command(
    name = "rules",
    mixinStandardHelpOptions = true,
    description = "Validate, list and explain Falco-format rules files.")
final class RulesCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(
        spec.commandLine(), "a subcommand is required: validate, list or explain");
  }

  /** Loads the rules, printing diagnostics to stderr (text mode). */
  static LoadResult load(RulesInput input, boolean json, PrintWriter err) {
    LoadResult result = Sources.loader().load(input.files());
    if (!json) {
      for (Diagnostic d : result.diagnostics()) {
        DiagnosticsPrinter.printText(d, err);
      }
    }
    return result;
  }

  @Command(
      name = "validate",
      mixinStandardHelpOptions = true,
      description = {
        "Load rules files as Falco would and report errors and warnings.",
        "Exit 0 when they load (warnings allowed), 1 on errors."
      },
      footer = {
        "",
        "Examples:",
        "  vigil rules validate                      # Vigil's bundled rules",
        "  vigil rules validate -r falco_rules.yaml -r falco_rules.local.yaml",
        "  vigil rules validate -r /etc/falco/rules.d --json"
      })
  static final class Validate implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin RulesInput input;
    @Mixin OutputFormat format;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      LoadResult result = load(input, format.isJson(), err);
      if (format.isJson()) {
        try (JsonWriter j = JsonWriter.to(out, true)) {
          j.beginObject();
          DiagnosticsPrinter.writeJson(result, j);
          j.endObject();
        }
        out.println();
      } else {
        for (LoadResult.FileResult f : result.files()) {
          out.println(f.name() + ": " + DiagnosticsPrinter.verdict(f));
        }
      }
      return result.ok() ? ExitCode.OK : ExitCode.FINDINGS;
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = {
        "List the rules with their priority, tags and event types.",
        "Per rule: name, source, priority, enabled, tags, the event types it can",
        "match and (with --json) the compiled condition, with lists, macros and",
        "exceptions expanded."
      },
      footer = {
        "",
        "Examples:",
        "  vigil rules list",
        "  vigil rules list -r falco_rules.yaml --json | jq '.rules[].events'"
      })
  static final class ListRules implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin RulesInput input;
    @Mixin OutputFormat format;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      LoadResult result = load(input, format.isJson(), spec.commandLine().getErr());
      if (format.isJson()) {
        RuleListing.json(result, out);
      } else if (result.ok()) {
        RuleListing.text(result.ruleset(), out);
      }
      return result.ok() ? ExitCode.OK : ExitCode.FINDINGS;
    }
  }

  @Command(
      name = "explain",
      mixinStandardHelpOptions = true,
      description = {
        "Show a rule's expanded condition as a tree, with origins.",
        "Each part says where it came from (file:line:col): the rule itself, a",
        "macro, a list, an exception or an append."
      },
      footer = {
        "",
        "Examples:",
        "  vigil rules explain --rule 'Terminal shell in container'",
        "  vigil rules explain -r falco_rules.yaml -r local.yaml --rule 'Read sensitive file"
            + " untrusted' --json"
      })
  static final class Explain implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin RulesInput input;
    @Mixin OutputFormat format;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    static final class Target {
      @Option(names = "--rule", paramLabel = "NAME", description = "The rule to explain.")
      String rule = "";

      @Option(names = "--macro", paramLabel = "NAME", description = "Explain a macro instead.")
      String macro = "";
    }

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      LoadResult result = load(input, format.isJson(), spec.commandLine().getErr());
      if (!result.ok()) {
        if (format.isJson()) {
          RuleListing.json(result, out);
        }
        return ExitCode.FINDINGS;
      }
      Ruleset rs = result.ruleset();
      if (!target.rule.isEmpty()) {
        Optional<Rule> rule = rs.rule(target.rule);
        if (rule.isEmpty()) {
          throw new UserError(ExitCode.USAGE, "no rule named '" + target.rule + "'" + hint(rs));
        }
        Explainer.explain(rule.get(), format.isJson(), out);
      } else {
        Optional<Ruleset.Macro> macro = rs.macro(target.macro);
        if (macro.isEmpty()) {
          throw new UserError(ExitCode.USAGE, "no macro named '" + target.macro + "'");
        }
        Explainer.explain(macro.get(), format.isJson(), out);
      }
      return ExitCode.OK;
    }

    private String hint(Ruleset rs) {
      String lower = target.rule.toLowerCase(java.util.Locale.ROOT);
      return rs.rules().stream()
          .map(Rule::name)
          .filter(n -> n.toLowerCase(java.util.Locale.ROOT).contains(lower))
          .findFirst()
          .map(n -> " (did you mean '" + n + "'?)")
          .orElse("");
    }
  }
}
