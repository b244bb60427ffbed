package dev.vigil.posture.cluster;

import dev.vigil.posture.Finding;
import dev.vigil.posture.Location;
import dev.vigil.posture.Problem;
import dev.vigil.posture.Scanner;
import dev.vigil.posture.manifest.ManifestReader;
import dev.vigil.posture.manifest.Nodes;
import dev.vigil.posture.manifest.SourceText;
import dev.vigil.posture.manifest.Workload;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Scans the workloads of a live cluster: lists every kind that carries a pod template, checks each
 * object as a file scan would (same checks, same exemptions), and locates findings as {@code
 * namespace/Kind/name}. Objects whose controller is one of these kinds (a Deployment's ReplicaSets,
 * a ReplicaSet's Pods, a CronJob's Jobs, ...) are not reported: their controller is, with the
 * template they were made from.
 */
public final class ClusterScan {
  /** A listable kind: its API path segment, {@code apiVersion}, {@code kind} and plural. */
  public record Resource(String prefix, String apiVersion, String kind, String plural) {
    public String path(String namespace) {
      return namespace.isEmpty()
          ? prefix + "/" + plural
          : prefix + "/namespaces/" + namespace + "/" + plural;
    }
  }

  /** The kinds Pod Security Admission checks, controllers first. */
  public static final List<Resource> WORKLOADS =
      List.of(
          new Resource("/apis/apps/v1", "apps/v1", "Deployment", "deployments"),
          new Resource("/apis/apps/v1", "apps/v1", "StatefulSet", "statefulsets"),
          new Resource("/apis/apps/v1", "apps/v1", "DaemonSet", "daemonsets"),
          new Resource("/apis/apps/v1", "apps/v1", "ReplicaSet", "replicasets"),
          new Resource("/apis/batch/v1", "batch/v1", "CronJob", "cronjobs"),
          new Resource("/apis/batch/v1", "batch/v1", "Job", "jobs"),
          new Resource("/api/v1", "v1", "ReplicationController", "replicationcontrollers"),
          new Resource("/api/v1", "v1", "PodTemplate", "podtemplates"),
          new Resource("/api/v1", "v1", "Pod", "pods"));

  /** Owner kinds whose objects are reported through the owner (group/Kind). */
  private static final Set<String> CONTROLLERS =
      Set.of(
          "apps/Deployment",
          "apps/StatefulSet",
          "apps/DaemonSet",
          "apps/ReplicaSet",
          "batch/CronJob",
          "batch/Job",
          "/ReplicationController");

  /** Where results go: one "file" per listed resource. */
  public interface Sink {
    void begin(String name);

    void section(Scanner.SectionResult result);

    void end();
  }

  /** What the scan saw besides findings. */
  public record Summary(int objects, int owned, List<ApiException> skipped) {}

  private final KubeClient client;
  private final Function<String, Scanner> scanners;
  private final String namespace;
  private final ManifestReader reader = new ManifestReader(KubeClient.MAX_ITEM_CHARS);

  /**
   * @param scanners the scanner for a namespace (per-namespace Pod Security levels)
   * @param namespace the namespace to scan, "" for all
   */
  public ClusterScan(KubeClient client, Function<String, Scanner> scanners, String namespace) {
    this.client = client;
    this.scanners = scanners;
    this.namespace = namespace;
  }

  /**
   * Scans every workload kind. A kind the server does not serve (404) or that the user may not list
   * (403) is skipped and reported in the summary; other failures end the scan.
   */
  public Summary run(Sink sink) throws ApiException {
    int[] counts = new int[2];
    List<ApiException> skipped = new ArrayList<>();
    for (Resource r : WORKLOADS) {
      String path = r.path(namespace);
      sink.begin(client.connection().server() + path);
      try {
        client.list(
            path,
            r.apiVersion(),
            r.kind(),
            item -> {
              counts[0]++;
              Scanner.SectionResult s = scan(item);
              if (s.workloads().isEmpty() && s.section().problems().isEmpty()) {
                counts[1]++;
              } else {
                sink.section(s);
              }
            });
      } catch (ApiException e) {
        if (e.failure() != ApiException.Failure.FORBIDDEN
            && e.failure() != ApiException.Failure.NOT_FOUND) {
          throw e;
        }
        skipped.add(e);
      } finally {
        sink.end();
      }
    }
    return new Summary(counts[0], counts[1], List.copyOf(skipped));
  }

  /**
   * Checks one listed object; its findings and problems are located at {@code namespace/Kind/name}.
   * An object owned by a controller gives a result with no workloads.
   */
  Scanner.SectionResult scan(KubeClient.Item item) {
    String kind = kindOf(item.json());
    String ref =
        (item.namespace().isEmpty() ? "" : item.namespace() + "/") + kind + "/" + item.name();
    Location at = new Location(ref, 0, 0);
    Scanner scanner = scanners.apply(item.namespace());
    List<Scanner.WorkloadResult> results = new ArrayList<>(1);
    List<Problem> problems = new ArrayList<>();
    ManifestReader.@Nullable Section first = null;
    List<ManifestReader.Section> sections = new ArrayList<>(1);
    reader.read(new SourceText(ref, item.json()), sections::add);
    for (ManifestReader.Section s : sections) {
      if (first == null) {
        first = s;
      }
      for (Problem p : s.problems()) {
        problems.add(new Problem(p.severity(), p.code(), p.message(), at));
      }
      for (Workload w : s.workloads()) {
        if (ownedByController(w)) {
          continue;
        }
        Scanner.WorkloadResult r = scanner.scan(w);
        List<Finding> fs = new ArrayList<>(r.findings().size());
        for (Finding f : r.findings()) {
          fs.add(
              new Finding(
                  f.id(),
                  f.severity(),
                  f.title(),
                  f.message(),
                  at,
                  f.workload(),
                  f.why(),
                  f.fix(),
                  f.exemption()));
        }
        results.add(new Scanner.WorkloadResult(w, List.copyOf(fs), r.psaMessage()));
      }
    }
    ManifestReader.Section s = first == null ? emptySection(ref) : first;
    ManifestReader.Section relocated =
        new ManifestReader.Section(
            s.text(), s.whole(), 0, s.documents(), List.of(), List.copyOf(problems), s.skipped());
    return new Scanner.SectionResult(relocated, List.copyOf(results));
  }

  private static ManifestReader.Section emptySection(String ref) {
    return new ManifestReader.Section(new SourceText(ref, ""), true, 0, 0, List.of(), List.of(), 0);
  }

  private static String kindOf(String json) {
    // the client writes {"apiVersion":"...","kind":"..."} first
    int k = json.indexOf(",\"kind\":\"");
    int start = k + 9;
    int end = k < 0 ? -1 : json.indexOf('"', start);
    return end < 0 ? "Object" : json.substring(start, end);
  }

  /** Whether the object's controller (ownerReference with controller: true) is a workload kind. */
  static boolean ownedByController(Workload w) {
    for (Node ref : Nodes.list(w.metadata(), "ownerReferences")) {
      if (!(ref instanceof MappingNode m) || !Nodes.isTrue(m, "controller")) {
        continue;
      }
      String apiVersion = Nodes.string(m, "apiVersion", "");
      int slash = apiVersion.indexOf('/');
      String group = slash < 0 ? "" : apiVersion.substring(0, slash);
      if (CONTROLLERS.contains(group + "/" + Nodes.string(m, "kind", ""))) {
        return true;
      }
    }
    return false;
  }
}
