package dev.vigil.kernel.fields;

import dev.vigil.event.EventTypes;
import dev.vigil.kernel.event.RecordWriter;
import dev.vigil.kernel.event.SyscallEvent;
import dev.vigil.kernel.state.ContainerInfo;
import dev.vigil.kernel.state.FdInfo;
import dev.vigil.kernel.state.ProcessInfo;
import dev.vigil.kernel.state.ThreadInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Reads a table of behavioural rule cases (see {@code default-rules/cases.yaml} for the format) and
 * builds each case's process tree, container, file descriptor and event record.
 */
final class RuleCases {
  private static final long SECOND = 1_000_000_000L;
  private static final int PID = 4242;
  private static final Set<String> CASE_KEYS =
      words("name expect near shadowed output container process event fd");
  private static final Set<String> PROCESS_KEYS =
      words(
          "comm exe argv0 args cwd uid user loginuid tty vpid caps exe_flags stdin stdout parents"
              + " host");
  private static final Set<String> CONTAINER_KEYS =
      words("from id name image tag privileged host_network host_pid age pod namespace");
  private static final Set<String> FD_KEYS =
      words("num kind name flags client server proto connected server_side");
  private static final List<String> OPEN_EVENTS = List.of("open", "openat", "openat2", "creat");

  private RuleCases() {}

  /** Loads the table at {@code resource} (a class-path resource). */
  static List<RuleCase> load(String resource) {
    Map<String, Object> doc = map(parse(resource), resource);
    keys(doc, Set.of("anchors", "containers", "cases"), resource);
    Map<String, ContainerInfo> containers = new LinkedHashMap<>();
    containers.put("host", ContainerInfo.HOST);
    map(doc.getOrDefault("containers", Map.of()), "containers")
        .forEach((k, v) -> containers.put(k, container(k, map(v, k), containers)));
    List<RuleCase> out = new ArrayList<>();
    for (Object o : list(doc.get("cases"), "cases")) {
      Map<String, Object> c = map(o, "case");
      String name = str(c, "name", "");
      try {
        out.add(build(c, containers));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("case '" + name + "': " + e.getMessage(), e);
      }
    }
    return out;
  }

  private static Object parse(String resource) {
    try (InputStream in = RuleCases.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing table " + resource);
      }
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      Object doc =
          new Load(
                  LoadSettings.builder()
                      .setAllowDuplicateKeys(false)
                      .setMaxAliasesForCollections(1000)
                      .build())
              .loadFromString(text);
      if (doc == null) {
        throw new IllegalStateException("empty table " + resource);
      }
      return doc;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static RuleCase build(Map<String, Object> c, Map<String, ContainerInfo> containers) {
    keys(c, CASE_KEYS, "case");
    String name = str(c, "name", "");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("a case needs a name");
    }
    ContainerInfo container = caseContainer(c.get("container"), containers);
    ThreadInfo thread = thread(map(c.get("process"), "process"), container);
    Map<String, Object> ev =
        c.get("event") instanceof String s ? Map.of("type", s) : map(c.get("event"), "event");
    keys(ev, Set.of("type", "res", "params"), "event");
    String type = str(ev, "type", "");
    long res = Symbols.number(ev.getOrDefault("res", 0L));
    Map<String, Object> params = new LinkedHashMap<>(map(ev.getOrDefault("params", Map.of()), ""));
    FdInfo fd =
        c.containsKey("fd")
            ? fd(map(c.get("fd"), "fd"))
            : openedFile(type, res, params, thread.process());
    RecordWriter w = new RecordWriter(512);
    int at = Scenario.record(w, thread, Scenario.T0, type, res, params(type, params, thread, fd));
    return new RuleCase(
        name,
        str(c, "expect", ""),
        str(c, "near", ""),
        strings(c.get("shadowed")),
        strings(c.get("output")),
        new SyscallEvent().wrap(w.buffer(), at, 1).resolve(thread, fd));
  }

  private static ContainerInfo caseContainer(
      @Nullable Object spec, Map<String, ContainerInfo> containers) {
    if (spec == null) {
      return ContainerInfo.HOST;
    }
    if (spec instanceof String s) {
      ContainerInfo c = containers.get(s);
      if (c == null) {
        throw new IllegalArgumentException("unknown container " + s);
      }
      return c;
    }
    return container("", map(spec, "container"), containers);
  }

  /** A container; {@code from} names one defined earlier whose attributes are the defaults. */
  private static ContainerInfo container(
      String key, Map<String, Object> m, Map<String, ContainerInfo> known) {
    keys(m, CONTAINER_KEYS, "container " + key);
    ContainerInfo base =
        m.containsKey("from")
            ? known.get(str(m, "from", ""))
            : new ContainerInfo(
                idOf(key), key, "", "", false, false, false, 0, "", "", List.of(), Map.of());
    if (base == null) {
      throw new IllegalArgumentException("unknown container " + m.get("from"));
    }
    long startTs =
        m.containsKey("age")
            ? Scenario.T0 - Symbols.number(m.get("age")) * SECOND
            : base.startTs() != 0 ? base.startTs() : Scenario.T0 - 3600 * SECOND;
    return new ContainerInfo(
        str(m, "id", base.id()),
        str(m, "name", base.name()),
        str(m, "image", base.imageRepository()),
        str(m, "tag", base.imageTag()),
        bool(m, "privileged", base.privileged()),
        bool(m, "host_network", base.hostNetwork()),
        bool(m, "host_pid", base.hostPid()),
        startTs,
        str(m, "pod", base.podName()),
        str(m, "namespace", base.namespace()),
        List.of(),
        Map.of());
  }

