package dev.vigil.posture.fix;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.vigil.posture.fix.Patch.Scalar;
import dev.vigil.posture.fix.Patch.Seq;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The same changes as an RFC 6902 JSON Patch, with paths relative to the object. */
public final class JsonPatch {
  /** One operation; {@code value} is JSON text (empty for remove). */
  public record Op(String op, String path, String value) {}

  private static final JsonFactory JSON = JsonFactory.builder().build();

  private JsonPatch() {}

  static List<Op> ops(Patch p, String pointer) {
    List<Op> out = new ArrayList<>();
    mapping(p, pointer, out);
    return out;
  }

  private static void mapping(Patch p, String at, List<Op> out) {
    for (Map.Entry<String, Object> e : p.set.entrySet()) {
      String path = at + "/" + escape(e.getKey());
      Object v = e.getValue();
      switch (v) {
        case Scalar s -> out.add(new Op(p.has(e.getKey()) ? "replace" : "add", path, json(s)));
        case Patch q when q.node != null -> mapping(q, path, out);
        case Seq s when s.node != null -> sequence(s, path, out);
        default -> out.add(new Op("add", path, json(v)));
      }
    }
    for (String k : p.remove) {
      out.add(new Op("remove", at + "/" + escape(k), ""));
    }
  }

  private static void sequence(Seq s, String at, List<Op> out) {
    for (Map.Entry<Integer, Patch> e : s.items.entrySet()) {
      if (!s.remove.contains(e.getKey())) {
        mapping(e.getValue(), at + "/" + e.getKey(), out);
      }
    }
    s.remove.stream()
        .sorted((a, b) -> b - a)
        .forEach(i -> out.add(new Op("remove", at + "/" + i, "")));
    for (Object o : s.append) {
      out.add(new Op("add", at + "/-", json(o)));
    }
  }

  static String escape(String key) {
    return key.replace("~", "~0").replace("/", "~1");
  }

  private static String json(Object v) {
    StringWriter w = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(w)) {
      write(g, v);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return w.toString();
  }

  private static void write(JsonGenerator g, @Nullable Object v) throws IOException {
    switch (v) {
      case Scalar s when s.string() -> g.writeString(s.value());
      case Scalar s when s.value().equals("true") || s.value().equals("false") ->
          g.writeBoolean(Boolean.parseBoolean(s.value()));
      case Scalar s -> g.writeNumber(Long.parseLong(s.value()));
      case Patch p -> {
        g.writeStartObject();
        for (Map.Entry<String, Object> e : p.set.entrySet()) {
          g.writeFieldName(e.getKey());
          write(g, e.getValue());
        }
        g.writeEndObject();
      }
      case Seq s -> {
        g.writeStartArray();
        for (Object o : s.append) {
          write(g, o);
        }
        g.writeEndArray();
      }
      case null, default -> g.writeNull();
    }
  }

  /** A JSON Patch document: an array of operations, one per line. */
  public static String render(List<Op> ops) {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < ops.size(); i++) {
      Op op = ops.get(i);
      b.append(i == 0 ? "\n  " : ",\n  ")
          .append("{\"op\": \"")
          .append(op.op())
          .append("\", \"path\": ");
      b.append(json(Scalar.str(op.path())));
      if (!op.op().equals("remove")) {
        b.append(", \"value\": ").append(op.value());
      }
      b.append('}');
    }
    return b.append(ops.isEmpty() ? "]" : "\n]").toString();
  }
}
