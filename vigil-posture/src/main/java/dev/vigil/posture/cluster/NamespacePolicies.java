package dev.vigil.posture.cluster;

import dev.vigil.posture.manifest.Nodes;
import dev.vigil.posture.pss.Level;
import dev.vigil.posture.pss.PsaVersion;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * The Pod Security level and version each namespace enforces, from its {@code
 * pod-security.kubernetes.io/enforce} and {@code -enforce-version} labels, as Pod Security
 * Admission reads them. A namespace without the label gets the fallback; a label value that is not
 * a level or version is read as the strictest ({@code restricted}, {@code latest}) with a warning.
 */
public final class NamespacePolicies {
  public static final String ENFORCE = "pod-security.kubernetes.io/enforce";
  public static final String ENFORCE_VERSION = "pod-security.kubernetes.io/enforce-version";

  /** A level at a version, and whether a namespace label chose it. */
  public record Policy(Level level, PsaVersion version, boolean labelled) {}

  private final Map<String, Policy> byNamespace;
  private final Policy fallback;

  private NamespacePolicies(Map<String, Policy> byNamespace, Policy fallback) {
    this.byNamespace = byNamespace;
    this.fallback = fallback;
  }

  public static NamespacePolicies uniform(Level level, PsaVersion version) {
    return new NamespacePolicies(Map.of(), new Policy(level, version, false));
  }

  /**
   * Reads the namespaces (all of them, or only {@code namespace}) and their labels. A 403 on
   * namespaces is an error: the caller decides whether to fall back.
   */
  public static NamespacePolicies read(
      KubeClient client, String namespace, Policy fallback, Consumer<String> warn)
      throws ApiException {
    Map<String, Policy> map = new HashMap<>();
    String path =
        namespace.isEmpty()
            ? "/api/v1/namespaces"
            : "/api/v1/namespaces?fieldSelector=metadata.name%3D"
                + URLEncoder.encode(namespace, StandardCharsets.UTF_8);
    client.list(
        path, "v1", "Namespace", item -> map.put(item.name(), policy(item, fallback, warn)));
    return new NamespacePolicies(Map.copyOf(map), fallback);
  }

  public Policy policy(String namespace) {
    return byNamespace.getOrDefault(namespace, fallback);
  }

  static Policy policy(KubeClient.Item ns, Policy fallback, Consumer<String> warn) {
    Node labels;
    try {
      Optional<Node> root =
          new Compose(LoadSettings.builder().setMaxAliasesForCollections(0).build())
              .composeString(ns.json());
      labels = Nodes.map(Nodes.map(root.orElse(null), "metadata"), "labels");
    } catch (YamlEngineException e) {
      return fallback;
    }
    Optional<String> level = Nodes.string(Nodes.get(labels, ENFORCE));
    if (level.isEmpty()) {
      return fallback;
    }
    Level l;
    try {
      l = Level.valueOf(level.get().toUpperCase(Locale.ROOT));
      if (!l.label().equals(level.get())) {
        throw new IllegalArgumentException(level.get());
      }
    } catch (IllegalArgumentException e) {
      warn.accept(
          "namespace "
              + ns.name()
              + ": "
              + ENFORCE
              + "="
              + level.get()
              + " is not a level; checking it as restricted");
      l = Level.RESTRICTED;
    }
    String v = Nodes.string(Nodes.get(labels, ENFORCE_VERSION)).orElse("latest");
    PsaVersion version =
        PsaVersion.parse(v)
            .orElseGet(() -> {
              warn.accept(
                  "namespace "
                      + ns.name()
                      + ": "
                      + ENFORCE_VERSION
                      + "="
                      + v
                      + " is not a version; checking it at latest");
              return PsaVersion.LATEST;
            });
    return new Policy(l, version, true);
  }
}
