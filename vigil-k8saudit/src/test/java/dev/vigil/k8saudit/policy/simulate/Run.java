package dev.vigil.k8saudit.policy.simulate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.k8saudit.policy.KubeVersion;
import dev.vigil.k8saudit.policy.Policies;
import dev.vigil.k8saudit.policy.Policy;
import dev.vigil.k8saudit.policy.check.PolicyEvaluator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A simulation run for tests: the summary, per-event results and problems. */
record Run(Summary summary, List<JsonNode> events, List<LineProblem> problems) {
  static final ObjectMapper JSON = new ObjectMapper();

  static Run of(Policy policy, List<Path> files, int threads) {
    return of(policy, Optional.empty(), files, threads);
  }

  static Run of(Policy policy, Optional<Policy> compare, List<Path> files, int threads) {
    return of(policy, compare, files, threads, true);
  }

  static Run of(
      Policy policy, Optional<Policy> compare, List<Path> files, int threads, boolean perEvent) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    List<LineProblem> problems = new ArrayList<>();
    Simulator s =
        new Simulator(
            new PolicyEvaluator(policy, KubeVersion.DEFAULT),
            compare.map(p -> new PolicyEvaluator(p, KubeVersion.DEFAULT)),
            new Simulator.Options(threads, perEvent, 10));
    try {
      Summary summary =
          s.run(
              files,
              out,
              new Simulator.Listener() {
                @Override
                public void problem(LineProblem p) {
                  problems.add(p);
                }

                @Override
                public void progress(String file, long bytes, long total, long events) {}
              });
      List<JsonNode> events = new ArrayList<>();
      for (String line : out.toString(StandardCharsets.UTF_8).split("\n", -1)) {
        if (!line.isEmpty()) {
          events.add(JSON.readTree(line));
        }
      }
      return new Run(summary, events, problems);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Policy policy(String yaml) {
    return Policies.loaded(yaml, KubeVersion.DEFAULT);
  }

  static final String METADATA_ALL =
      "apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Metadata\n";
}
