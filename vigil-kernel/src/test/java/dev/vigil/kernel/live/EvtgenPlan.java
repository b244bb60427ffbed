package dev.vigil.kernel.live;

import dev.vigil.rules.Priority;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the suite does for one event-generator case, as the {@code eg} helper's plan ({@code
 * src/test/c/eg.c}), and what it expects Vigil to report.
 *
 * <p>As event-generator's HostRunner: the {@code context.processes} chain is spawned in order (each
 * process the parent of the next) below a launcher, with its names, {@code argv[0]} ({@code exe}),
 * arguments and users (switched keeping every capability, event-generator's default "all=iep"); the
 * last process runs the {@code before} script, sets up the {@code clientServer} and {@code process}
 * resources and performs the steps. Without a chain the launcher does. File and directory resources
 * are made to exist by the test beforehand (not by the process under test, so that only the steps
 * can raise the expected alert). A {@code context.container} runs the chain in the suite's
 * container; there, a process with a user other than root runs a copy of the helper written into
 * the container's writable (upper) layer, as event-generator's container builder does, and the
 * others run the copies in the image.
 */
final class EvtgenPlan {
  static final char LEVEL = 0x1d;
  static final char COMMAND = 0x1e;
  static final char FIELD = 0x1f;
  private static final Pattern BINDING = Pattern.compile("\\$\\{\\s*([A-Za-z0-9_.]+)\\s*}");

  /** Where the binaries are and who the users are, on the host and in the container. */
  interface Machine {
    /** The helper's copy named {@code name}. */
    String binary(String name, boolean container);

    /** {@code uid:gid} of a user name. */
    String user(String name, boolean container);

    /** The name of the process that starts a host case's launcher (this JVM). */
    String hostLauncherParent();
  }

  /**
   * A case made concrete.
   *
   * @param plan {@code EG_PLAN}
   * @param container whether it runs in the container
   * @param files file resources that must exist (paths as the process sees them)
   * @param dirs directory resources that must exist
   * @param outputs paths the steps may create (links, files opened with O_CREAT)
   * @param slow its {@code before} script sleeps: run it alongside the others
   * @param expected what Vigil must report
   */
  record Action(
      String plan,
      boolean container,
      List<String> files,
      List<String> dirs,
      List<String> outputs,
      boolean slow,
      Expected expected) {}

  /**
   * The expected alert.
   *
   * @param rule the rule
   * @param priority its priority
   * @param fields output fields and their values, as the test states them
   * @param eventTypes the event types of the test's steps (empty: any)
   * @param server the address of the test's {@code clientServer} resource ({@code ""}: none); where
   *     the alert names a connection ({@code fd.name}), it must be the one made to it
   * @param leaf the name of the process that performs the steps (the chain's last, or the launcher
   *     {@code eg})
   * @param leafParent the name its parent has ({@code ""}: not checked, for a container's launcher,
   *     which runc starts); an alert about the leaf that names its parent must name this
   */
  record Expected(
      String rule,
      Priority priority,
      Map<String, String> fields,
      Set<String> eventTypes,
      String server,
      String leaf,
      String leafParent) {}

  private EvtgenPlan() {}

  /** Whether the case runs in a container. */
  static boolean inContainer(Evtgen.Case c) {
    return c.map("context").get("container") != null;
  }

  /** The process names the case's chain needs. */
  static Set<String> processNames(Evtgen.Case c) {
    Set<String> out = new LinkedHashSet<>();
    for (Map<String, Object> p : processes(c)) {
      out.add(name(p));
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> processes(Evtgen.Case c) {
    Object v = c.map("context").get("processes");
    List<Map<String, Object>> out = new ArrayList<>();
    if (v instanceof List<?> l) {
      l.forEach(o -> out.add((Map<String, Object>) o));
    }
    return out;
  }

  static Action of(Evtgen.Case c, Machine m) {
    boolean container = inContainer(c);
    if (container && !c.map("context").get("container").equals(Map.of())) {
      throw new IllegalArgumentException("container image, name or env are not supported");
    }
    List<String> levels = new ArrayList<>();
    List<Map<String, Object>> chain = processes(c);
    for (int k = 0; k < chain.size(); k++) {
      levels.add(command(spawn(c, k, chain.get(k), container, m)));
    }
    List<String> leaf = new ArrayList<>();
    List<String> files = new ArrayList<>();
    List<String> dirs = new ArrayList<>();
    String before = Evtgen.str(c.spec().get("before"));
    if (!before.isEmpty()) {
      leaf.add(command(List.of("sh", before)));
    }
    for (Map<String, Object> r : c.list("resources")) {
      resource(r, leaf, files, dirs);
    }
    Set<String> types = new LinkedHashSet<>();
    List<String> outputs = new ArrayList<>();
    for (Map<String, Object> s : c.list("steps")) {
      if (!Evtgen.str(s.get("type")).equals("syscall")) {
        throw new IllegalArgumentException("unsupported step type " + s.get("type"));
      }
      String syscall = Evtgen.str(s.get("syscall"));
      types.add(syscall);
      leaf.add(command(step(syscall, args(s))));
      for (String key : List.of("newPath", "linkPath", "pathname")) {
        if (args(s).get(key) instanceof String path) {
          outputs.add(path);
        }
      }
    }
    if (!Evtgen.str(c.spec().get("after")).isEmpty()) {
      throw new IllegalArgumentException("after scripts are not supported");
    }
    levels.add(String.join(String.valueOf(COMMAND), leaf));
    return new Action(
        String.join(String.valueOf(LEVEL), levels),
        container,
        files,
        dirs,
        outputs,
        before.matches("(?s).*\\bsleep\\b.*"),
        expected(c, types, lineage(chain, container, m)));
  }

  /** The leaf's name and its parent's. */
  private static List<String> lineage(
      List<Map<String, Object>> chain, boolean container, Machine m) {
    int k = chain.size();
    return switch (k) {
      case 0 -> List.of("eg", container ? "" : m.hostLauncherParent());
      case 1 -> List.of(name(chain.get(0)), "eg");
      default -> List.of(name(chain.get(k - 1)), name(chain.get(k - 2)));
    };
  }

  private static Expected expected(Evtgen.Case c, Set<String> types, List<String> lineage) {
    Map<String, Object> out = c.map("expectedOutcome");
    String source = Evtgen.str(out.get("source"));
    if (!source.isEmpty() && !source.equals("syscall")) {
      throw new IllegalArgumentException("unsupported source " + source);
    }
    Priority priority =
        Priority.parse(Evtgen.str(out.get("priority")))
            .orElseThrow(() -> new IllegalArgumentException("priority " + out.get("priority")));
    Map<String, String> fields = new LinkedHashMap<>();
    if (out.get("outputFields") instanceof Map<?, ?> f) {
      f.forEach((k, v) -> fields.put((String) k, Evtgen.str(v)));
    }
    String server = "";
    for (Map<String, Object> r : c.list("resources")) {
      if (Evtgen.str(r.get("type")).equals("clientServer") && server.isEmpty()) {
        server = Evtgen.str(r.get("address"));
      }
    }
    return new Expected(c.rule(), priority, fields, types, server, lineage.get(0), lineage.get(1));
  }

  private static List<String> spawn(
      Evtgen.Case c, int k, Map<String, Object> p, boolean container, Machine m) {
    for (String key : p.keySet()) {
      if (!Set.of("name", "exe", "args", "user").contains(key)) {
        throw new IllegalArgumentException("context.processes[]." + key + " is not supported");
      }
    }
    String name = name(p);
    String exe = p.get("exe") == null ? name : Evtgen.str(p.get("exe"));
    String user = Evtgen.str(p.get("user"));
    String[] ids = user.isEmpty() ? new String[] {"-", "-"} : m.user(user, container).split(":");
    boolean copy = container && !user.isEmpty() && !ids[0].equals("0");
    String bin =
        copy
            ? "/tmp/eg-copies/" + c.test() + "-" + c.index() + "-" + k + "/" + name
            : m.binary(name, container);
    List<String> cmd = new ArrayList<>(List.of("proc", name, bin, exe, ids[0], ids[1]));
    cmd.add(copy ? "1" : "0");
    cmd.addAll(splitArgs(Evtgen.str(p.get("args"))));
    return cmd;
  }

  private static String name(Map<String, Object> p) {
    String name = Evtgen.str(p.get("name"));
    if (name.isEmpty()) {
      throw new IllegalArgumentException("a process without a name");
    }
    return name;
  }

  private static void resource(
      Map<String, Object> r, List<String> leaf, List<String> files, List<String> dirs) {
    String type = Evtgen.str(r.get("type"));
    String name = Evtgen.str(r.get("name"));
    switch (type) {
      case "fd" -> {
        String subtype = Evtgen.str(r.get("subtype"));
        switch (subtype) {
          case "file" -> files.add(Evtgen.str(r.get("filePath")));
          case "directory" -> dirs.add(Evtgen.str(r.get("dirPath")));
          default -> throw new IllegalArgumentException("fd subtype " + subtype);
        }
      }
      case "clientServer" ->
          leaf.add(
              command(
                  List.of("cs", name, Evtgen.str(r.get("l4Proto")), Evtgen.str(r.get("address")))));
      case "process" -> {
        if (!Boolean.parseBoolean(Evtgen.str(r.get("fileLess")))) {
          throw new IllegalArgumentException("only fileLess process resources are supported");
        }
        List<String> cmd = new ArrayList<>(List.of("fileless", name));
        cmd.addAll(splitArgs(Evtgen.str(r.get("args"))));
        leaf.add(command(cmd));
      }
      default -> throw new IllegalArgumentException("resource type " + type);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> args(Map<String, Object> step) {
    Object a = step.get("args");
    return a instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  /** The helper's command for a syscall step (argument names as in the step schemas). */
  @SuppressWarnings("unchecked")
  private static List<String> step(String syscall, Map<String, Object> a) {
    return switch (syscall) {
      case "open" -> List.of("open", arg(a, "pathname"), arg(a, "flags"), arg(a, "mode", "0"));
      case "openat" ->
          List.of(
              "openat",
              fd(a, "dirFd", "AT_FDCWD"),
              arg(a, "pathname"),
              arg(a, "flags"),
              arg(a, "mode", "0"));
      case "openat2" -> {
        Map<String, Object> how = (Map<String, Object>) a.getOrDefault("how", Map.of());
        yield List.of(
            "openat2",
            fd(a, "dirFd", "AT_FDCWD"),
            arg(a, "pathname"),
            arg(how, "flags", "0"),
            arg(how, "mode", "0"),
            arg(how, "resolve", "0"));
      }
      case "link" -> List.of("link", arg(a, "oldPath"), arg(a, "newPath"));
      case "linkat" ->
          List.of(
              "linkat",
              fd(a, "oldDirFd", "AT_FDCWD"),
              arg(a, "oldPath"),
              fd(a, "newDirFd", "AT_FDCWD"),
              arg(a, "newPath"),
              arg(a, "flags", "0"));
      case "symlink" -> List.of("symlink", arg(a, "target"), arg(a, "linkPath"));
      case "symlinkat" ->
          List.of("symlinkat", arg(a, "target"), fd(a, "newDirFd", "AT_FDCWD"), arg(a, "linkPath"));
      case "socket" -> List.of("socket", arg(a, "domain"), arg(a, "type"), arg(a, "protocol", "0"));
      case "dup" -> List.of("dup", fd(a, "oldFd", null));
      case "dup2" -> List.of("dup2", fd(a, "oldFd", null), fd(a, "newFd", null));
      case "dup3" ->
          List.of("dup3", fd(a, "oldFd", null), fd(a, "newFd", null), arg(a, "flags", "0"));
      case "connect" -> List.of("connect", fd(a, "fd", null), arg(a, "address"));
      default -> throw new IllegalArgumentException("unsupported syscall step " + syscall);
    };
  }

  private static String arg(Map<String, Object> a, String key) {
    Object v = a.get(key);
    if (v == null) {
      throw new IllegalArgumentException("missing step argument " + key);
    }
    return Evtgen.str(v);
  }

  private static String arg(Map<String, Object> a, String key, String dflt) {
    Object v = a.get(key);
    return v == null ? dflt : Evtgen.str(v);
  }

  /** An fd argument: a number, a symbol, or a binding {@code ${res.field}} (as {@code @...}). */
  private static String fd(Map<String, Object> a, String key, String dflt) {
    String v = dflt == null ? arg(a, key) : arg(a, key, dflt);
    Matcher b = BINDING.matcher(v);
    return b.matches() ? "@" + b.group(1) : v;
  }

  /** Space-separated arguments; a quoted argument keeps its spaces (event-generator's rule). */
  static List<String> splitArgs(String s) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    char quote = 0;
    boolean any = false;
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (quote != 0) {
        if (ch == quote) {
          quote = 0;
        } else {
          cur.append(ch);
        }
      } else if (ch == '"' || ch == '\'') {
        quote = ch;
        any = true;
      } else if (ch == ' ') {
        if (any || !cur.isEmpty()) {
          out.add(cur.toString());
        }
        cur.setLength(0);
        any = false;
      } else {
        cur.append(ch);
      }
    }
    if (any || !cur.isEmpty()) {
      out.add(cur.toString());
    }
    return out;
  }

  private static String command(List<String> fields) {
    for (String f : fields) {
      for (int i = 0; i < f.length(); i++) {
        char ch = f.charAt(i);
        if (ch == LEVEL || ch == COMMAND || ch == FIELD || ch == 0) {
          throw new IllegalArgumentException("control character in " + f);
        }
      }
    }
    return String.join(String.valueOf(FIELD), fields);
  }
}
