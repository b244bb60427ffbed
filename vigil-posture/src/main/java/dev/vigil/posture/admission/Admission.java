package dev.vigil.posture.admission;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.vigil.posture.Finding;
import dev.vigil.posture.Problem;
import dev.vigil.posture.Scanner;
import dev.vigil.posture.Severity;
import dev.vigil.posture.manifest.ManifestReader;
import dev.vigil.posture.manifest.ReadResult;
import dev.vigil.posture.manifest.SourceText;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Answers AdmissionReviews with the scan's checks. A workload (any kind with a pod template) that
 * violates Pod Security at the scanner's level is denied with PSA's message and code 403; its
 * immutability findings come back as warnings. DELETE and CONNECT, subresources other than {@code
 * ephemeralcontainers}, kinds without a pod template, and pod updates that change neither the spec
 * nor the annotations are allowed unchecked (as PSA skips updates that cannot change the verdict).
 * The review is answered in its own version ({@code v1} or {@code v1beta1}).
 */
public final class Admission {
  /** Longest warning and most warnings sent back (kube-apiserver truncates long ones). */
  static final int MAX_WARNING = 256;

  static final int MAX_WARNINGS = 25;

  /** The decision, ready to serialize. */
  public record Decision(boolean allowed, int code, String message, List<String> warnings) {
    static Decision allow() {
      return new Decision(true, 200, "", List.of());
    }
  }

  private final Scanner scanner;
  private final ManifestReader reader = new ManifestReader(4 << 20);

  /**
   * Checks at {@code options}' level and version with its configured exemptions, but not the {@code
   * vigil.dev/ignore} annotation: whoever creates a workload could exempt it otherwise.
   */
  public Admission(Scanner.Options options) {
    this.scanner =
        new Scanner(
            new Scanner.Options(
                options.level(), options.version(), options.exemptions().withoutAnnotations()));
  }

  /** The AdmissionReview response for a request body. */
  public String respond(AdmissionReview review) {
    return render(review, decide(review));
  }

  public Decision decide(AdmissionReview r) {
    switch (r.operation()) {
      case "CREATE", "UPDATE" -> {}
      default -> {
        return Decision.allow(); // DELETE, CONNECT
      }
    }
    if (!r.subResource().isEmpty() && !r.subResource().equals("ephemeralcontainers")) {
      return Decision.allow();
    }
    if (r.object().isEmpty()) {
      return new Decision(false, 400, "the " + r.operation() + " request has no object", List.of());
    }
    if (r.operation().equals("UPDATE") && r.kind().equals("Pod") && unchangedPod(r)) {
      return Decision.allow();
    }
    String ref =
        (r.namespace().isEmpty() ? "" : r.namespace() + "/")
            + (r.kind().isEmpty() ? "Object" : r.kind())
            + (r.name().isEmpty() ? "" : "/" + r.name());
    ReadResult read = reader.read(new SourceText(ref, r.object()));
    for (Problem p : read.problems()) {
      if (p.severity() == Severity.ERROR) {
        return new Decision(
            false, 400, "vigil cannot check " + ref + ": " + p.message(), List.of());
      }
    }
    List<String> violations = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    for (var w : read.workloads()) {
      Scanner.WorkloadResult result = scanner.scan(w);
      for (Finding f : result.findings()) {
        if (f.exempted()) {
          continue;
        }
        if (f.id().startsWith("pss/")) {
          violations.add(f.message());
        } else if (warnings.size() < MAX_WARNINGS) {
          warnings.add(clip("vigil " + f.id() + ": " + f.message()));
        }
      }
    }
    if (violations.isEmpty()) {
      return new Decision(true, 200, "", List.copyOf(warnings));
    }
    String message =
        "violates PodSecurity \""
            + scanner.options().level().label()
            + ":"
            + scanner.options().version()
            + "\": "
            + String.join(", ", violations);
    return new Decision(false, 403, message, List.copyOf(warnings));
  }

  private static boolean unchangedPod(AdmissionReview r) {
    if (r.oldObject().isEmpty() || !r.subResource().isEmpty()) {
      return false;
    }
    String spec = AdmissionReview.member(r.object(), "spec");
    String oldSpec = AdmissionReview.member(r.oldObject(), "spec");
    String ann =
        AdmissionReview.member(AdmissionReview.member(r.object(), "metadata"), "annotations");
    String oldAnn =
        AdmissionReview.member(AdmissionReview.member(r.oldObject(), "metadata"), "annotations");
    return !spec.isEmpty() && spec.equals(oldSpec) && ann.equals(oldAnn);
  }

  private static String clip(String s) {
    return s.length() <= MAX_WARNING ? s : s.substring(0, MAX_WARNING - 3) + "...";
  }

  /** The AdmissionReview response, in the request's API version. */
  public static String render(AdmissionReview review, Decision d) {
    StringWriter w = new StringWriter();
    try (JsonGenerator g = AdmissionReview.JSON.createGenerator(w)) {
      g.writeStartObject();
      g.writeStringField("apiVersion", review.apiVersion());
      g.writeStringField("kind", "AdmissionReview");
      g.writeObjectFieldStart("response");
      g.writeStringField("uid", review.uid());
      g.writeBooleanField("allowed", d.allowed());
      if (!d.allowed()) {
        g.writeObjectFieldStart("status");
        g.writeStringField("status", "Failure");
        g.writeStringField("message", d.message());
        g.writeStringField("reason", d.code() == 403 ? "Forbidden" : "BadRequest");
        g.writeNumberField("code", d.code());
        g.writeEndObject();
      }
      if (!d.warnings().isEmpty()) {
        g.writeArrayFieldStart("warnings");
        for (String s : d.warnings()) {
          g.writeString(s);
        }
        g.writeEndArray();
      }
      g.writeEndObject();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter does not fail
    }
    return w.toString();
  }
}
