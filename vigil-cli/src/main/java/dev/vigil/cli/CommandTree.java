package dev.vigil.cli;

import java.util.List;
import picocli.CommandLine;

/**
 * Vigil's commands as a tree, and the picocli model built from it for one command line. The model
 * of each command comes from {@link CommandModel}, generated from the commands' picocli
 * annotations, so that no annotation is read at run time. Only the commands whose names appear in
 * the arguments get their full model; every other command is a summary (its name and description),
 * which is all its parent's help lists. Picocli only dispatches to a command named in the
 * arguments, so a summary is never run. Argument files ({@code @file}) may name any command: with
 * one, the whole tree is built. A new command is registered here, not in its parent's annotation
 * ({@code CommandTreeTest} checks that every {@code @Command} class is in the tree).
 */
final class CommandTree {
  /** A command and its subcommands, in the order help lists them. */
  record Node(Class<?> type, List<Node> children) {
    String name() {
      return CommandModel.name(type);
    }
  }

  static final Node ROOT =
      node(
          VigilCommand.class,
          leaf(RunCommand.class),
          leaf(CaptureCommand.class),
          leaf(ReplayCommand.class),
          node(
              RulesCommand.class,
              leaf(RulesCommand.Validate.class),
              leaf(RulesCommand.ListRules.class),
              leaf(RulesCommand.Explain.class)),
          leaf(ScanCommand.class),
          leaf(FieldsCommand.class),
          node(
              AuditCommand.class,
              node(
                  AuditPolicyCommand.class,
                  leaf(PolicyCheckCommand.class),
                  leaf(PolicyLintCommand.class),
                  leaf(PolicySimulateCommand.class),
                  leaf(PolicyExplainCommand.class)),
              leaf(AuditQueryCommand.class),
              leaf(AuditReportCommand.class)),
          node(ConfigCommand.class, leaf(ConfigCommand.Check.class)),
          node(AlertsCommand.class, leaf(AlertsCommand.Query.class)));

  private CommandTree() {}

  /** The model for {@code args}: full for the commands they name, summaries for the rest. */
  static CommandLine forArgs(String[] args) {
    boolean all = false;
    for (String a : args) {
      all |= a.startsWith("@");
    }
    return build(ROOT, List.of(args), all);
  }

  /** The full model of every command. */
  static CommandLine full() {
    return build(ROOT, List.of(), true);
  }

  private static CommandLine build(Node node, List<String> args, boolean all) {
    CommandLine cl = new CommandLine(CommandModel.full(node.type()));
    for (Node child : node.children()) {
      String name = child.name();
      cl.addSubcommand(
          name,
          all || args.contains(name)
              ? build(child, args, all)
              : CommandModel.summary(child.type()));
    }
    return cl;
  }

  private static Node node(Class<?> type, Node... children) {
    return new Node(type, List.of(children));
  }

  private static Node leaf(Class<?> type) {
    return new Node(type, List.of());
  }
}
