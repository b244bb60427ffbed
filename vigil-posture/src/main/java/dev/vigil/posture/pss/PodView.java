package dev.vigil.posture.pss;

import dev.vigil.posture.manifest.Nodes;
import dev.vigil.posture.manifest.Workload;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * The parts of a pod spec that the checks read, with containers in the order PSA visits them: init
 * containers, containers, then ephemeral containers.
 */
public final class PodView {
  /** One container, with where it sits in the spec. */
  public record Container(
      String name,
      MappingNode node,
      @Nullable MappingNode securityContext,
      String field,
      int index) {
    /** JSON Pointer from the pod spec, e.g. {@code /containers/0}. */
    public String pointer() {
      return "/" + field + "/" + index;
    }
  }

  private final Workload workload;
  private final List<Container> containers;

  public PodView(Workload workload) {
    this.workload = workload;
    List<Container> cs = new ArrayList<>();
    for (String field : new String[] {"initContainers", "containers", "ephemeralContainers"}) {
      List<Node> list = Nodes.list(workload.podSpec(), field);
      for (int i = 0; i < list.size(); i++) {
        if (list.get(i) instanceof MappingNode m) {
          cs.add(
              new Container(
                  Nodes.string(m, "name", ""), m, Nodes.map(m, "securityContext"), field, i));
        }
      }
    }
    this.containers = List.copyOf(cs);
  }

  public Workload workload() {
    return workload;
  }

  public MappingNode spec() {
    return workload.podSpec();
  }

  public List<Container> containers() {
    return containers;
  }

  public @Nullable MappingNode securityContext() {
    return Nodes.map(workload.podSpec(), "securityContext");
  }

  /** The pod (template) annotations, in document order, as key/value scalar pairs. */
  public List<String[]> annotations() {
    List<String[]> out = new ArrayList<>();
    MappingNode a = Nodes.map(workload.podMeta(), "annotations");
    if (a != null) {
      for (NodeTuple t : a.getValue()) {
        if (t.getKeyNode() instanceof ScalarNode k) {
          out.add(new String[] {k.getValue(), Nodes.string(t.getValueNode()).orElse("")});
        }
      }
    }
    return out;
  }

  public @Nullable Node annotationNode(String key) {
    return Nodes.get(Nodes.map(workload.podMeta(), "annotations"), key);
  }

  public @Nullable String annotation(String key) {
    Node n = annotationNode(key);
    return n == null ? null : Nodes.string(n).orElse("");
  }

  /** {@code spec.os.name: windows}. */
  public boolean windows() {
    return "windows"
        .equals(Nodes.string(Nodes.get(Nodes.map(workload.podSpec(), "os"), "name")).orElse(""));
  }

  /** {@code spec.hostUsers: false} (user namespaces). */
  public boolean userNamespaces() {
    return Boolean.FALSE.equals(Nodes.bool(Nodes.get(workload.podSpec(), "hostUsers")));
  }
}
