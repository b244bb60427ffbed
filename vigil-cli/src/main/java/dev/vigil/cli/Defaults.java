package dev.vigil.cli;

import java.util.List;

/** Defaults shared by the commands that evaluate rules. */
final class Defaults {
  private Defaults() {}

  /**
   * Fields appended to syscall alerts that do not already show them, as Falco's default {@code
   * append_output: [{suggested_output: true}]} does with the container plugin's suggestions.
   */
  static final List<String> CONTAINER_FIELDS =
      List.of(
          "container.id",
          "container.name",
          "container.image.repository",
          "container.image.tag",
          "k8s.ns.name",
          "k8s.pod.name");
}
