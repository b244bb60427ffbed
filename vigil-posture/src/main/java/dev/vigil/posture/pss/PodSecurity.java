package dev.vigil.posture.pss;

import dev.vigil.posture.manifest.Workload;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Evaluates a pod against a level and version as Pod Security Admission does: the baseline checks
 * for {@code baseline}; baseline plus restricted, less the baseline checks that an active
 * restricted check overrides, for {@code restricted}. Each check uses its newest revision whose
 * minimum version is at most the requested one. Failures come sorted as PSA sorts them: baseline
 * check IDs first, then restricted, each in byte order.
 */
public final class PodSecurity {
  private record Revision(int minMinor, Function<PodView, @Nullable Failure> check) {}

  /** One check: its PSA ID, level, revisions (oldest first) and the baseline check it overrides. */
  private record Check(String id, Level level, List<Revision> revisions, String overrides) {
    @Nullable Revision at(int minor) {
      Revision found = null;
      for (Revision r : revisions) {
        if (r.minMinor() <= minor) {
          found = r;
        }
      }
      return found;
    }
  }

  private static final List<Check> CHECKS = checks();

  /** The IDs of all checks PSA knows, baseline first. */
  public static final List<String> CHECK_IDS = CHECKS.stream().map(Check::id).toList();

  private PodSecurity() {}

  private static Check check(String id, Level level, String overrides, Revision... revisions) {
    return new Check(id, level, List.of(revisions), overrides);
  }

  private static Revision since(int minor, Function<PodView, @Nullable Failure> f) {
    return new Revision(minor, f);
  }

  private static List<Check> checks() {
    Level b = Level.BASELINE;
    Level r = Level.RESTRICTED;
    List<Check> all =
        new ArrayList<>(
            List.of(
                check("privileged", b, "", since(0, BaselineChecks::privileged)),
                check("hostNamespaces", b, "", since(0, BaselineChecks::hostNamespaces)),
                check("hostPathVolumes", b, "", since(0, BaselineChecks::hostPathVolumes)),
                check("hostPorts", b, "", since(0, BaselineChecks::hostPorts)),
                check(
                    "capabilities_baseline", b, "", since(0, BaselineChecks::capabilitiesBaseline)),
                check("appArmorProfile", b, "", since(0, BaselineChecks::appArmorProfile)),
                check(
                    "seLinuxOptions",
                    b,
                    "",
                    since(0, BaselineChecks::seLinuxOptions10),
                    since(31, BaselineChecks::seLinuxOptions131)),
                check(
                    "procMount",
                    b,
                    "",
                    since(0, BaselineChecks::procMount10),
                    since(35, BaselineChecks::procMount135)),
                check(
                    "seccompProfile_baseline",
                    b,
                    "",
                    since(0, BaselineChecks::seccompBaseline10),
                    since(19, BaselineChecks::seccompBaseline119)),
                check(
                    "sysctls",
                    b,
                    "",
                    since(0, RestrictedChecks.sysctls(0)),
                    since(27, RestrictedChecks.sysctls(27)),
                    since(29, RestrictedChecks.sysctls(29)),
                    since(32, RestrictedChecks.sysctls(32)),
                    since(37, RestrictedChecks.sysctls(37))),
                check("windowsHostProcess", b, "", since(0, BaselineChecks::windowsHostProcess)),
                check(
                    "hostProbesAndHostLifecycle",
                    b,
                    "",
                    since(34, BaselineChecks::hostProbesAndHostLifecycle)),
                check(
                    "restrictedVolumes",
                    r,
                    "hostPathVolumes",
                    since(0, RestrictedChecks::restrictedVolumes)),
                check(
                    "allowPrivilegeEscalation",
                    r,
                    "",
                    since(8, RestrictedChecks::allowPrivilegeEscalation18),
                    since(25, RestrictedChecks::allowPrivilegeEscalation125)),
                check(
                    "runAsNonRoot",
                    r,
                    "",
                    since(0, RestrictedChecks::runAsNonRoot10),
                    since(35, RestrictedChecks::runAsNonRoot135)),
                check(
                    "runAsUser",
                    r,
                    "",
                    since(23, RestrictedChecks::runAsUser123),
                    since(35, RestrictedChecks::runAsUser135)),
                check(
                    "seccompProfile_restricted",
                    r,
                    "seccompProfile_baseline",
                    since(19, RestrictedChecks::seccompRestricted119),
                    since(25, RestrictedChecks::seccompRestricted125)),
                check(
                    "capabilities_restricted",
                    r,
                    "capabilities_baseline",
                    since(22, RestrictedChecks::capabilitiesRestricted122),
                    since(25, RestrictedChecks::capabilitiesRestricted125)),
                check(
                    "procMount_restricted",
                    r,
                    "procMount",
                    since(35, RestrictedChecks::procMountRestricted))));
    all.sort(
        Comparator.comparing((Check c) -> c.level() == Level.RESTRICTED).thenComparing(Check::id));
    return List.copyOf(all);
  }

  /** The sysctls the baseline allows at policy version 1.{@code minor}. */
  public static Set<String> allowedSysctls(int minor) {
    return RestrictedChecks.allowedSysctls(minor);
  }

  /** Whether {@code id} is a PSA check ID. */
  public static boolean isCheck(String id) {
    return CHECK_IDS.contains(id);
  }

  /** The failed checks for {@code pod} at {@code level} and {@code version}, in PSA's order. */
  public static List<CheckResult> evaluate(PodView pod, Level level, PsaVersion version) {
    if (level == Level.PRIVILEGED) {
      return List.of();
    }
    int minor = version.effectiveMinor();
    Set<String> overridden = new java.util.HashSet<>();
    if (level == Level.RESTRICTED) {
      for (Check c : CHECKS) {
        if (!c.overrides().isEmpty() && c.at(minor) != null) {
          overridden.add(c.overrides());
        }
      }
    }
    List<CheckResult> out = new ArrayList<>();
    for (Check c : CHECKS) {
      if (c.level().compareTo(level) > 0 || overridden.contains(c.id())) {
        continue;
      }
      Revision rev = c.at(minor);
      if (rev == null) {
        continue;
      }
      Failure f = rev.check().apply(pod);
      if (f != null) {
        out.add(new CheckResult(c.id(), c.level(), f.reason(), f.detail(), f.nodes()));
      }
    }
    return out;
  }

  public static List<CheckResult> evaluate(Workload w, Level level, PsaVersion version) {
    return evaluate(new PodView(w), level, version);
  }

  /**
   * PSA's message for the failures: {@code violates PodSecurity "restricted:latest": reason
   * (detail), ...} (PSA says "would violate" in warnings and audit annotations).
   */
  public static String message(List<CheckResult> failures, Level level, PsaVersion version) {
    StringBuilder b = new StringBuilder("violates PodSecurity \"");
    b.append(level.label()).append(':').append(version).append("\": ");
    for (int i = 0; i < failures.size(); i++) {
      b.append(i == 0 ? "" : ", ").append(failures.get(i).message());
    }
    return b.toString();
  }
}
