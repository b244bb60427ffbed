package dev.vigil.k8saudit.policy.lint;

import dev.vigil.k8saudit.policy.KubeVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The resources kube-apiserver serves per group and version, the groups it removed, and the short
 * names and kinds people write instead of resource names. Read once from bundled tables.
 */
public final class BuiltinApis {
  /** One built-in resource. */
  public record ApiResource(
      String group, String name, boolean namespaced, List<String> subresources) {
    public ApiResource {
      subresources = List.copyOf(subresources);
    }
  }

  /** A group kube-apiserver no longer serves. */
  public record RemovedGroup(String group, int removedIn, String served) {}

  private record Row(
      String group, String name, boolean namespaced, String subresources, int since, int until) {}

  private record ShortName(String written, String resource, String group) {}

  private static final BuiltinApis INSTANCE = new BuiltinApis();

  private final List<Row> rows = new ArrayList<>();
  private final List<RemovedGroup> removed = new ArrayList<>();
  private final List<ShortName> shorts = new ArrayList<>();

  private BuiltinApis() {
    for (String[] c : table("builtin-apis.tsv")) {
      rows.add(
          new Row(
              group(c[0]),
              c[1],
              c[2].equals("N"),
              c[3],
              Integer.parseInt(c[4]),
              c[5].equals("-") ? Integer.MAX_VALUE : Integer.parseInt(c[5])));
    }
    for (String[] c : table("removed-groups.tsv")) {
      removed.add(new RemovedGroup(c[0], Integer.parseInt(c[1]), c[2]));
    }
    for (String[] c : table("short-names.tsv")) {
      shorts.add(new ShortName(c[0], c[1], group(c[2])));
    }
  }

  public static BuiltinApis get() {
    return INSTANCE;
  }

  /** The built-in resources of {@code group} in {@code version}. */
  public List<ApiResource> resources(String group, KubeVersion version) {
    List<ApiResource> out = new ArrayList<>();
    for (Row r : rows) {
      if (r.group().equals(group) && served(r, version)) {
        out.add(resource(r, version));
      }
    }
    return out;
  }

  /**
   * Whether kube-apiserver serves {@code group} itself (not through a CRD or an aggregated API).
   */
  public boolean builtinGroup(String group, KubeVersion version) {
    return !resources(group, version).isEmpty();
  }

  public Optional<ApiResource> resource(String group, String name, KubeVersion version) {
    return resources(group, version).stream().filter(r -> r.name().equals(name)).findFirst();
  }

  /** Built-in resources called {@code name}, in any group. */
  public List<ApiResource> named(String name, KubeVersion version) {
    List<ApiResource> out = new ArrayList<>();
    for (Row r : rows) {
      if (r.name().equals(name) && served(r, version)) {
        out.add(resource(r, version));
      }
    }
    return out;
  }

  public Optional<RemovedGroup> removed(String group, KubeVersion version) {
    return removed.stream()
        .filter(g -> g.group().equals(group) && version.atLeast(g.removedIn()))
        .findFirst();
  }

  /** The resource a kubectl short name or kind stands for, with its group. */
  public Optional<ApiResource> shortName(String written, KubeVersion version) {
    for (ShortName s : shorts) {
      if (s.written().equals(written)) {
        return resource(s.group(), s.resource(), version);
      }
    }
    return Optional.empty();
  }

  private static boolean served(Row r, KubeVersion v) {
    return v.atLeast(r.since()) && !v.atLeast(r.until());
  }

  private static ApiResource resource(Row r, KubeVersion v) {
    List<String> subs = new ArrayList<>();
    if (!r.subresources().equals("-")) {
      for (String s : r.subresources().split(",", -1)) {
        int at = s.indexOf('@');
        if (at < 0) {
          subs.add(s);
        } else if (v.atLeast(Integer.parseInt(s.substring(at + 1)))) {
          subs.add(s.substring(0, at));
        }
      }
    }
    return new ApiResource(r.group(), r.name(), r.namespaced(), subs);
  }

  private static String group(String column) {
    return column.equals("-") ? "" : column;
  }

  private static List<String[]> table(String name) {
    try (InputStream in = BuiltinApis.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing bundled resource " + name);
      }
      List<String[]> out = new ArrayList<>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList()) {
        if (!line.isBlank() && !line.startsWith("#")) {
          out.add(line.split("\t", -1));
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
