package dev.vigil.posture.admission;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.io.StringWriter;

/**
 * The parts of an AdmissionReview request that admission needs, read with a streaming parser.
 *
 * @param apiVersion {@code admission.k8s.io/v1} or {@code admission.k8s.io/v1beta1}
 * @param uid the request's uid, echoed in the response
 * @param kind the object's kind ({@code request.kind.kind})
 * @param subResource "" or, for example, {@code ephemeralcontainers}
 * @param operation CREATE, UPDATE, DELETE or CONNECT
 * @param object the object as JSON ("" when absent)
 * @param oldObject the previous object on UPDATE as JSON ("" when absent)
 */
public record AdmissionReview(
    String apiVersion,
    String uid,
    String kind,
    String subResource,
    String name,
    String namespace,
    String operation,
    boolean dryRun,
    String object,
    String oldObject) {

  public static final String V1 = "admission.k8s.io/v1";
  public static final String V1BETA1 = "admission.k8s.io/v1beta1";

  static final JsonFactory JSON =
      JsonFactory.builder()
          .streamReadConstraints(
              StreamReadConstraints.builder().maxNestingDepth(200).maxStringLength(4 << 20).build())
          .build();

  /** A body that is not an AdmissionReview request; the message says why and where. */
  public static final class Invalid extends Exception {
    private static final long serialVersionUID = 1L;

    Invalid(String message) {
      super(message);
    }
  }

  /** Reads a review; throws {@link Invalid} for anything but a well-formed one. */
  public static AdmissionReview parse(byte[] body) throws Invalid {
    try (JsonParser p = JSON.createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new Invalid("the body is not a JSON object");
      }
      String apiVersion = "";
      String kind = "";
      AdmissionReview request = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken t = p.nextToken();
        switch (field) {
          case "apiVersion" -> apiVersion = text(p, t, field);
          case "kind" -> kind = text(p, t, field);
          case "request" -> {
            if (t != JsonToken.START_OBJECT) {
              throw new Invalid("request is not an object");
            }
            request = request(p);
          }
          default -> p.skipChildren();
        }
      }
      if (p.nextToken() != null) {
        throw new Invalid("content after the AdmissionReview");
      }
      if (!kind.equals("AdmissionReview")
          || !(apiVersion.equals(V1) || apiVersion.equals(V1BETA1))) {
        throw new Invalid(
            "expected an AdmissionReview of "
                + V1
                + " or "
                + V1BETA1
                + ", got kind '"
                + kind
                + "' apiVersion '"
                + apiVersion
                + "'");
      }
      if (request == null) {
        throw new Invalid("the AdmissionReview has no request");
      }
      if (request.uid().isEmpty()) {
        throw new Invalid("request.uid is missing");
      }
      if (request.operation().isEmpty()) {
        throw new Invalid("request.operation is missing");
      }
      return new AdmissionReview(
          apiVersion,
          request.uid(),
          request.kind(),
          request.subResource(),
          request.name(),
          request.namespace(),
          request.operation(),
          request.dryRun(),
          request.object(),
          request.oldObject());
    } catch (JsonProcessingException e) {
      long at = e.getLocation() == null ? -1 : e.getLocation().getByteOffset();
      throw new Invalid(
          "invalid JSON" + (at >= 0 ? " at byte " + at : "") + ": " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new Invalid("cannot read the body: " + e.getMessage());
    }
  }

  private static AdmissionReview request(JsonParser p) throws IOException, Invalid {
    String uid = "";
    String kind = "";
    String sub = "";
    String name = "";
    String namespace = "";
    String operation = "";
    boolean dryRun = false;
    String object = "";
    String oldObject = "";
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken t = p.nextToken();
      switch (field) {
        case "uid" -> uid = text(p, t, "request.uid");
        case "kind" -> kind = kind(p, t);
        case "subResource" -> sub = text(p, t, "request.subResource");
        case "name" -> name = text(p, t, "request.name");
        case "namespace" -> namespace = text(p, t, "request.namespace");
        case "operation" -> operation = text(p, t, "request.operation");
        case "dryRun" -> dryRun = t == JsonToken.VALUE_TRUE;
        case "object" -> object = raw(p, t, "request.object");
        case "oldObject" -> oldObject = raw(p, t, "request.oldObject");
        default -> p.skipChildren();
      }
    }
    return new AdmissionReview(
        "", uid, kind, sub, name, namespace, operation, dryRun, object, oldObject);
  }

  private static String kind(JsonParser p, JsonToken t) throws IOException, Invalid {
    if (t == JsonToken.VALUE_NULL) {
      return "";
    }
    if (t != JsonToken.START_OBJECT) {
      throw new Invalid("request.kind is not an object");
    }
    String kind = "";
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken v = p.nextToken();
      if (field.equals("kind")) {
        kind = text(p, v, "request.kind.kind");
      } else {
        p.skipChildren();
      }
    }
    return kind;
  }

  private static String text(JsonParser p, JsonToken t, String field) throws IOException, Invalid {
    if (t == JsonToken.VALUE_NULL) {
      return "";
    }
    if (t != JsonToken.VALUE_STRING) {
      throw new Invalid(field + " is not a string");
    }
    return p.getText();
  }

  private static String raw(JsonParser p, JsonToken t, String field) throws IOException, Invalid {
    if (t == JsonToken.VALUE_NULL) {
      return "";
    }
    if (t != JsonToken.START_OBJECT) {
      throw new Invalid(field + " is not an object");
    }
    StringWriter w = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(w)) {
      g.copyCurrentStructure(p);
    }
    return w.toString();
  }

  /** The JSON text of the member {@code name} of the object {@code json} ("" when absent). */
  static String member(String json, String name) {
    if (json.isEmpty()) {
      return "";
    }
    try (JsonParser p = JSON.createParser(json)) {
      p.nextToken();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        if (field.equals(name)) {
          StringWriter w = new StringWriter();
          try (JsonGenerator g = JSON.createGenerator(w)) {
            g.copyCurrentStructure(p);
          }
          return w.toString();
        }
        p.skipChildren();
      }
      return "";
    } catch (IOException e) {
      return "";
    }
  }
}
