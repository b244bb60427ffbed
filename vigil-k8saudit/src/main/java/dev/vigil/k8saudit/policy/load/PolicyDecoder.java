package dev.vigil.k8saudit.policy.load;

import dev.vigil.k8saudit.policy.load.RawPolicy.RawGroupResources;
import dev.vigil.k8saudit.policy.load.RawPolicy.RawRule;
import dev.vigil.k8saudit.policy.load.UnknownField.Scope;
import dev.vigil.k8saudit.policy.load.YNode.Kind;
import dev.vigil.k8saudit.policy.load.YNode.YMap;
import dev.vigil.k8saudit.policy.load.YNode.YScalar;
import dev.vigil.k8saudit.policy.load.YNode.YSeq;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Decodes a YAML tree against the {@code audit.k8s.io/v1} Policy schema the way kube-apiserver's
 * JSON decoder does: keys are visited in sorted order (the YAML was converted to JSON through a Go
 * map), case-sensitively; unknown keys are collected (strict) and dropped (lenient); {@code null}
 * leaves the zero value; a value of the wrong JSON type is an error, of which the first is
 * reported, in Go's words.
 */
public final class PolicyDecoder {
  static final Set<String> POLICY_KEYS =
      Set.of("apiVersion", "kind", "metadata", "rules", "omitStages", "omitManagedFields");
  static final Set<String> RULE_KEYS =
      Set.of(
          "level",
          "users",
          "userGroups",
          "verbs",
          "resources",
          "namespaces",
          "nonResourceURLs",
          "omitStages",
          "omitManagedFields");
  static final Set<String> GROUP_RESOURCES_KEYS = Set.of("group", "resources", "resourceNames");
  static final Set<String> OBJECT_META_KEYS =
      Set.of(
          "name",
          "generateName",
          "namespace",
          "selfLink",
          "uid",
          "resourceVersion",
          "generation",
          "creationTimestamp",
          "deletionTimestamp",
          "deletionGracePeriodSeconds",
          "labels",
          "annotations",
          "ownerReferences",
          "finalizers",
          "managedFields");

  /** The known keys of each scope, for suggestions. */
  public static Set<String> keys(Scope scope) {
    return switch (scope) {
      case POLICY -> POLICY_KEYS;
      case RULE -> RULE_KEYS;
      case GROUP_RESOURCES -> GROUP_RESOURCES_KEYS;
      case METADATA -> OBJECT_META_KEYS;
    };
  }

  /**
   * A value of the wrong JSON type (fatal: kube-apiserver fails with {@code failed decoding}).
   *
   * @param message Go's message ({@code json: cannot unmarshal string into Go struct field ...})
   * @param pos where the value is
   */
  public record TypeError(String message, SourcePos pos) {}

  /**
   * The decoded policy.
   *
   * @param policy the lenient result
   * @param unknownFields unknown keys in the order strict decoding reports them
   * @param typeError the first type error, if any
   */
  public record Decoded(
      RawPolicy policy, List<UnknownField> unknownFields, Optional<TypeError> typeError) {
    public Decoded {
      unknownFields = List.copyOf(unknownFields);
    }
  }

  private final List<UnknownField> unknown = new ArrayList<>();
  private Optional<TypeError> typeError = Optional.empty();

  private PolicyDecoder() {}

  /** Decodes a document whose root is a mapping or null. */
  public static Decoded decode(YNode root) {
    PolicyDecoder d = new PolicyDecoder();
    RawPolicy p = d.policy(root);
    return new Decoded(p, d.unknown, d.typeError);
  }

  /** The entries of a mapping as a Go map would hold them: last duplicate wins, sorted by key. */
  static Map<String, YNode.Entry> sorted(YMap m) {
    Map<String, YNode.Entry> last = new LinkedHashMap<>();
    for (YNode.Entry e : m.entries()) {
      last.put(e.key().text(), e);
    }
    return new TreeMap<>(last);
  }

