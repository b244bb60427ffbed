package dev.vigil.rules;

import dev.vigil.rules.ast.Expr;
import dev.vigil.rules.text.Text;
import java.util.List;
import java.util.Optional;

/**
 * The result of compiling rules files: rules in evaluation order (the order of first definition, as
 * in Falco), and the macros and lists with whether anything used them.
 *
 * @param rules compiled rules, in evaluation order
 * @param macros compiled macros
 * @param lists compiled lists
 */
public record Ruleset(List<Rule> rules, List<Macro> macros, List<ListDef> lists) {
  public Ruleset {
    rules = List.copyOf(rules);
    macros = List.copyOf(macros);
    lists = List.copyOf(lists);
  }

  public static Ruleset empty() {
    return new Ruleset(List.of(), List.of(), List.of());
  }

  /**
   * A compiled macro.
   *
   * @param name its name
   * @param condition its condition text after appends
   * @param expanded its condition with lists and earlier macros expanded
   * @param used whether a rule or another macro refers to it
   */
  public record Macro(String name, Text condition, Expr expanded, boolean used) {}

  /**
   * A compiled list.
   *
   * @param name its name
   * @param items its items with one level of referenced lists expanded
   * @param used whether a rule, macro or list refers to it
   */
  public record ListDef(String name, List<String> items, boolean used) {
    public ListDef {
      items = List.copyOf(items);
    }
  }

  public Optional<Rule> rule(String name) {
    return rules.stream().filter(r -> r.name().equals(name)).findFirst();
  }

  public Optional<Macro> macro(String name) {
    return macros.stream().filter(m -> m.name().equals(name)).findFirst();
  }

  public Optional<ListDef> list(String name) {
    return lists.stream().filter(l -> l.name().equals(name)).findFirst();
  }
}
