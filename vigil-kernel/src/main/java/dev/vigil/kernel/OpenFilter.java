package dev.vigil.kernel;

import dev.vigil.kernel.ffi.Probe;
import dev.vigil.rules.Rule;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which {@code open}/{@code openat}/{@code openat2} events no loaded rule can match, so that the
 * probe need not send them (nor the close of their fd). Computed from the rules' expanded
 * conditions by {@link OpenConditions}: for each access class (read, write, other) either every
 * open is sent, or only those whose normalised absolute path is one of {@code exacts}, starts with
 * one of {@code prefixes}, or whose last component is one of {@code names}.
 *
 * <p>The probe applies it only to opens that cannot change what any rule sees later: successful
 * opens of regular files and failed opens, with an absolute, normalised path (the rules compare the
 * resolved fd name). Directories (a later {@code fchdir} or {@code openat} needs their name),
 * devices and relative or unnormalised paths are always sent.
 *
 * @param enabled whether the probe filters at all
 * @param always the classes ({@link #READ}, {@link #WRITE}, {@link #OTHER}) for which every open is
 *     sent
 * @param dotdot the classes for which every open of a path containing {@code ../} (a component
 *     ending in {@code ..}) is sent
 * @param closes a rule looks at close events: the close of a kept-back open is sent, its open first
 * @param exacts path → classes for which an open of exactly that path is sent
 * @param prefixes path prefix → classes
 * @param names last path component → classes
 */
public record OpenFilter(
    boolean enabled,
    int always,
    int dotdot,
    boolean closes,
    Map<String, Integer> exacts,
    Map<String, Integer> prefixes,
    Map<String, Integer> names) {
  /** An open for reading ({@code O_RDONLY} or {@code O_RDWR}). */
  public static final int READ = 1;

  /** An open for writing ({@code O_WRONLY} or {@code O_RDWR}). */
  public static final int WRITE = 2;

  /** An open with access mode 3 (neither). */
  public static final int OTHER = 4;

  /** Every class. */
  public static final int ALL = READ | WRITE | OTHER;

  /** Longest path the probe looks up (longer ones are always sent). */
  public static final int MAX_PATH = 127;

  /** Longest last component the probe looks up. */
  public static final int MAX_NAME = 63;

  public OpenFilter {
    exacts = Map.copyOf(exacts);
    prefixes = Map.copyOf(prefixes);
    names = Map.copyOf(names);
  }

  /** No filtering: every open is sent. */
  public static OpenFilter none() {
    return new OpenFilter(false, ALL, ALL, true, Map.of(), Map.of(), Map.of());
  }

  /** The filter for {@code rules} (the bound syscall rules). */
  public static OpenFilter forRules(Collection<Rule> rules) {
    boolean closes = rules.stream().anyMatch(r -> r.events().contains("close"));
    return OpenConditions.filter(
        closes,
        rules.stream()
            .filter(r ->
                r.events().contains("open")
                    || r.events().contains("openat")
                    || r.events().contains("openat2"))
            .map(Rule::expanded)
            .toList());
  }

  /** The access class of open flags. */
  public static int classOf(long flags) {
    return switch ((int) flags & 3) {
      case 0 -> READ;
      case 1 -> WRITE;
      case 2 -> READ | WRITE;
      default -> OTHER;
    };
  }

  /**
   * Whether the probe sends an open of {@code path} with {@code flags}: the kernel's decision, in
   * Java ({@code regular}: the open succeeded on a regular file, or failed).
   */
  public boolean sends(String path, long flags, boolean regular) {
    if (!enabled || !regular) {
      return true;
    }
    int cls = classOf(flags);
    if ((always & cls) != 0) {
      return true;
    }
    byte[] b = path.getBytes(StandardCharsets.UTF_8);
    if (b.length == 0 || b.length > MAX_PATH || !normal(path)) {
      return true;
    }
    if ((dotdot & cls) != 0 && path.contains("../")) {
      return true;
    }
    for (Map.Entry<String, Integer> e : exacts.entrySet()) {
      if ((e.getValue() & cls) != 0 && e.getKey().equals(path)) {
        return true;
      }
    }
    for (Map.Entry<String, Integer> e : prefixes.entrySet()) {
      if ((e.getValue() & cls) != 0 && path.startsWith(e.getKey())) {
        return true;
      }
    }
    if (!names.isEmpty()) {
      String name = path.substring(path.lastIndexOf('/') + 1);
      int n = name.getBytes(StandardCharsets.UTF_8).length;
      if (n == 0 || n > MAX_NAME) {
        return true;
      }
      Integer v = names.get(name);
      return v != null && (v & cls) != 0;
    }
    return false;
  }

  /** Absolute and normalised (no empty, {@code .} or {@code ..} component, no trailing slash). */
  static boolean normal(String p) {
    if (p.isEmpty() || p.charAt(0) != '/') {
      return false;
    }
    if (p.equals("/")) {
      return true;
    }
    for (String part : p.substring(1).split("/", -1)) {
      if (part.isEmpty() || part.equals(".") || part.equals("..")) {
        return false;
      }
    }
    return true;
  }

  /** The probe's tables for this filter. */
  public Probe.OpenTables tables() {
    if (!enabled) {
      return Probe.OpenTables.OFF;
    }
    Map<String, Integer> ex = new LinkedHashMap<>();
    exacts.forEach((k, v) -> {
      if (k.getBytes(StandardCharsets.UTF_8).length <= MAX_PATH) {
        ex.put(k, v); // longer ones match only longer paths, which are always sent
      }
    });
    Map<String, Integer> nm = new LinkedHashMap<>();
    names.forEach((k, v) -> {
      if (k.getBytes(StandardCharsets.UTF_8).length <= MAX_NAME) {
        nm.put(k, v);
      }
    });
    return new Probe.OpenTables(true, always, dotdot, closes, ex, prefixes, nm);
  }

  /** A one-line summary for the start-up message. */
  public String summary() {
    if (!enabled) {
      return "open filter off";
    }
    List<String> all = new java.util.ArrayList<>();
    if ((always & READ) != 0) {
      all.add("read");
    }
    if ((always & WRITE) != 0) {
      all.add("write");
    }
    if ((always & OTHER) != 0) {
      all.add("other");
    }
    return "open filter: "
        + (all.isEmpty() ? "" : "all " + String.join("/", all) + " opens, ")
        + exacts.size()
        + " paths, "
        + prefixes.size()
        + " prefixes, "
        + names.size()
        + " file names";
  }
}