  private RawPolicy policy(YNode root) {
    Optional<Str> apiVersion = Optional.empty();
    Optional<Str> kind = Optional.empty();
    List<RawRule> rules = List.of();
    List<Str> omitStages = List.of();
    boolean omitManagedFields = false;
    Map<String, SourcePos> keys = new HashMap<>();
    if (root instanceof YMap m) {
      for (YNode.Entry e : sorted(m).values()) {
        String k = e.key().text();
        YNode v = e.value();
        keys.put(k, e.key().pos());
        switch (k) {
          case "apiVersion" -> apiVersion = optionalString(v, "Policy", "apiVersion");
          case "kind" -> kind = optionalString(v, "Policy", "kind");
          case "metadata" -> metadata(v);
          case "rules" -> rules = rules(v);
          case "omitStages" ->
              omitStages = strings(v, "Policy", "omitStages", "[]v1.Stage", "v1.Stage");
          case "omitManagedFields" ->
              omitManagedFields = bool(v, "Policy", "omitManagedFields").orElse(false);
          default -> unknown.add(new UnknownField(k, k, Scope.POLICY, v, e.key().pos()));
        }
      }
    }
    return new RawPolicy(apiVersion, kind, rules, omitStages, omitManagedFields, keys);
  }

  private void metadata(YNode v) {
    if (v instanceof YMap m) {
      for (YNode.Entry e : sorted(m).values()) {
        if (!OBJECT_META_KEYS.contains(e.key().text())) {
          unknown.add(
              new UnknownField(
                  "metadata." + e.key().text(),
                  e.key().text(),
                  Scope.METADATA,
                  e.value(),
                  e.key().pos()));
        }
      }
    } else if (!isNull(v)) {
      typeError(v, "Policy", "metadata", "v1.ObjectMeta");
    }
  }

  private List<RawRule> rules(YNode v) {
    List<RawRule> out = new ArrayList<>();
    if (v instanceof YSeq seq) {
      for (YNode item : seq.items()) {
        out.add(rule(out.size(), item));
      }
    } else if (!isNull(v)) {
      typeError(v, "Policy", "rules", "[]v1.PolicyRule");
    }
    return out;
  }

  private RawRule rule(int index, YNode node) {
    String path = "rules[" + index + "]";
    Str level = new Str("", node.pos());
    List<Str> users = List.of();
    List<Str> groups = List.of();
    List<Str> verbs = List.of();
    List<RawGroupResources> resources = List.of();
    List<Str> namespaces = List.of();
    List<Str> urls = List.of();
    List<Str> stages = List.of();
    Optional<Boolean> omf = Optional.empty();
    Map<String, SourcePos> keys = new HashMap<>();
    if (node instanceof YMap m) {
      for (YNode.Entry e : sorted(m).values()) {
        String k = e.key().text();
        YNode v = e.value();
        keys.put(k, e.key().pos());
        String f = "rules." + k;
        switch (k) {
          case "level" ->
              level = optionalString(v, "PolicyRule", f, "v1.Level").orElse(new Str("", v.pos()));
          case "users" -> users = strings(v, "PolicyRule", f, "[]string", "string");
          case "userGroups" -> groups = strings(v, "PolicyRule", f, "[]string", "string");
          case "verbs" -> verbs = strings(v, "PolicyRule", f, "[]string", "string");
          case "resources" -> resources = groupResources(v, path);
          case "namespaces" -> namespaces = strings(v, "PolicyRule", f, "[]string", "string");
          case "nonResourceURLs" -> urls = strings(v, "PolicyRule", f, "[]string", "string");
          case "omitStages" -> stages = strings(v, "PolicyRule", f, "[]v1.Stage", "v1.Stage");
          case "omitManagedFields" -> omf = bool(v, "PolicyRule", f);
          default -> unknown.add(new UnknownField(path + "." + k, k, Scope.RULE, v, e.key().pos()));
        }
      }
    } else if (!isNull(node)) {
      typeError(node, "Policy", "rules", "v1.PolicyRule");
    }
    return new RawRule(
        index,
        node.pos(),
        level,
        users,
        groups,
        verbs,
        resources,
        namespaces,
        urls,
        stages,
        omf,
        keys);
  }

