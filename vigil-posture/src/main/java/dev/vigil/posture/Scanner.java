package dev.vigil.posture;

import dev.vigil.posture.checks.Immutability;
import dev.vigil.posture.manifest.ManifestReader;
import dev.vigil.posture.manifest.ReadResult;
import dev.vigil.posture.manifest.SourceText;
import dev.vigil.posture.manifest.Workload;
import dev.vigil.posture.pss.CheckResult;
import dev.vigil.posture.pss.Guide;
import dev.vigil.posture.pss.Level;
import dev.vigil.posture.pss.PodSecurity;
import dev.vigil.posture.pss.PodView;
import dev.vigil.posture.pss.PsaVersion;
import java.io.Reader;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Scans manifests: Pod Security at the chosen level and version (violations are errors) plus the
 * immutability checks, with exemptions applied. Immutability findings that repeat a Pod Security
 * violation already reported for the workload are left out.
 */
public final class Scanner {
  /** What to scan for. */
  public record Options(Level level, PsaVersion version, Exemptions exemptions) {
    public static Options defaults() {
      return new Options(Level.RESTRICTED, PsaVersion.LATEST, Exemptions.NONE);
    }
  }

  /** The result for one workload: its findings and PSA's message ("" when PSA allows it). */
  public record WorkloadResult(Workload workload, List<Finding> findings, String psaMessage) {}

  /** The result for one section (document) of an input. */
  public record SectionResult(ManifestReader.Section section, List<WorkloadResult> workloads) {}

  /** The result for one whole input, kept in memory. */
  public record FileResult(
      ReadResult read, List<WorkloadResult> workloads, List<SectionResult> sections) {
    public List<Problem> problems() {
      return read.problems();
    }

    public String name() {
      return read.source().name();
    }
  }

  private final Options options;
  private final ManifestReader reader;

  public Scanner(Options options, ManifestReader reader) {
    this.options = options;
    this.reader = reader;
  }

  public Scanner(Options options) {
    this(options, new ManifestReader());
  }

  public Options options() {
    return options;
  }

  /** Scans a whole text and keeps the results (for tests and small inputs). */
  public FileResult scan(SourceText source) {
    ReadResult read = reader.read(source);
    List<WorkloadResult> results = new ArrayList<>(read.workloads().size());
    List<SectionResult> sections = new ArrayList<>(read.sections().size());
    for (ManifestReader.Section s : read.sections()) {
      SectionResult r = scan(s);
      sections.add(r);
      results.addAll(r.workloads());
    }
    return new FileResult(read, List.copyOf(results), List.copyOf(sections));
  }

  /**
   * Scans an input as a stream: each section is read, checked and handed to {@code sink}, then
   * dropped, so memory stays bounded by the largest document.
   */
  public void scan(String name, Reader in, Consumer<SectionResult> sink) {
    reader.read(name, in, s -> sink.accept(scan(s)));
  }

  /** Scans a text (a whole input or a window onto one) as a stream. */
  public void scan(SourceText source, Consumer<SectionResult> sink) {
    reader.read(source, s -> sink.accept(scan(s)));
  }

  public SectionResult scan(ManifestReader.Section section) {
    List<Workload> ws = section.workloads();
    List<WorkloadResult> results = new ArrayList<>(ws.size());
    for (Workload w : ws) {
      results.add(scan(w));
    }
    return new SectionResult(section, results);
  }

  public WorkloadResult scan(Workload w) {
    PodView pod = new PodView(w);
    List<CheckResult> pss = PodSecurity.evaluate(pod, options.level(), options.version());
    List<Finding> findings = new ArrayList<>();
    Set<String> failed = new HashSet<>();
    for (CheckResult r : pss) {
      failed.add(r.id());
      findings.add(
          exempt(
              w,
              new Finding(
                  "pss/" + r.id(),
                  Severity.ERROR,
                  r.reason(),
                  r.message(),
                  w.location(r.nodes().isEmpty() ? w.podSpec() : r.nodes().getFirst()),
                  w.ref(),
                  Guide.why(r.id()),
                  Guide.fix(r.id()),
                  "")));
    }
    for (Finding f : Immutability.check(pod)) {
      if (!coveredByPss(f.id(), failed)) {
        findings.add(exempt(w, f));
      }
    }
    String message =
        pss.isEmpty() ? "" : PodSecurity.message(pss, options.level(), options.version());
    return new WorkloadResult(w, List.copyOf(findings), message);
  }

  private Finding exempt(Workload w, Finding f) {
    Optional<String> reason = options.exemptions().exemption(w, f.id());
    return reason.map(f::exempt).orElse(f);
  }

  private static boolean coveredByPss(String id, Set<String> failed) {
    return switch (id) {
      case Immutability.PRIVILEGED -> failed.contains("privileged");
      case Immutability.ESCALATION -> failed.contains("allowPrivilegeEscalation");
      case Immutability.RUN_AS_ROOT ->
          failed.contains("runAsNonRoot") || failed.contains("runAsUser");
      case Immutability.WRITABLE_HOST_PATH ->
          failed.contains("hostPathVolumes") || failed.contains("restrictedVolumes");
      default -> false;
    };
  }

  /** All check IDs Vigil knows, for help and validation. */
  public static List<String> checkIds() {
    List<String> ids = new ArrayList<>();
    PodSecurity.CHECK_IDS.forEach(id -> ids.add("pss/" + id));
    ids.addAll(Immutability.IDS);
    return ids;
  }
}
