package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.ArgGroupSpec;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.Model.UsageMessageSpec;
import picocli.CommandLine.Range;
import picocli.CommandLine.Spec;

/**
 * {@link CommandModel} is generated from the picocli annotations on Vigil's command classes (the
 * source of truth, and what a reader of a command sees), so that the command line is built without
 * reflection at run time (see {@link CommandModel}). This test regenerates it and fails when the
 * checked-in file differs (run with {@code -Dvigil.golden.update=true} to write it), and compares
 * every property picocli exposes of every command, option and parameter in both models.
 */
class CommandModelTest {
  private static final Path SOURCE = Path.of("src/main/java/dev/vigil/cli/CommandModel.java");

  @Test
  void theGeneratedModelIsUpToDate() throws IOException {
    String generated = new Generator().generate();
    if (Boolean.getBoolean("vigil.golden.update")) {
      Files.writeString(SOURCE, generated, StandardCharsets.UTF_8);
      return;
    }
    assertThat(layoutFree(Files.readString(SOURCE, StandardCharsets.UTF_8)))
        .as(
            "CommandModel.java is generated from the @Command classes: regenerate it with"
                + " mvn -pl vigil-cli -am test -Dtest=CommandModelTest"
                + " -Dsurefire.failIfNoSpecifiedTests=false -Dvigil.golden.update=true")
        .isEqualTo(layoutFree(generated));
  }

  /**
   * The text without its layout, which the build's formatter chooses: no white space, and no
   * leading {@code *} of a comment line (the formatter re-wraps comments).
   */
  private static String layoutFree(String source) {
    StringBuilder out = new StringBuilder();
    for (String line : source.split("\n", -1)) {
      String s = line.strip();
      while (s.startsWith("*") && !s.startsWith("*/")) {
        s = s.substring(1);
      }
      out.append(s.replaceAll("\\s+", ""));
    }
    return out.toString();
  }

  @Test
  void theGeneratedModelHasEveryPropertyOfTheAnnotatedOne() {
    for (Class<?> type : types(CommandTree.ROOT, new ArrayList<>())) {
      CommandSpec annotated = new CommandLine(type).getCommandSpec();
      CommandSpec generated = CommandModel.full(type);
      assertThat(describe(generated)).as("%s", type.getName()).isEqualTo(describe(annotated));
      assertThat(CommandModel.name(type)).isEqualTo(annotated.name());
      CommandSpec summary = CommandModel.summary(type);
      assertThat(summary.name()).isEqualTo(annotated.name());
      assertThat(summary.usageMessage().header()).isEqualTo(annotated.usageMessage().header());
      assertThat(summary.usageMessage().description())
          .isEqualTo(annotated.usageMessage().description());
      assertThat(summary.usageMessage().hidden()).isEqualTo(annotated.usageMessage().hidden());
    }
  }

  @Test
  void everyCommandsHelpIsTheSameAsFromTheAnnotations() {
    CommandLine generated = tree(CommandTree.ROOT, CommandModelTest::generatedTree);
    CommandLine annotated = tree(CommandTree.ROOT, type -> new CommandLine(type));
    assertThat(usages(generated)).isEqualTo(usages(annotated)).hasSizeGreaterThan(20);
  }

  private static List<String> usages(CommandLine cl) {
    List<String> out = new ArrayList<>();
    java.io.StringWriter w = new java.io.StringWriter();
    cl.usage(new java.io.PrintWriter(w, true), CommandLine.Help.Ansi.OFF);
    out.add(w.toString());
    cl.getSubcommands().values().forEach(sub -> out.addAll(usages(sub)));
    return out;
  }

