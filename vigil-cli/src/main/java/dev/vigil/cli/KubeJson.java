package dev.vigil.cli;

import dev.vigil.k8saudit.policy.load.LoadReport;
import dev.vigil.output.JsonWriter;

/** kube-apiserver's verdict on a policy, as JSON fields. */
final class KubeJson {
  private KubeJson() {}

  static void write(LoadReport r, JsonWriter j) {
    j.field("file", r.file());
    j.field("k8sVersion", r.version().toString());
    j.field("outcome", r.outcome());
    j.field("starts", r.policy().isPresent());
    r.policy().ifPresent(p -> j.field("rules", p.rules().size()));
    j.stringArray("warnings", r.warnings());
    switch (r.verdict()) {
      case LoadReport.Refuses x -> j.field("error", x.message());
      case LoadReport.NotRead n -> j.field("notRead", n.reason());
      case LoadReport.Loads l -> {}
    }
  }
}
