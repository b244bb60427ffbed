package dev.vigil.rules.load;

import dev.vigil.rules.Location;
import java.util.List;
import java.util.Optional;

/** {@code required_engine_version} and {@code required_plugin_versions} items. */
public final class Requirements {
  private Requirements() {}

  /** A semantic version {@code major.minor.patch}. */
  public record Version(int major, int minor, int patch) implements Comparable<Version> {
    /** Parses {@code x.y.z} (digits only), or returns empty. */
    public static Optional<Version> parse(String s) {
      String[] parts = s.strip().split("\\.", -1);
      if (parts.length != 3) {
        return Optional.empty();
      }
      try {
        int[] n = new int[3];
        for (int i = 0; i < 3; i++) {
          if (parts[i].isEmpty() || !parts[i].chars().allMatch(Character::isDigit)) {
            return Optional.empty();
          }
          n[i] = Integer.parseInt(parts[i]);
        }
        return Optional.of(new Version(n[0], n[1], n[2]));
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    }

    /** Same major version and at least {@code required}. */
    public boolean compatibleWith(Version required) {
      return major == required.major && compareTo(required) >= 0;
    }

    @Override
    public int compareTo(Version o) {
      if (major != o.major) {
        return Integer.compare(major, o.major);
      }
      if (minor != o.minor) {
        return Integer.compare(minor, o.minor);
      }
      return Integer.compare(patch, o.patch);
    }

    @Override
    public String toString() {
      return major + "." + minor + "." + patch;
    }
  }

  public record EngineVersion(Version version, List<Location> trail) {
    public EngineVersion {
      trail = List.copyOf(trail);
    }
  }

  public record PluginVersion(String name, String version) {}

  /** One requirement: the first entry and its alternatives; any one satisfies it. */
  public record PluginRequirement(List<PluginVersion> alternatives, List<Location> trail) {
    public PluginRequirement {
      alternatives = List.copyOf(alternatives);
      trail = List.copyOf(trail);
    }
  }
}
