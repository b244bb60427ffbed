package dev.vigil.k8saudit.policy.load;

/**
 * A key the {@code audit.k8s.io/v1} schema does not have: strict decoding reports it, the lenient
 * fallback drops it.
 *
 * @param path kube-apiserver's path ({@code rules[0].resources[0].resourceName})
 * @param key the key as written
 * @param in the object it was written in
 * @param value what was written under it
 * @param pos where the key is
 */
public record UnknownField(String path, String key, Scope in, YNode value, SourcePos pos) {
  /** The kind of object an unknown key was found in. */
  public enum Scope {
    POLICY,
    RULE,
    GROUP_RESOURCES,
    METADATA
  }
}
