package dev.vigil.k8saudit.policy.load;

import dev.vigil.k8saudit.policy.KubeVersion;
import dev.vigil.k8saudit.policy.Level;
import dev.vigil.k8saudit.policy.Stage;
import dev.vigil.k8saudit.policy.load.RawPolicy.RawGroupResources;
import dev.vigil.k8saudit.policy.load.RawPolicy.RawRule;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * kube-apiserver's {@code ValidatePolicy}: level and stage enums, group names (DNS-1123 subdomains,
 * {@code ""}, and {@code *} from 1.36), non-resource URL shapes, resourceNames needing resources,
 * and resources and non-resource URLs not mixed. Nothing else is validated.
 */
public final class Validation {
  private static final String STAGES = "RequestReceived,ResponseStarted,ResponseComplete,Panic";
  private static final String LEVELS = "\"None\", \"Metadata\", \"Request\", \"RequestResponse\"";
  private static final Pattern DNS1123_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  static final String DNS1123_SUBDOMAIN_MESSAGE =
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or"
          + " '.', and must start and end with an alphanumeric character (e.g. 'example.com',"
          + " regex used for validation is"
          + " '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

  private final KubeVersion version;
  private final List<FieldError> errors = new ArrayList<>();

  private Validation(KubeVersion version) {
    this.version = version;
  }

  /** All field errors, in kube-apiserver's order. */
  public static List<FieldError> validate(RawPolicy p, KubeVersion version) {
    Validation v = new Validation(version);
    v.stages(p.omitStages(), "omitStages", -1);
    for (RawRule r : p.rules()) {
      v.rule(r);
    }
    return List.copyOf(v.errors);
  }

  /** Joins errors as kube-apiserver's aggregate does: one as is, several as {@code [a, b]}. */
  public static String aggregate(List<FieldError> errors) {
    Set<String> unique = new LinkedHashSet<>();
    for (FieldError e : errors) {
      unique.add(e.message());
    }
    if (unique.size() == 1) {
      return unique.iterator().next();
    }
    return "[" + String.join(", ", unique) + "]";
  }

  private void rule(RawRule r) {
    String path = "rules[" + r.index() + "]";
    level(r, path + ".level");
    List<Str> urls = r.nonResourceURLs();
    for (int j = 0; j < urls.size(); j++) {
      nonResourceURL(urls.get(j), path + ".nonResourceURLs[" + j + "]", r.index());
    }
    for (RawGroupResources gr : r.resources()) {
      groupResources(gr, path + ".resources", r.index());
    }
    stages(r.omitStages(), path + ".omitStages", r.index());
    if (!urls.isEmpty() && (!r.resources().isEmpty() || !r.namespaces().isEmpty())) {
      String f = path + ".nonResourceURLs";
      add(
          FieldError.Type.MIXED_RESOURCES_AND_NON_RESOURCE_URLS,
          f,
          invalid(f, list(urls))
              + ": rules cannot apply to both regular resources and non-resource URLs",
          "",
          r.index(),
          r.keyPos("nonResourceURLs"));
    }
  }

  private void level(RawRule r, String f) {
    String l = r.level().value();
    if (l.isEmpty()) {
      add(FieldError.Type.MISSING_LEVEL, f, f + ": Required value", "", r.index(), r.level().pos());
    } else if (Level.parse(l).isEmpty()) {
      add(
          FieldError.Type.UNSUPPORTED_LEVEL,
          f,
          f + ": Unsupported value: " + GoText.quote(l) + ": supported values: " + LEVELS,
          l,
          r.index(),
          r.level().pos());
    }
  }

  private void nonResourceURL(Str url, String f, int rule) {
    String u = url.value();
    if (u.equals("*")) {
      return;
    }
    if (!u.startsWith("/")) {
      add(
          FieldError.Type.NON_RESOURCE_URL_SLASH,
          f,
          invalid(f, GoText.quote(u)) + ": non-resource URL rules must begin with a '/' character",
          u,
          rule,
          url.pos());
    }
    if (!u.isEmpty() && u.substring(0, u.length() - 1).indexOf('*') >= 0) {
      add(
          FieldError.Type.NON_RESOURCE_URL_WILDCARD,
          f,
          invalid(f, GoText.quote(u))
              + ": non-resource URL wildcards '*' must be the final character of the rule",
          u,
          rule,
          url.pos());
    }
  }

  private void groupResources(RawGroupResources gr, String f, int rule) {
    String g = gr.group().value();
    if (!g.isEmpty() && !(version.groupWildcard() && g.equals("*"))) {
      List<String> msgs = dns1123Subdomain(g);
      if (!msgs.isEmpty()) {
        add(
            FieldError.Type.INVALID_GROUP,
            f + ".group",
            invalid(f + ".group", GoText.quote(g)) + ": " + String.join(",", msgs),
            g,
            rule,
            gr.group().pos());
      }
    }
    if (!gr.resourceNames().isEmpty() && gr.resources().isEmpty()) {
      add(
          FieldError.Type.RESOURCE_NAMES_WITHOUT_RESOURCES,
          f + ".resourceNames",
          invalid(f + ".resourceNames", list(gr.resourceNames()))
              + ": using resourceNames requires at least one resource",
          "",
          rule,
          gr.keyPos("resourceNames"));
    }
  }

  private void stages(List<Str> stages, String f, int rule) {
    for (int i = 0; i < stages.size(); i++) {
      Str s = stages.get(i);
      if (Stage.parse(s.value()).isEmpty()) {
        String fi = f + "[" + i + "]";
        add(
            FieldError.Type.INVALID_STAGE,
            fi,
            invalid(fi, GoText.quote(s.value())) + ": allowed stages are " + STAGES,
            s.value(),
            rule,
            s.pos());
      }
    }
  }

  /** {@code IsDNS1123Subdomain}: the length message, then the pattern message. */
  static List<String> dns1123Subdomain(String g) {
    List<String> msgs = new ArrayList<>(2);
    if (g.length() > 253) {
      msgs.add("must be no more than 253 characters");
    }
    if (!DNS1123_SUBDOMAIN.matcher(g).matches()) {
      msgs.add(DNS1123_SUBDOMAIN_MESSAGE);
    }
    return msgs;
  }

  private String list(List<Str> values) {
    return GoText.list(values.stream().map(Str::value).toList(), version.jsonFieldValues());
  }

  private static String invalid(String field, String value) {
    return field + ": Invalid value: " + value;
  }

  private void add(
      FieldError.Type type, String field, String message, String value, int rule, SourcePos pos) {
    errors.add(new FieldError(type, field, message, value, rule, pos));
  }
}
