package dev.vigil.k8saudit;

import dev.vigil.event.EventTypes;
import dev.vigil.event.FieldCatalogue;
import dev.vigil.event.SourceInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The {@code k8s_audit} source's description: the audit event fields, and the fields the rule
 * engine dispatches on (the stage, verb, resource and subresource, which Falco's rules test for
 * exact values through their {@code kevt} (Vigil's through {@code ka.stage}), {@code kcreate},
 * {@code pod}... macros and which sit at the top of an event, before the request and response
 * bodies).
 */
public final class K8sAuditSource {
  public static final String NAME = "k8s_audit";

  private static final SourceInfo INFO =
      new SourceInfo(
          NAME,
          FieldCatalogue.parse(NAME, resource("k8saudit-fields.tsv")),
          EventTypes.single("k8s_audit", "plugin"),
          "",
          List.of(
              "jevt.value[/stage]",
              "ka.stage",
              "ka.verb",
              "ka.target.resource",
              "ka.target.subresource"));

  private K8sAuditSource() {}

  public static SourceInfo info() {
    return INFO;
  }

  private static String resource(String name) {
    try (InputStream in = K8sAuditSource.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing bundled resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