  private List<RawGroupResources> groupResources(YNode v, String rulePath) {
    List<RawGroupResources> out = new ArrayList<>();
    if (v instanceof YSeq seq) {
      for (YNode item : seq.items()) {
        out.add(groupResource(item, rulePath + ".resources[" + out.size() + "]"));
      }
    } else if (!isNull(v)) {
      typeError(v, "PolicyRule", "rules.resources", "[]v1.GroupResources");
    }
    return out;
  }

  private RawGroupResources groupResource(YNode node, String path) {
    Str group = new Str("", node.pos());
    List<Str> resources = List.of();
    List<Str> names = List.of();
    Map<String, SourcePos> keys = new HashMap<>();
    if (node instanceof YMap m) {
      for (YNode.Entry e : sorted(m).values()) {
        String k = e.key().text();
        YNode v = e.value();
        keys.put(k, e.key().pos());
        String f = "rules.resources." + k;
        switch (k) {
          case "group" ->
              group = optionalString(v, "GroupResources", f, "string").orElse(new Str("", v.pos()));
          case "resources" -> resources = strings(v, "GroupResources", f, "[]string", "string");
          case "resourceNames" -> names = strings(v, "GroupResources", f, "[]string", "string");
          default ->
              unknown.add(
                  new UnknownField(path + "." + k, k, Scope.GROUP_RESOURCES, v, e.key().pos()));
        }
      }
    } else if (!isNull(node)) {
      typeError(node, "PolicyRule", "rules.resources", "v1.GroupResources");
    }
    return new RawGroupResources(node.pos(), group, resources, names, keys);
  }

  private Optional<Str> optionalString(YNode v, String struct, String field) {
    return optionalString(v, struct, field, "string");
  }

  private Optional<Str> optionalString(YNode v, String struct, String field, String goType) {
    if (v instanceof YScalar s && s.kind() == Kind.STRING) {
      return Optional.of(new Str(s.text(), s.pos()));
    }
    if (!isNull(v)) {
      typeError(v, struct, field, goType);
    }
    return Optional.empty();
  }

  private List<Str> strings(
      YNode v, String struct, String field, String sliceType, String elemType) {
    if (isNull(v)) {
      return List.of();
    }
    if (!(v instanceof YSeq seq)) {
      typeError(v, struct, field, sliceType);
      return List.of();
    }
    List<Str> out = new ArrayList<>(seq.items().size());
    for (YNode item : seq.items()) {
      if (item instanceof YScalar s && (s.kind() == Kind.STRING || s.kind() == Kind.NULL)) {
        out.add(new Str(s.kind() == Kind.NULL ? "" : s.text(), s.pos()));
      } else {
        typeError(item, struct, field, elemType);
      }
    }
    return out;
  }

  private Optional<Boolean> bool(YNode v, String struct, String field) {
    if (v instanceof YScalar s && s.kind() == Kind.BOOL) {
      return Optional.of(isTrue(s.text()));
    }
    if (!isNull(v)) {
      typeError(v, struct, field, "bool");
    }
    return Optional.empty();
  }

  private static boolean isTrue(String s) {
    return switch (s) {
      case "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON" -> true;
      default -> false;
    };
  }

  static boolean isNull(YNode v) {
    return v instanceof YScalar s && s.kind() == Kind.NULL;
  }

  private void typeError(YNode v, String struct, String field, String goType) {
    if (typeError.isEmpty()) {
      typeError =
          Optional.of(
              new TypeError(
                  "json: cannot unmarshal "
                      + v.jsonType()
                      + " into Go struct field "
                      + struct
                      + "."
                      + field
                      + " of type "
                      + goType,
                  v.pos()));
    }
  }
}
