package dev.vigil.cli;

import dev.vigil.k8saudit.policy.load.LoadReport;
import dev.vigil.output.JsonWriter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vigil audit policy check}: what kube-apiserver would do with a policy. */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = {
      "Say what kube-apiserver would do with a policy file: load it, load it with warnings",
      "(unknown or duplicate fields are dropped), or refuse to start — with its messages.",
      "Exit 0 when it loads, 1 when kube-apiserver would refuse to start."
    },
    footer = {
      "",
      "Examples:",
      "  vigil audit policy check audit-policy.yaml",
      "  vigil audit policy check audit-policy.yaml --k8s-version 1.35 --json"
    })
final class PolicyCheckCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin PolicyInput input;
  @Mixin OutputFormat format;

  @Parameters(index = "0", paramLabel = "POLICY", description = "The audit policy file.")
  Path policy;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    LoadReport r = input.load(policy);
    if (format.isJson()) {
      try (JsonWriter j = JsonWriter.to(out, true)) {
        j.beginObject();
        KubeJson.write(r, j);
        j.endObject();
      }
      out.println();
    } else {
      text(r, out);
    }
    return r.policy().isPresent() ? ExitCode.OK : ExitCode.FINDINGS;
  }

  static void text(LoadReport r, PrintWriter out) {
    String kube = "kube-apiserver " + r.version();
    switch (r.verdict()) {
      case LoadReport.Loads l -> {
        int n = l.policy().rules().size();
        String rules = n + (n == 1 ? " rule" : " rules");
        if (r.warnings().isEmpty()) {
          out.println(r.file() + ": " + kube + " loads it (" + rules + ")");
        } else {
          out.println(r.file() + ": " + kube + " loads it with warnings (" + rules + "):");
          r.warnings().forEach(w -> out.println("  W " + w.replace("\n", "\n    ")));
        }
      }
      case LoadReport.Refuses x -> {
        out.println(r.file() + ": " + kube + " refuses to start:");
        r.warnings().forEach(w -> out.println("  W " + w.replace("\n", "\n    ")));
        out.println("  E " + x.message());
      }
      case LoadReport.NotRead n -> out.println(r.file() + ": not checked: " + n.reason());
    }
  }
}
