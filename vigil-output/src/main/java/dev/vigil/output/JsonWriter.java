package dev.vigil.output;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;

/**
 * A small streaming JSON writer over Jackson's generator, so that commands and renderers write JSON
 * without a data-binding layer. Methods return {@code this} for chaining; I/O errors become {@link
 * UncheckedIOException}.
 */
public final class JsonWriter implements AutoCloseable {
  private static final JsonFactory FACTORY = JsonFactory.builder().build();

  private final JsonGenerator gen;

  private JsonWriter(JsonGenerator gen) {
    this.gen = gen;
  }

  /** Writes to {@code out}; {@code pretty} indents. */
  public static JsonWriter to(Writer out, boolean pretty) {
    try {
      JsonGenerator g = FACTORY.createGenerator(out);
      g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      if (pretty) {
        g.useDefaultPrettyPrinter();
      }
      return new JsonWriter(g);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A writer of UTF-8 bytes (Jackson's byte generator: no char-to-byte encoding step). */
  public static JsonWriter to(OutputStream out) {
    try {
      JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8);
      g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      return new JsonWriter(g);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Renders one value built by {@code body} to a compact string. */
  public static String string(java.util.function.Consumer<JsonWriter> body) {
    StringWriter sw = new StringWriter();
    try (JsonWriter w = to(sw, false)) {
      body.accept(w);
    }
    return sw.toString();
  }

  private interface Io {
    void run() throws IOException;
  }

  private JsonWriter io(Io op) {
    try {
      op.run();
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public JsonWriter beginObject() {
    return io(gen::writeStartObject);
  }

  public JsonWriter endObject() {
    return io(gen::writeEndObject);
  }

  public JsonWriter beginArray() {
    return io(gen::writeStartArray);
  }

  public JsonWriter endArray() {
    return io(gen::writeEndArray);
  }

  public JsonWriter name(String name) {
    return io(() -> gen.writeFieldName(name));
  }

  public JsonWriter value(String v) {
    return io(() -> gen.writeString(v));
  }

  public JsonWriter value(long v) {
    return io(() -> gen.writeNumber(v));
  }

  public JsonWriter value(boolean v) {
    return io(() -> gen.writeBoolean(v));
  }

  /** A number written from its decimal text (for unsigned 64-bit values). */
  public JsonWriter rawNumber(String decimal) {
    return io(() -> gen.writeNumber(decimal));
  }

  public JsonWriter nullValue() {
    return io(gen::writeNull);
  }

  public JsonWriter field(String name, String v) {
    return name(name).value(v);
  }

  public JsonWriter field(String name, long v) {
    return name(name).value(v);
  }

  public JsonWriter field(String name, boolean v) {
    return name(name).value(v);
  }

  public JsonWriter stringArray(String name, Iterable<String> values) {
    name(name).beginArray();
    for (String v : values) {
      value(v);
    }
    return endArray();
  }

  public JsonWriter flush() {
    return io(gen::flush);
  }

  @Override
  public void close() {
    io(gen::close);
  }
}