  @Test
  void argumentsParseTheSameIntoBothModels() {
    String[][] lines = {
      {"audit", "policy", "simulate", "p.yaml", "a.log", "b.log", "--json", "--compare", "q.yaml"},
      {"audit", "policy", "explain", "p.yaml", "--request", "user=a verb=get"},
      {
        "audit",
        "query",
        "ka.verb=get",
        "x.log",
        "--fields",
        "ka.user.name,ka.verb",
        "--since",
        "1h"
      },
      {"scan", "deploy/", "--fix", "--diff", "--level", "restricted"},
      {"rules", "explain", "--macro", "spawned_process", "-r", "r.yaml"},
      {"run", "-o", "json_output=true", "-o", "k8s_audit.enabled=true"},
    };
    for (String[] line : lines) {
      assertThat(parsed(CommandModelTest::generatedTree, line))
          .as(String.join(" ", line))
          .isEqualTo(parsed(type -> new CommandLine(type), line));
    }
  }

  private interface Builder {
    CommandLine build(Class<?> type);
  }

  private static CommandLine generatedTree(Class<?> type) {
    return new CommandLine(CommandModel.full(type));
  }

  /** The values of the fields of every command on the parsed path, after parsing {@code line}. */
  private static String parsed(Builder builder, String[] line) {
    CommandLine root = tree(CommandTree.ROOT, builder);
    root.setCaseInsensitiveEnumValuesAllowed(true);
    List<CommandLine> path = root.parseArgs(line).asCommandLineList();
    StringBuilder out = new StringBuilder();
    for (CommandLine cl : path) {
      fields(cl.getCommand(), out, 0);
    }
    return out.toString();
  }

  private static CommandLine tree(CommandTree.Node node, Builder builder) {
    CommandLine cl = builder.build(node.type());
    for (CommandTree.Node child : node.children()) {
      cl.addSubcommand(CommandModel.name(child.type()), tree(child, builder));
    }
    return cl;
  }

  private static void fields(Object o, StringBuilder out, int depth) {
    out.append(o.getClass().getSimpleName()).append('{');
    for (Field f : allFields(o.getClass())) {
      if (f.isAnnotationPresent(Spec.class)) {
        continue;
      }
      f.setAccessible(true);
      Object v;
      try {
        v = f.get(o);
      } catch (IllegalAccessException e) {
        throw new AssertionError(e);
      }
      out.append(f.getName()).append('=');
      if (v != null
          && depth < 2
          && (f.isAnnotationPresent(Mixin.class) || f.isAnnotationPresent(ArgGroup.class))) {
        fields(v, out, depth + 1);
      } else {
        out.append(v);
      }
      out.append(", ");
    }
    out.append("}\n");
  }

  private static List<Class<?>> types(CommandTree.Node node, List<Class<?>> out) {
    out.add(node.type());
    node.children().forEach(c -> types(c, out));
    return out;
  }

