package dev.vigil.k8saudit.policy.load;

import dev.vigil.k8saudit.policy.GroupResources;
import dev.vigil.k8saudit.policy.KubeVersion;
import dev.vigil.k8saudit.policy.Level;
import dev.vigil.k8saudit.policy.Policy;
import dev.vigil.k8saudit.policy.PolicyRule;
import dev.vigil.k8saudit.policy.Stage;
import dev.vigil.k8saudit.policy.load.LoadReport.Loads;
import dev.vigil.k8saudit.policy.load.LoadReport.NotRead;
import dev.vigil.k8saudit.policy.load.LoadReport.Refuses;
import dev.vigil.k8saudit.policy.load.PolicyDecoder.Decoded;
import dev.vigil.k8saudit.policy.load.RawPolicy.RawGroupResources;
import dev.vigil.k8saudit.policy.load.RawPolicy.RawRule;
import dev.vigil.k8saudit.policy.load.YNode.Kind;
import dev.vigil.k8saudit.policy.load.YNode.YMap;
import dev.vigil.k8saudit.policy.load.YNode.YScalar;
import dev.vigil.k8saudit.policy.load.YamlReader.Duplicate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Loads a policy file as kube-apiserver does ({@code LoadPolicyFromFile}): strict decoding, and on
 * unknown or duplicate fields a lenient fallback with a warning (silent before 1.26); the
 * group/version must be {@code audit.k8s.io/v1}; validation; at least one rule.
 */
public final class PolicyLoader {
  /** Largest policy file Vigil reads (real policies are a few KiB). */
  public static final int MAX_BYTES = 16 * 1024 * 1024;

  static final String SCHEME = "k8s.io/apiserver/pkg/audit/scheme.go:30";
  private static final String GVK_STRUCT =
      "struct { APIVersion string \"json:\\\"apiVersion,omitempty\\\"\"; Kind string"
          + " \"json:\\\"kind,omitempty\\\"\" }";

  private final String file;
  private final KubeVersion version;
  private final List<Problem> problems = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();

  private PolicyLoader(String file, KubeVersion version) {
    this.file = file;
    this.version = version;
  }

  /** The report for a file too large to read ({@code size} bytes), without reading it. */
  public static LoadReport tooLarge(String file, long size, KubeVersion version) {
    return new PolicyLoader(file, version).run(new byte[0], size);
  }

  /** Loads {@code content}, read from {@code file}, as kube-apiserver {@code version} would. */
  public static LoadReport load(String file, byte[] content, KubeVersion version) {
    return new PolicyLoader(file, version).run(content, content.length);
  }

  private LoadReport run(byte[] content, long size) {
    if (size > MAX_BYTES) {
      return report(
          new NotRead(
              String.format(
                  "the file is %.1f MiB; Vigil reads policy files up to %d MiB (real policies are"
                      + " a few KiB)",
                  size / (1024.0 * 1024.0), MAX_BYTES / (1024 * 1024))),
          Optional.empty());
    }
    YamlReader.Result read = YamlReader.read(file, content);
    return switch (read) {
      case YamlReader.Failed f -> {
        problems.add(new Problem.Yaml(f.problem(), f.pos()));
        yield refuse("failed decoding: error converting YAML to JSON: yaml: " + f.problem());
      }
      case YamlReader.Read r -> decode(r);
    };
  }

