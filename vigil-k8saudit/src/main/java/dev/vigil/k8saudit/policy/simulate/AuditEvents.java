package dev.vigil.k8saudit.policy.simulate;

import dev.vigil.k8saudit.policy.KubeVersion;
import dev.vigil.k8saudit.policy.Policy;
import dev.vigil.k8saudit.policy.check.PolicyEvaluator;
import dev.vigil.k8saudit.policy.check.RequestAttributes;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reads the audit events of a small file (gzip-compressed or not) one by one, as the simulator sees
 * them.
 */
public final class AuditEvents {
  /** Largest file read this way. */
  public static final int MAX_BYTES = 64 << 20;

  /**
   * An event and the request kube-apiserver evaluated for it.
   *
   * @param file the file
   * @param line its line (the start of its document for JSON documents)
   * @param auditID its auditID
   * @param stage its stage
   * @param requestURI its requestURI ({@code ""} when it has none)
   * @param request the request attributes
   */
  public record Parsed(
      String file,
      long line,
      String auditID,
      String stage,
      String requestURI,
      RequestAttributes request) {}

  private AuditEvents() {}

  /** The events of {@code file}; lines that are not events go to {@code problems}. */
  public static List<Parsed> read(Path file, Consumer<LineProblem> problems) throws IOException {
    if (Files.size(file) > MAX_BYTES) {
      throw new IOException(
          "larger than "
              + (MAX_BYTES >> 20)
              + " MiB; explain reads small files (simulate --json reads logs of any size)");
    }
    List<Parsed> out = new ArrayList<>();
    byte[] b;
    Optional<LineProblem> damage = Optional.empty();
    try (InputStream in = Files.newInputStream(file)) {
      b = in.readAllBytes();
    }
    if (b.length >= 2 && (b[0] & 0xff) == 0x1f && (b[1] & 0xff) == 0x8b) {
      try (GzipInput gz = GzipInput.open(new ByteArrayInputStream(b))) {
        b = gz.readNBytes(MAX_BYTES + 1);
        if (b.length > MAX_BYTES) {
          throw new IOException(
              "more than "
                  + (MAX_BYTES >> 20)
                  + " MiB once decompressed; explain reads small files (simulate --json reads"
                  + " logs of any size)");
        }
        damage = gz.damage().map(d -> new LineProblem(file.toString(), gz.line(), 0, d));
      } catch (IOException e) {
        if (!GzipInput.damaged(e)) {
          throw e;
        }
        problems.accept(
            new LineProblem(file.toString(), 1, 1, "not a readable gzip file: " + e.getMessage()));
        return out;
      }
    }
    Policy none = new Policy(List.of(), Set.of(), false);
    EventProcessor p =
        new EventProcessor(new PolicyEvaluator(none, KubeVersion.DEFAULT), Optional.empty(), false);
    p.file(file.toString());
    p.sink(out::add);
    Bytes ignored = new Bytes(16);
    if (Simulator.isDocument(new ByteArrayInputStream(b))) {
      DocumentInput.process(p, b, b.length, ignored);
    } else {
      int i = 0;
      long line = 1;
      while (i < b.length) {
        i = p.line(b, i, b.length, line++, ignored);
      }
    }
    p.problems.forEach(problems);
    damage.ifPresent(problems);
    return out;
  }
}
