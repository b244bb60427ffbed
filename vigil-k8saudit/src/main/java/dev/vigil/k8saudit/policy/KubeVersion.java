package dev.vigil.k8saudit.policy;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The kube-apiserver minor version whose behaviour is emulated. Only 1.x versions within {@link
 * #OLDEST} and {@link #NEWEST} are known; behaviour that changed between them is asked for through
 * the feature methods below, never by comparing numbers elsewhere.
 *
 * @param minor the minor version (36 for 1.36)
 */
public record KubeVersion(int minor) implements Comparable<KubeVersion> {
  /** The oldest version emulated: the first without the beta audit API groups. */
  public static final KubeVersion OLDEST = new KubeVersion(24);

  /** The newest version known (selectable explicitly). */
  public static final KubeVersion NEWEST = new KubeVersion(37);

  /** The newest released Kubernetes the tool knows: the default. */
  public static final KubeVersion DEFAULT = new KubeVersion(36);

  private static final Pattern SYNTAX = Pattern.compile("v?1\\.(\\d{1,3})(?:\\.\\d+)?");

  /** Parses {@code 1.36}, {@code v1.36} or {@code 1.36.2}; empty when malformed or unknown. */
  public static Optional<KubeVersion> parse(String s) {
    Matcher m = SYNTAX.matcher(s.strip());
    if (!m.matches()) {
      return Optional.empty();
    }
    KubeVersion v = new KubeVersion(Integer.parseInt(m.group(1)));
    if (v.compareTo(OLDEST) < 0 || v.compareTo(NEWEST) > 0) {
      return Optional.empty();
    }
    return Optional.of(v);
  }

  /** {@code group: "*"} is accepted and matches every group (1.36, commit 6728d94). */
  public boolean groupWildcard() {
    return minor >= 36;
  }

  /**
   * Field errors render list values as JSON ({@code ["a","b"]}) rather than Go syntax ({@code
   * []string{"a", "b"}}) (1.34, kubernetes#132314).
   */
  public boolean jsonFieldValues() {
    return minor >= 34;
  }

  /** Strict decoding first, then a lenient fallback with a warning (1.26); silent before. */
  public boolean strictDecodingWarning() {
    return minor >= 26;
  }

  public boolean atLeast(int minorVersion) {
    return minor >= minorVersion;
  }

  @Override
  public int compareTo(KubeVersion o) {
    return Integer.compare(minor, o.minor);
  }

  @Override
  public String toString() {
    return "1." + minor;
  }
}