  private LoadReport decode(YamlReader.Read read) {
    if (read.documents() > 1) {
      problems.add(new Problem.ExtraDocuments(read.documents(), read.root().pos()));
    }
    YNode root = read.root();
    if (!(root instanceof YMap) && !PolicyDecoder.isNull(root)) {
      problems.add(new Problem.NotAnObject(root.jsonType(), root.pos()));
      return refuse(
          "failed decoding: couldn't get version/kind; json parse error: json: cannot unmarshal "
              + root.jsonType()
              + " into Go value of type "
              + GVK_STRUCT);
    }
    Optional<String> gvkError = typeMetaError(root);
    if (gvkError.isPresent()) {
      return refuse(gvkError.get());
    }
    String apiVersion = scalar(root, "apiVersion");
    String kind = scalar(root, "kind");
    Decoded decoded = PolicyDecoder.decode(root);
    RawPolicy raw = decoded.policy();
    SourcePos gvPos = raw.keys().getOrDefault("apiVersion", root.pos());
    String[] gv = groupVersion(apiVersion);
    String effectiveKind = kind.isEmpty() ? "Policy" : kind;
    if (gv[0].isEmpty() && gv[1].isEmpty()) {
      gv = new String[] {"audit.k8s.io", "__internal"};
    } else if (gv[1].isEmpty()) {
      problems.add(new Problem.WrongVersion(apiVersion, kind, gvPos));
      return refuse("failed decoding: Object 'apiVersion' is missing in the policy", raw);
    }
    boolean v1 = gv[0].equals("audit.k8s.io") && gv[1].equals("v1");
    boolean internal = gv[0].equals("audit.k8s.io") && gv[1].equals("__internal");
    if (!internal && !(v1 && effectiveKind.equals("Policy"))) {
      problems.add(new Problem.WrongVersion(apiVersion, kind, gvPos));
      String gvText = gv[0].isEmpty() ? gv[1] : gv[0] + "/" + gv[1];
      if (v1 && Set.of("Event", "EventList", "PolicyList").contains(effectiveKind)) {
        return refuse(
            "failed decoding: converting (v1."
                + effectiveKind
                + ") to (audit.Policy): unknown"
                + " conversion",
            raw);
      }
      return refuse(
          "failed decoding: no kind "
              + GoText.quote(effectiveKind)
              + " is registered for version "
              + GoText.quote(gvText)
              + " in scheme "
              + GoText.quote(SCHEME),
          raw);
    }
    if (decoded.typeError().isPresent()) {
      problems.add(new Problem.WrongType(decoded.typeError().get()));
      return refuse("failed decoding: " + decoded.typeError().get().message(), raw);
    }
    strictness(read.duplicates(), decoded.unknownFields());
    if (internal) {
      problems.add(new Problem.WrongVersion(apiVersion, kind, gvPos));
      return refuse(
          "unknown group version field audit.k8s.io/__internal, Kind="
              + effectiveKind
              + " in policy",
          raw);
    }
    return validate(raw);
  }

  private LoadReport validate(RawPolicy raw) {
    List<FieldError> errors = Validation.validate(raw, version);
    for (FieldError e : errors) {
      problems.add(new Problem.Invalid(e));
    }
    if (!errors.isEmpty()) {
      return refuse(Validation.aggregate(errors), raw);
    }
    if (raw.rules().isEmpty()) {
      problems.add(
          new Problem.NoRules(raw.keyPos(raw.keys().containsKey("rules") ? "rules" : "kind")));
      return refuse("loaded illegal policy with 0 rules", raw);
    }
    return report(new Loads(policy(raw)), Optional.of(raw));
  }

  /** Unknown and duplicate fields: kube-apiserver's strict decoding error, then leniency. */
  private void strictness(List<Duplicate> duplicates, List<UnknownField> unknown) {
    List<String> strictErrors = new ArrayList<>();
    if (!duplicates.isEmpty()) {
      StringBuilder sb =
          new StringBuilder("error converting YAML to JSON: yaml: unmarshal errors:");
      for (Duplicate d : duplicates) {
        sb.append("\n  line ")
            .append(d.line())
            .append(": key ")
            .append(GoText.quote(d.key()))
            .append(" already set in map");
        problems.add(new Problem.DuplicateKey(d));
      }
      strictErrors.add(sb.toString());
    }
    for (UnknownField u : unknown) {
      strictErrors.add("unknown field " + GoText.quote(u.path()));
      problems.add(new Problem.Unknown(u));
    }
    if (!strictErrors.isEmpty() && version.strictDecodingWarning()) {
      warnings.add(
          "Audit policy contains errors, falling back to lenient decoding: strict decoding error: "
              + String.join(", ", strictErrors));
    }
  }