  private static String idOf(String key) {
    String hex = String.format("%012x", Integer.toUnsignedLong(key.hashCode()) * 0x9E3779B1L);
    return hex.substring(hex.length() - 12);
  }

  /**
   * The process and its ancestors ({@code parents}, parent first). Ancestors run in the same
   * container unless they say {@code host: true} (runtimes and shims live on the host).
   */
  private static ThreadInfo thread(Map<String, Object> spec, ContainerInfo container) {
    List<Object> parents = list(spec.getOrDefault("parents", List.of()), "parents");
    ProcessInfo parent = null;
    int sid = PID - parents.size();
    for (int i = parents.size() - 1; i >= 0; i--) {
      Map<String, Object> ps = map(parents.get(i), "parent");
      parent = process(ps, containerOf(ps, container), PID - 1 - i, sid, parent).process();
    }
    return process(spec, containerOf(spec, container), PID, sid, parent);
  }

  private static ContainerInfo containerOf(Map<String, Object> spec, ContainerInfo container) {
    return bool(spec, "host", false) ? ContainerInfo.HOST : container;
  }

  private static ThreadInfo process(
      Map<String, Object> s,
      ContainerInfo container,
      int pid,
      int sid,
      @Nullable ProcessInfo parent) {
    keys(s, PROCESS_KEYS, "process");
    String comm = str(s, "comm", "");
    if (comm.isEmpty()) {
      throw new IllegalArgumentException("a process needs a comm");
    }
    String exepath = str(s, "exe", "/usr/bin/" + comm);
    int tty = (int) Symbols.number(s.getOrDefault("tty", 0L));
    int vpid =
        (int) Symbols.number(s.getOrDefault("vpid", container.isHost() ? pid : pid - PID + 42));
    long startTs = Scenario.T0 - 60 * SECOND;
    List<String> flags = strings(s.get("exe_flags"));
    boolean upper = flags.contains("upper_layer");
    ProcessInfo p =
        new ProcessInfo(pid)
            .identity(parent == null ? 1 : parent.pid(), sid, vpid, vpid, tty)
            .parent(parent)
            .exec(
                comm,
                str(s, "argv0", exepath),
                exepath,
                strings(s.get("args")),
                List.of("PATH=/usr/local/bin:/usr/bin:/bin"))
            .cwd(str(s, "cwd", "/"))
            .startTs(startTs)
            .executable(
                1_048_576L + pid,
                upper ? startTs - 5 * SECOND : startTs - 30L * 86_400 * SECOND,
                upper ? startTs - 5 * SECOND : startTs - 30L * 86_400 * SECOND,
                upper,
                flags.contains("memfd"),
                flags.contains("writable") || flags.contains("memfd"))
            .container(container);
    for (String f : flags) {
      if (!List.of("upper_layer", "memfd", "writable").contains(f)) {
        throw new IllegalArgumentException("unknown exe flag " + f);
      }
    }
    if (s.containsKey("stdin")) {
      p.fds().put(0, fd(map(s.get("stdin"), "stdin")));
    }
    if (s.containsKey("stdout")) {
      p.fds().put(1, fd(map(s.get("stdout"), "stdout")));
    }
    int uid = (int) Symbols.number(s.getOrDefault("uid", 0L));
    String user = str(s, "user", uid == 0 ? "root" : "");
    long caps =
        s.containsKey("caps")
            ? Symbols.caps(s.get("caps"))
            : uid != 0
                ? 0
                : container.isHost() || container.privileged()
                    ? Symbols.ALL_CAPS
                    : Symbols.RUNTIME_DEFAULT_CAPS;
    int loginuid = (int) Symbols.number(s.getOrDefault("loginuid", -1L));
    return new ThreadInfo(pid, p)
        .credentials(uid, uid, loginuid, user, user, loginuid < 0 ? "" : "user" + loginuid)
        .capabilities(caps, caps, 0);
  }

