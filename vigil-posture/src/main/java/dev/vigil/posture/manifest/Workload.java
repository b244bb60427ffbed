package dev.vigil.posture.manifest;

import dev.vigil.posture.Location;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * One object that carries a pod spec: a Pod, a controller's pod template, or a {@code List} item.
 *
 * @param source the input it came from
 * @param document 0-based index of its YAML document in the input
 * @param object the object's mapping (the document root, or an item of a {@code List})
 * @param pointer JSON Pointer from the document root to {@code object} ("" or "/items/N")
 * @param podMeta the pod's (template's) metadata, if any: PSA reads its annotations
 * @param podSpec the pod spec
 * @param specPointer JSON Pointer from {@code object} to {@code podSpec}
 * @param origin where {@code helm template} says the object came from ({@code # Source:}), or ""
 */
public record Workload(
    SourceText source,
    int document,
    MappingNode object,
    String pointer,
    String kind,
    String apiVersion,
    String name,
    String namespace,
    @Nullable MappingNode podMeta,
    MappingNode podSpec,
    String specPointer,
    String origin) {

  /** {@code Kind/name} or {@code Kind/namespace/name}. */
  public String ref() {
    return namespace.isEmpty() ? kind + "/" + name : kind + "/" + namespace + "/" + name;
  }

  public Location location(Node n) {
    return new Location(source.name(), Nodes.line(n), Nodes.column(n));
  }

  public Location location() {
    return location(object);
  }

  /** The workload's own metadata (not the pod template's). */
  public @Nullable MappingNode metadata() {
    return Nodes.map(object, "metadata");
  }
}