  /** apiVersion and kind must be strings (or null) for the group/version to be read at all. */
  private Optional<String> typeMetaError(YNode root) {
    if (root instanceof YMap m) {
      for (YNode.Entry e : PolicyDecoder.sorted(m).values()) {
        String k = e.key().text();
        if ((k.equals("apiVersion") || k.equals("kind"))
            && !(e.value() instanceof YScalar s
                && (s.kind() == Kind.STRING || s.kind() == Kind.NULL))) {
          problems.add(
              new Problem.WrongType(
                  new PolicyDecoder.TypeError(
                      "json: cannot unmarshal "
                          + e.value().jsonType()
                          + " into Go struct field ."
                          + k
                          + " of type string",
                      e.value().pos())));
          return Optional.of(
              "failed decoding: couldn't get version/kind; json parse error: json: cannot"
                  + " unmarshal "
                  + e.value().jsonType()
                  + " into Go struct field ."
                  + k
                  + " of type string");
        }
      }
    }
    return Optional.empty();
  }

  private static String scalar(YNode root, String key) {
    if (root instanceof YMap m) {
      YNode.Entry e = PolicyDecoder.sorted(m).get(key);
      if (e != null && e.value() instanceof YScalar s && s.kind() == Kind.STRING) {
        return s.text();
      }
    }
    return "";
  }

  /** {@code schema.ParseGroupVersion}; malformed values read as empty, as kube-apiserver does. */
  private static String[] groupVersion(String apiVersion) {
    if (apiVersion.isEmpty() || apiVersion.equals("/")) {
      return new String[] {"", ""};
    }
    int slash = apiVersion.indexOf('/');
    if (slash < 0) {
      return new String[] {"", apiVersion};
    }
    if (apiVersion.indexOf('/', slash + 1) >= 0) {
      return new String[] {"", ""};
    }
    return new String[] {apiVersion.substring(0, slash), apiVersion.substring(slash + 1)};
  }

  private static Policy policy(RawPolicy raw) {
    List<PolicyRule> rules = new ArrayList<>();
    for (RawRule r : raw.rules()) {
      rules.add(
          new PolicyRule(
              Level.parse(r.level().value()).orElseThrow(),
              values(r.users()),
              values(r.userGroups()),
              values(r.verbs()),
              r.resources().stream().map(PolicyLoader::groupResources).toList(),
              values(r.namespaces()),
              values(r.nonResourceURLs()),
              stages(r.omitStages()),
              r.omitManagedFields()));
    }
    return new Policy(rules, stages(raw.omitStages()), raw.omitManagedFields());
  }

  private static GroupResources groupResources(RawGroupResources g) {
    return new GroupResources(g.group().value(), values(g.resources()), values(g.resourceNames()));
  }

  private static List<String> values(List<Str> strs) {
    return strs.stream().map(Str::value).toList();
  }

  private static Set<Stage> stages(List<Str> strs) {
    EnumSet<Stage> out = EnumSet.noneOf(Stage.class);
    for (Str s : strs) {
      out.add(Stage.parse(s.value()).orElseThrow());
    }
    return out;
  }

  private LoadReport refuse(String error) {
    return refuse(error, Optional.empty());
  }

  private LoadReport refuse(String error, RawPolicy raw) {
    return refuse(error, Optional.of(raw));
  }

  private LoadReport refuse(String error, Optional<RawPolicy> raw) {
    String message = "loading audit policy file: " + error + ": from file " + file;
    return report(new Refuses(error, message), raw);
  }

  private LoadReport report(LoadReport.Verdict verdict, Optional<RawPolicy> raw) {
    return new LoadReport(file, version, verdict, warnings, raw, problems);
  }
}