  /** An fd: a file (the default), a directory, a unix socket or an IPv4/IPv6 socket. */
  static FdInfo fd(Map<String, Object> m) {
    keys(m, FD_KEYS, "fd");
    int num = (int) Symbols.number(m.getOrDefault("num", 3L));
    String kind = str(m, "kind", "file");
    return switch (kind) {
      case "file", "directory", "unix", "pipe", "memfd" -> {
        String name = str(m, "name", "");
        yield new FdInfo(num, kindOf(kind), name, name)
            .openFlags((int) Symbols.number(m.getOrDefault("flags", 0L)));
      }
      case "ipv4", "ipv6" -> {
        String client = str(m, "client", "");
        String server = str(m, "server", "");
        yield new FdInfo(num, kindOf(kind), client + "->" + server, "")
            .tuple(
                address(client),
                port(client),
                address(server),
                port(server),
                str(m, "proto", "tcp"),
                bool(m, "connected", true),
                bool(m, "server_side", false));
      }
      default -> throw new IllegalArgumentException("unknown fd kind " + kind);
    };
  }

  private static FdInfo.Kind kindOf(String label) {
    for (FdInfo.Kind k : FdInfo.Kind.values()) {
      if (k.label().equals(label)) {
        return k;
      }
    }
    throw new IllegalArgumentException("unknown fd kind " + label);
  }

  private static byte[] address(String endpoint) {
    String host =
        endpoint.substring(0, endpoint.lastIndexOf(':')).replace("[", "").replace("]", "");
    try {
      return InetAddress.getByName(host).getAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an address: " + host, e);
    }
  }

  private static int port(String endpoint) {
    return Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
  }

  /** For an open-family event without an explicit fd: the file it names, with its flags. */
  private static @Nullable FdInfo openedFile(
      String type, long res, Map<String, Object> params, ProcessInfo p) {
    if (!OPEN_EVENTS.contains(type) || !params.containsKey("name")) {
      return null;
    }
    String path = PathFields.absolute(p, String.valueOf(params.get("name")));
    int flags = (int) Symbols.number(params.getOrDefault("flags", 0L));
    return new FdInfo(res >= 0 ? (int) res : -1, FdInfo.Kind.FILE, path, path).openFlags(flags);
  }

  /**
   * The record's parameters: symbolic numbers resolved; for execve the exec'd program's details; a
   * parameter naming the fd the call uses ({@code fd} after the first, {@code oldfd}) from the fd.
   */
  private static Map<String, Object> params(
      String type, Map<String, Object> given, ThreadInfo t, @Nullable FdInfo fd) {
    EventTypes.Type et =
        Scenario.TYPES
            .byName(type)
            .orElseThrow(() -> new IllegalArgumentException("unknown event " + type));
    Map<String, Object> out = new LinkedHashMap<>();
    ProcessInfo p = t.process();
    if (type.equals("execve") || type.equals("execveat")) {
      out.put("exe", p.exe());
      out.put("args", String.join("\0", p.args()));
      out.put("tid", (long) t.tid());
      out.put("pid", (long) p.pid());
      out.put("ptid", (long) p.ppid());
      out.put("cwd", p.cwd());
      out.put("comm", p.comm());
      out.put("tty", (long) p.tty());
      out.put("loginuid", (long) t.loginuid());
      out.put("uid", (long) t.uid());
    }
    List<EventTypes.Param> ps = et.params();
    for (int i = 1; i < ps.size(); i++) {
      String n = ps.get(i).name();
      if (fd != null && (n.equals("fd") || n.equals("oldfd"))) {
        out.put(n, (long) fd.num());
      }
    }
    for (Map.Entry<String, Object> e : given.entrySet()) {
      String ptype =
          ps.stream()
              .filter(x -> x.name().equals(e.getKey()))
              .findFirst()
              .map(EventTypes.Param::type)
              .orElse("");
      boolean numeric = !ptype.isEmpty() && Scenario.width(ptype) > 0;
      out.put(e.getKey(), numeric ? (Object) Symbols.number(e.getValue()) : e.getValue());
    }
    return out;
  }

  private static void keys(Map<String, Object> m, Set<String> allowed, String what) {
    for (String k : m.keySet()) {
      if (!allowed.contains(k)) {
        throw new IllegalArgumentException("unknown key '" + k + "' in " + what);
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(@Nullable Object o, String what) {
    if (o == null) {
      return Map.of();
    }
    if (!(o instanceof Map<?, ?>)) {
      throw new IllegalArgumentException(what + " must be a mapping: " + o);
    }
    return (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(@Nullable Object o, String what) {
    if (o == null) {
      return List.of();
    }
    if (!(o instanceof List<?>)) {
      throw new IllegalArgumentException(what + " must be a sequence: " + o);
    }
    return (List<Object>) o;
  }

  private static List<String> strings(@Nullable Object o) {
    if (o == null) {
      return List.of();
    }
    if (o instanceof List<?> l) {
      return l.stream().map(String::valueOf).toList();
    }
    return List.of(String.valueOf(o));
  }

  private static String str(Map<String, Object> m, String key, String dflt) {
    Object v = m.get(key);
    return v == null ? dflt : String.valueOf(v);
  }

  private static Set<String> words(String s) {
    return Set.of(s.split(" "));
  }

  private static boolean bool(Map<String, Object> m, String key, boolean dflt) {
    Object v = m.get(key);
    return v == null ? dflt : Boolean.TRUE.equals(v);
  }
}
