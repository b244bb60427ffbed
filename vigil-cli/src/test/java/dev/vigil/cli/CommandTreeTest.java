package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Building only the invoked command's model changes nothing a user sees. */
class CommandTreeTest {

  @Test
  void everyCommandsHelpIsTheSameAsWithTheFullModel() {
    List<List<String>> paths = new ArrayList<>();
    collect(CommandTree.ROOT, List.of(), paths);
    assertThat(paths).hasSizeGreaterThan(20);
    for (List<String> path : paths) {
      List<String> args = new ArrayList<>(path);
      args.add("--help");
      Cli.Result lazy = Cli.run(args.toArray(String[]::new));
      assertThat(lazy.code()).as("%s", args).isZero();
      assertThat(lazy.out()).as("%s", args).isEqualTo(fullUsage(path));
    }
  }

  /**
   * Every command's help, as a user sees it, is its golden file: help text is part of the interface
   * (and pins it for any other way of building the model).
   */
  @Test
  void everyCommandsHelpIsItsGoldenFile() throws java.io.IOException {
    List<List<String>> paths = new ArrayList<>();
    collect(CommandTree.ROOT, List.of(), paths);
    for (List<String> path : paths) {
      List<String> args = new ArrayList<>(path);
      args.add("--help");
      String name = path.isEmpty() ? "vigil" : "vigil-" + String.join("-", path);
      Golden.check("help/" + name + ".txt", Cli.run(args.toArray(String[]::new)).out());
    }
  }

  @Test
  void everyCommandClassIsInTheTree() {
    List<Class<?>> inTree = new ArrayList<>();
    types(CommandTree.ROOT, inTree);
    List<String> annotated =
        new com.tngtech.archunit.core.importer.ClassFileImporter()
                .withImportOption(
                    com.tngtech.archunit.core.importer.ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.vigil.cli")
                .stream()
                .filter(c -> c.isAnnotatedWith(picocli.CommandLine.Command.class))
                .map(c -> c.getName())
                .toList();
    assertThat(inTree.stream().map(Class::getName).toList())
        .as("a @Command class that CommandTree does not list can never be run")
        .containsExactlyInAnyOrderElementsOf(annotated);
  }

  private static void types(CommandTree.Node node, List<Class<?>> out) {
    out.add(node.type());
    node.children().forEach(c -> types(c, out));
  }

  @Test
  void onlyTheNamedCommandsAreBuiltInFull() {
    CommandLine cl = CommandTree.forArgs(new String[] {"audit", "policy", "simulate", "p", "l"});
    CommandLine policy = sub(sub(cl, "audit"), "policy");
    assertThat(sub(policy, "simulate").getCommandSpec().options()).isNotEmpty();
    assertThat(sub(policy, "lint").getCommandSpec().options()).isEmpty();
    assertThat(sub(cl, "run").getCommandSpec().options()).isEmpty();
    assertThat(cl.getSubcommands().keySet())
        .containsExactly(
            "run", "capture", "replay", "rules", "scan", "fields", "audit", "config", "alerts");
  }

  @Test
  void usageErrorsAndUnknownCommandsAreUnchanged() {
    Cli.Result unknown = Cli.run("audit", "polcy");
    assertThat(unknown.code()).isEqualTo(ExitCode.USAGE);
    assertThat(unknown.err()).contains("Unmatched argument at index 1: 'polcy'");
    assertThat(Cli.run("audit", "policy").code()).isEqualTo(ExitCode.USAGE);
    assertThat(Cli.run().code()).isEqualTo(ExitCode.USAGE);
    Cli.Result version = Cli.run("--version");
    assertThat(version.code()).isZero();
    assertThat(version.out()).startsWith("vigil ");
  }

  private static void collect(CommandTree.Node node, List<String> path, List<List<String>> out) {
    out.add(path);
    for (CommandTree.Node child : node.children()) {
      List<String> p = new ArrayList<>(path);
      p.add(child.name());
      collect(child, p, out);
    }
  }

  private static CommandLine sub(CommandLine cl, String name) {
    CommandLine c = cl.getSubcommands().get(name);
    assertThat(c).as(name).isNotNull();
    return java.util.Objects.requireNonNull(c);
  }

  private static String fullUsage(List<String> path) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl =
        Main.configure(CommandTree.full(), new PrintWriter(out, true), new PrintWriter(err, true));
    for (String name : path) {
      cl = sub(cl, name);
    }
    StringWriter usage = new StringWriter();
    cl.usage(new PrintWriter(usage, true));
    return usage.toString();
  }
}