  private static List<Field> allFields(Class<?> type) {
    List<Field> out = new ArrayList<>();
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      for (Field f : c.getDeclaredFields()) {
        if (!Modifier.isStatic(f.getModifiers()) && !f.isSynthetic()) {
          out.add(f);
        }
      }
    }
    return out;
  }

  // ---- every property picocli exposes, as text

  private static String describe(CommandSpec spec) {
    StringBuilder out = new StringBuilder();
    out.append("command ").append(spec.name()).append('\n');
    out.append("aliases ").append(Arrays.toString(spec.aliases())).append('\n');
    out.append("version provider ")
        .append(Optional.ofNullable(spec.versionProvider()).map(v -> v.getClass().getName()))
        .append('\n');
    out.append("version ").append(Arrays.toString(spec.version())).append('\n');
    out.append("exit codes ")
        .append(spec.exitCodeOnSuccess())
        .append(spec.exitCodeOnUsageHelp())
        .append(spec.exitCodeOnVersionHelp())
        .append(spec.exitCodeOnInvalidInput())
        .append(spec.exitCodeOnExecutionException())
        .append('\n');
    out.append("help command ").append(spec.helpCommand()).append('\n');
    out.append("interpolate ").append(spec.interpolateVariables()).append('\n');
    out.append("usage ")
        .append(bean(spec.usageMessage(), List.of("sectionMap", "sectionKeys", "messages")))
        .append('\n');
    for (OptionSpec o : spec.options()) {
      out.append("option ").append(arg(o)).append('\n');
    }
    for (PositionalParamSpec p : spec.positionalParameters()) {
      out.append("positional ").append(arg(p)).append('\n');
    }
    for (ArgGroupSpec g : spec.argGroups()) {
      out.append("group ")
          .append(g.exclusive())
          .append(' ')
          .append(g.multiplicity())
          .append(' ')
          .append(g.validate())
          .append(' ')
          .append(g.order())
          .append(' ')
          .append(g.heading())
          .append(' ')
          .append(g.args().stream().map(CommandModelTest::argName).toList())
          .append(' ')
          .append(g.subgroups().size())
          .append('\n');
    }
    return out.toString();
  }

  private static String argName(ArgSpec a) {
    return a instanceof OptionSpec o ? o.longestName() : "positional " + a.paramLabel();
  }

  private static String arg(ArgSpec a) {
    return bean(
            a,
            List.of(
                "userObject",
                "getter",
                "setter",
                "scope",
                "command",
                "toString",
                "hashCode",
                "typedValues",
                "stringValues",
                "originalStringValues",
                "parameterConsumer",
                "preprocessor",
                "messages",
                "annotatedElement",
                // false for an annotated group's option until its group object exists; getValue is
                // null then in both models
                "isValueGettable"))
        + " group="
        + (a.group() == null ? "none" : "yes");
  }

  /** Every public zero-argument getter of {@code o} but {@code skip}, by name. */
  private static String bean(Object o, List<String> skip) {
    Map<String, String> values = new LinkedHashMap<>();
    Method[] methods = o.getClass().getMethods();
    Arrays.sort(methods, Comparator.comparing(Method::getName));
    for (Method m : methods) {
      if (m.getParameterCount() != 0
          || Modifier.isStatic(m.getModifiers())
          || m.getDeclaringClass() == Object.class
          || m.getReturnType() == void.class
          || skip.contains(m.getName())
          || m.getName().equals("group")) {
        continue;
      }
      try {
        values.put(m.getName(), render(m.invoke(o)));
      } catch (ReflectiveOperationException e) {
        values.put(m.getName(), "threw " + e.getCause());
      }
    }
    return values.toString();
  }

  private static String render(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof String
        || v instanceof Number
        || v instanceof Boolean
        || v instanceof Enum<?>
        || v instanceof Character) {
      return v.toString();
    }
    if (v instanceof Class<?> c) {
      return c.getName();
    }
    if (v instanceof java.nio.file.Path) {
      return v.toString();
    }
    if (v instanceof Range r) {
      return r + (r.isUnspecified() ? " (unspecified)" : "");
    }
    if (v instanceof Optional<?> opt) {
      return "Optional[" + opt.map(CommandModelTest::render).orElse("") + "]";
    }
    if (v.getClass().isArray()) {
      List<String> items = new ArrayList<>();
      for (int i = 0; i < java.lang.reflect.Array.getLength(v); i++) {
        items.add(render(java.lang.reflect.Array.get(v, i)));
      }
      return items.toString();
    }
    if (v instanceof Iterable<?> it) {
      List<String> items = new ArrayList<>();
      it.forEach(x -> items.add(render(x)));
      return items.toString();
    }
    return v.getClass().getName();
  }

  // ---- the generator

  /** Writes CommandModel.java from the annotated model of every command in the tree. */
  static final class Generator {
    private final StringBuilder out = new StringBuilder();
    private final List<String> pending = new ArrayList<>();
    private int bindings;

    String generate() {
      List<Class<?>> types = types(CommandTree.ROOT, new ArrayList<>());
      out.append(
          """
          package dev.vigil.cli;

          import org.jspecify.annotations.NullUnmarked;
          import picocli.CommandLine.Model.ArgGroupSpec;
          import picocli.CommandLine.Model.CommandSpec;
          import picocli.CommandLine.Model.OptionSpec;
          import picocli.CommandLine.Model.PositionalParamSpec;

          /**
           * Vigil's command line as picocli's programmatic model: what picocli would build from the
           * annotations on the command classes, written out so that no annotation is read and no
           * field is reflected over at run time (that took most of a short command's start-up).
           *
           * <p>Generated by {@code CommandModelTest} from the annotations, which stay the source of
           * truth: do not edit. After changing a command, regenerate it with {@code mvn -pl vigil-cli
           * -am test -Dtest=CommandModelTest -Dsurefire.failIfNoSpecifiedTests=false
           * -Dvigil.golden.update=true} (then {@code mvn spotless:apply});
           * the test fails until then, and compares every property of both models.
           */
          @NullUnmarked
          @SuppressWarnings({"unchecked", "rawtypes"})
          final class CommandModel {
            private CommandModel() {}

            /** The name of a command class in the tree. */
            static String name(Class<?> type) {
          """);
      for (Class<?> t : types) {
        out.append("    if (type == ")
            .append(javaName(t))
            .append(".class) {\n      return ")
            .append(quote(annotated(t).name()))
            .append(";\n    }\n");
      }
      out.append(
          """
              throw new IllegalArgumentException(type + " is not a command");
            }

            /** What a parent's help shows of a command: its name, header and description. */
            static CommandSpec summary(Class<?> type) {
          """);
      for (Class<?> t : types) {
        UsageMessageSpec u = annotated(t).usageMessage();
        out.append("    if (type == ").append(javaName(t)).append(".class) {\n");
        out.append("      CommandSpec s = CommandSpec.create().name(")
            .append(quote(annotated(t).name()))
            .append(");\n");
        out.append("      s.usageMessage()");
        out.append(".header(").append(constant(t, "HEADER")).append(")");
        out.append(".description(").append(constant(t, "DESCRIPTION")).append(")");
        out.append(".hidden(").append(u.hidden()).append(");\n");
        out.append("      return s;\n    }\n");
      }
      out.append(
          """
              throw new IllegalArgumentException(type + " is not a command");
            }

            /** The full model of a command class in the tree, around a new instance of it. */
            static CommandSpec full(Class<?> type) {
          """);
      for (Class<?> t : types) {
        out.append("    if (type == ")
            .append(javaName(t))
            .append(".class) {\n      return ")
            .append(method(t))
            .append("();\n    }\n");
      }
      out.append(
          """
              throw new IllegalArgumentException(type + " is not a command");
            }
          """);
      // a command's header and description, shared by its summary and its full model
      for (Class<?> t : types) {
        UsageMessageSpec u = annotated(t).usageMessage();
        out.append("\n  private static final String[] ")
            .append(constant(t, "HEADER"))
            .append(" = {")
            .append(u.header().length == 0 ? "" : quotes(u.header()))
            .append("};\n");
        out.append("  private static final String[] ")
            .append(constant(t, "DESCRIPTION"))
            .append(" = {")
            .append(u.description().length == 0 ? "" : quotes(u.description()))
            .append("};\n");
      }
      for (Class<?> t : types) {
        command(t);
      }
      out.append(
          """
          }
          """);
      return out.toString();
    }

    private static CommandSpec annotated(Class<?> type) {
      return new CommandLine(type).getCommandSpec();
    }

    /** The name of a generated constant of command {@code t}, e.g. {@code SIMULATE_DESCRIPTION}. */
    private static String constant(Class<?> t, String what) {
      return javaName(t)
              .replace(".", "_")
              .replaceAll("([a-z])([A-Z])", "$1_$2")
              .toUpperCase(java.util.Locale.ROOT)
          + "_"
          + what;
    }

    private static String method(Class<?> t) {
      return "new" + javaName(t).replace(".", "");
    }

    private void command(Class<?> t) {
      CommandSpec s = annotated(t);
      UsageMessageSpec u = s.usageMessage();
      out.append("\n  private static CommandSpec ").append(method(t)).append("() {\n");
      out.append("    ")
          .append(javaName(t))
          .append(" c = new ")
          .append(javaName(t))
          .append("();\n");
      out.append("    CommandSpec s = CommandSpec.wrapWithoutInspection(c);\n");
      out.append("    s.name(").append(quote(s.name())).append(");\n");
      if (s.aliases().length > 0) {
        out.append("    s.aliases(").append(quotes(s.aliases())).append(");\n");
      }
      if (s.versionProvider() != null) {
        out.append("    s.versionProvider(new ")
            .append(javaName(s.versionProvider().getClass()))
            .append("());\n");
      }
      checkUsage(t, u);
      out.append("    s.usageMessage()");
      out.append("\n        .header(").append(constant(t, "HEADER")).append(")");
      out.append("\n        .description(").append(constant(t, "DESCRIPTION")).append(")");
      out.append("\n        .footer(").append(quotes(u.footer())).append(")");
      out.append("\n        .hidden(").append(u.hidden()).append(");\n");
      for (Field f : allFields(t)) {
        if (f.isAnnotationPresent(Spec.class)) {
          out.append("    c.").append(f.getName()).append(" = s;\n");
        } else if (f.isAnnotationPresent(Mixin.class)) {
          for (Field g : allFields(f.getType())) {
            if (g.isAnnotationPresent(Spec.class) || g.isAnnotationPresent(Mixin.class)) {
              throw new IllegalStateException(g + ": @Spec and @Mixin in mixins are not generated");
            }
          }
          out.append("    if (c.").append(f.getName()).append(" == null) {\n");
          out.append("      c.")
              .append(f.getName())
              .append(" = new ")
              .append(javaName(f.getType()))
              .append("();\n    }\n");
        }
      }
      List<ArgGroupSpec> groupsAdded = new ArrayList<>();
      for (OptionSpec o : s.options()) {
        ArgGroupSpec g = o.group();
        if (g == null) {
          String expr = option(t, o);
          flush();
          out.append("    s.addOption(").append(expr).append(");\n");
        } else if (!groupsAdded.contains(g)) {
          groupsAdded.add(g);
          group(t, g);
        }
      }
      for (PositionalParamSpec p : s.positionalParameters()) {
        if (p.group() != null) {
          throw new IllegalStateException(
              t + ": positional parameters in groups are not generated");
        }
        String expr = positional(t, p);
        flush();
        out.append("    s.addPositional(").append(expr).append(");\n");
      }
      for (ArgGroupSpec g : s.argGroups()) {
        if (!groupsAdded.contains(g)) {
          throw new IllegalStateException(t + ": a group without options");
        }
      }
      out.append("    return s;\n  }\n");
    }

    /** Fails for any property of the usage message the generator does not write. */
    private static void checkUsage(Class<?> t, UsageMessageSpec u) {
      UsageMessageSpec fresh = CommandSpec.create().usageMessage();
      List<String> written = List.of("header", "description", "footer", "hidden");
      for (Method m : UsageMessageSpec.class.getMethods()) {
        if (m.getParameterCount() != 0
            || m.getReturnType() == void.class
            || m.getDeclaringClass() == Object.class
            || written.contains(m.getName())
            || List.of("sectionMap", "sectionKeys", "messages").contains(m.getName())) {
          continue;
        }
        try {
          if (!render(m.invoke(u)).equals(render(m.invoke(fresh)))) {
            throw new IllegalStateException(
                t + ": usage property " + m.getName() + " is not generated");
          }
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException(e);
        }
      }
    }

    private void group(Class<?> t, ArgGroupSpec g) {
      if (!g.subgroups().isEmpty() || g.heading() != null || g.order() != -1 || !g.validate()) {
        throw new IllegalStateException(t + ": group property not generated: " + g);
      }
      StringBuilder b = new StringBuilder("ArgGroupSpec.builder()");
      b.append(".exclusive(").append(g.exclusive()).append(")");
      b.append(".multiplicity(").append(quote(g.multiplicity().originalValue())).append(")");
      for (ArgSpec a : g.args()) {
        b.append("\n        .addArg(").append(option(t, (OptionSpec) a)).append(")");
      }
      flush();
      out.append("    s.addArgGroup(").append(b).append(".build());\n");
    }

    private String option(Class<?> t, OptionSpec o) {
      StringBuilder b =
          new StringBuilder("OptionSpec.builder(").append(quotes(o.names())).append(")");
      if (o.usageHelp()) {
        b.append(".usageHelp(true)");
      }
      if (o.versionHelp()) {
        b.append(".versionHelp(true)");
      }
      if (o.negatable()
          || (o.fallbackValue() != null && !o.fallbackValue().isEmpty())
          || o.order() != -1
          || o.interactive()
          || o.inherited()) {
        throw new IllegalStateException(
            t + " " + o.longestName() + ": option property not generated");
      }
      common(t, o, b);
      return b.append(".build()").toString();
    }

    private String positional(Class<?> t, PositionalParamSpec p) {
      StringBuilder b = new StringBuilder("PositionalParamSpec.builder()");
      if (!p.index().isUnspecified()) {
        b.append(".index(").append(quote(p.index().originalValue())).append(")");
      }
      if (p.interactive() || p.inherited()) {
        throw new IllegalStateException(t + " " + p.paramLabel() + ": property not generated");
      }
      common(t, p, b);
      return b.append(".build()").toString();
    }

    private void common(Class<?> t, ArgSpec a, StringBuilder b) {
      if (!a.arity().isUnspecified()) {
        b.append("\n            .arity(").append(quote(a.arity().originalValue())).append(")");
      }
      b.append("\n            .paramLabel(").append(quote(a.paramLabel())).append(")");
      if (a.hideParamSyntax()) {
        b.append(".hideParamSyntax(true)");
      }
      if (a.required() && !a.originallyRequired()) {
        // (originallyRequired: made required by its exclusive group, which the group does again)
        b.append(".required(true)");
      }
      if (a.hidden()) {
        b.append(".hidden(true)");
      }
      if (!a.splitRegex().isEmpty()) {
        b.append(".splitRegex(").append(quote(a.splitRegex())).append(")");
      }
      if (!a.splitRegexSynopsisLabel().isEmpty()) {
        b.append(".splitRegexSynopsisLabel(")
            .append(quote(a.splitRegexSynopsisLabel()))
            .append(")");
      }
      if (a.defaultValue() != null) {
        b.append(".defaultValue(").append(quote(a.defaultValue())).append(")");
      }
      if (a.prompt() != null) {
        b.append(".prompt(").append(quote(a.prompt())).append(")");
      }
      if (a.descriptionKey() != null) {
        b.append(".descriptionKey(").append(quote(a.descriptionKey())).append(")");
      }
      if (a.converters().length > 0) {
        b.append(".converters(");
        for (int i = 0; i < a.converters().length; i++) {
          b.append(i > 0 ? ", " : "")
              .append("new ")
              .append(javaName(a.converters()[i].getClass()))
              .append("()");
        }
        b.append(")");
      }
      b.append("\n            .description(").append(quotes(a.description())).append(")");
      b.append("\n            .type(").append(javaName(a.type())).append(".class)");
      if (a.auxiliaryTypes().length > 1 || a.auxiliaryTypes()[0] != a.type()) {
        b.append(".auxiliaryTypes(");
        for (int i = 0; i < a.auxiliaryTypes().length; i++) {
          b.append(i > 0 ? ", " : "").append(javaName(a.auxiliaryTypes()[i])).append(".class");
        }
        b.append(")");
      }
      binding(t, a, b);
    }

    /** The getter and setter: the field behind the argument, on the command, a mixin or a group. */
    private void binding(Class<?> t, ArgSpec a, StringBuilder b) {
      if (!(a.userObject() instanceof Field f)) {
        throw new IllegalStateException(t + ": only fields are generated, not " + a.userObject());
      }
      String name = "b" + bindings++;
      if (f.getDeclaringClass().getName().startsWith("picocli.")) {
        // picocli's standard help options (mixinStandardHelpOptions)
        pending.add("    ModelBinding.Flag " + name + " = new ModelBinding.Flag();\n");
        b.append(".initialValue(false)").append(accessors(name));
        return;
      }
      String owner;
      String create = "";
      if (f.getDeclaringClass().isAssignableFrom(t)) {
        owner = "c";
        b.append(".initialValue(c.").append(f.getName()).append(")");
      } else {
        Field holder = null;
        for (Field h : allFields(t)) {
          if (h.getType() == f.getDeclaringClass()) {
            holder = h;
          }
        }
        if (holder == null) {
          throw new IllegalStateException(t + ": no mixin or group holds " + f);
        }
        owner = "c." + holder.getName();
        if (holder.isAnnotationPresent(ArgGroup.class)) {
          // picocli creates a group's object when one of its options is given; the initial
          // values of a group's options are never applied (Interpreter.clear skips them)
          create =
              "if ("
                  + owner
                  + " == null) { "
                  + owner
                  + " = new "
                  + javaName(holder.getType())
                  + "(); } ";
        } else {
          b.append(".initialValue(").append(owner).append('.').append(f.getName()).append(")");
        }
      }
      String field = owner + "." + f.getName();
      b.append(accessors(name));
      pending.add(
          "    ModelBinding "
              + name
              + " =\n        new ModelBinding() {\n          @Override\n          Object read() {\n            return "
              + (create.isEmpty() ? field : owner + " == null ? null : " + field)
              + ";\n          }\n\n          @Override\n          void write(Object v) {\n            "
              + create
              + field
              + " = ("
              + typeName(f.getGenericType())
              + ") v;\n          }\n        };\n");
    }

    private static String accessors(String binding) {
      return "\n            .getter(" + binding + ").setter(" + binding + ")";
    }

    /** Declarations the next statement needs. */
    private void flush() {
      pending.forEach(out::append);
      pending.clear();
    }

    private static String typeName(Type type) {
      if (type instanceof Class<?> c) {
        if (c.isPrimitive()) {
          return javaName(Objects.requireNonNull(boxed(c)));
        }
        return javaName(c);
      }
      if (type instanceof ParameterizedType p) {
        StringBuilder b = new StringBuilder(typeName(p.getRawType())).append('<');
        Type[] args = p.getActualTypeArguments();
        for (int i = 0; i < args.length; i++) {
          b.append(i > 0 ? ", " : "").append(typeName(args[i]));
        }
        return b.append('>').toString();
      }
      throw new IllegalStateException("type not generated: " + type);
    }

    private static Class<?> boxed(Class<?> c) {
      return java.lang.invoke.MethodType.methodType(c).wrap().returnType();
    }

    private static String javaName(Class<?> c) {
      if (c.isPrimitive()) {
        return c.getName();
      }
      String canonical = Objects.requireNonNull(c.getCanonicalName(), c.getName());
      if (canonical.startsWith("dev.vigil.cli.")) {
        return canonical.substring("dev.vigil.cli.".length());
      }
      if (canonical.startsWith("java.lang.") && canonical.indexOf('.', 10) < 0) {
        return canonical.substring(10);
      }
      return canonical;
    }

    private static String quotes(String[] values) {
      if (values.length == 0) {
        return "new String[0]";
      }
      List<String> q = new ArrayList<>();
      for (String v : values) {
        q.add(quote(v));
      }
      return String.join(", ", q);
    }

    private static String quote(String s) {
      StringBuilder b = new StringBuilder("\"");
      for (int i = 0; i < s.length(); i++) {
        char ch = s.charAt(i);
        switch (ch) {
          case '"' -> b.append("\\\"");
          case '\\' -> b.append("\\\\");
          case '\n' -> b.append("\\n");
          case '\t' -> b.append("\\t");
          default -> {
            if (ch < 0x20) {
              throw new IllegalStateException("control character in " + s);
            }
            b.append(ch);
          }
        }
      }
      return b.append('"').toString();
    }
  }
}
