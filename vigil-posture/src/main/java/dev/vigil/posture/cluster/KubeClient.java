package dev.vigil.posture.cluster;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;

/**
 * Lists objects through the Kubernetes API with the JDK's HttpClient: {@code limit} + {@code
 * continue} paging, each page's body parsed as a stream so that a page of any size costs the memory
 * of one item. Each item is handed on as JSON text with the {@code apiVersion} and {@code kind}
 * that list items lack. Errors carry the API's {@code Status} message.
 */
public final class KubeClient implements AutoCloseable {
  /** Longest item accepted, in chars (etcd stores at most 1.5 MB per object). */
  public static final int MAX_ITEM_CHARS = 8 << 20;

  private static final JsonFactory JSON =
      JsonFactory.builder()
          .streamReadConstraints(
              StreamReadConstraints.builder()
                  .maxNestingDepth(1000)
                  .maxStringLength(MAX_ITEM_CHARS)
                  .build())
          .build();

  private final Connection connection;
  private final HttpClient http;
  private final int pageSize;
  private final Duration timeout;

  public KubeClient(Connection connection, int pageSize, Duration timeout) {
    this.connection = connection;
    this.pageSize = pageSize;
    this.timeout = timeout;
    this.http =
        HttpClient.newBuilder()
            .sslContext(connection.ssl())
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  public KubeClient(Connection connection) {
    this(connection, 500, Duration.ofSeconds(30));
  }

  /**
   * One listed object.
   *
   * @param json the object as JSON, {@code apiVersion} and {@code kind} first
   * @param namespace its {@code metadata.namespace} ("" for none)
   * @param name its {@code metadata.name}
   */
  public record Item(String json, String namespace, String name) {}

  public Connection connection() {
    return connection;
  }

  /**
   * Lists {@code path} (for example {@code /apis/apps/v1/deployments}) page by page, handing each
   * item to {@code sink} as JSON with {@code apiVersion} and {@code kind} first. Returns the number
   * of pages read.
   */
  public int list(String path, String apiVersion, String kind, Consumer<Item> sink)
      throws ApiException {
    String cont = "";
    int pages = 0;
    do {
      String query = (path.indexOf('?') < 0 ? "?" : "&") + "limit=" + pageSize;
      if (!cont.isEmpty()) {
        query += "&continue=" + URLEncoder.encode(cont, StandardCharsets.UTF_8);
      }
      URI uri = URI.create(connection.server() + path + query);
      String next = page(uri, path, apiVersion, kind, sink);
      pages++;
      if (!next.isEmpty() && next.equals(cont)) {
        throw new ApiException(
            ApiException.Failure.BAD_RESPONSE,
            "GET " + uri + ": the server returned the same continue token again");
      }
      cont = next;
    } while (!cont.isEmpty());
    return pages;
  }

  /** Reads one page; returns its continue token ("" on the last page). */
  private String page(URI uri, String path, String apiVersion, String kind, Consumer<Item> sink)
      throws ApiException {
    HttpResponse<InputStream> rsp = send(uri);
    try (InputStream body = rsp.body()) {
      if (rsp.statusCode() != 200) {
        throw status(uri, path, rsp.statusCode(), body);
      }
      String type = rsp.headers().firstValue("content-type").orElse("");
      if (!type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
        throw new ApiException(
            ApiException.Failure.BAD_RESPONSE,
            "GET "
                + uri
                + ": expected application/json, got "
                + (type.isEmpty() ? "no content type" : type)
                + ": "
                + preview(body));
      }
      return items(uri, body, apiVersion, kind, sink);
    } catch (IOException e) {
      throw new ApiException(
          ApiException.Failure.UNREACHABLE, "GET " + uri + ": connection lost: " + e.getMessage());
    }
  }

  private HttpResponse<InputStream> send(URI uri) throws ApiException {
    HttpRequest.Builder req =
        HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json").GET();
    if (!connection.token().isEmpty()) {
      req.header("Authorization", "Bearer " + connection.token());
    }
    try {
      return http.send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (HttpConnectTimeoutException e) {
      throw unreachable("connection timed out");
    } catch (HttpTimeoutException e) {
      throw unreachable("no response within " + timeout.toSeconds() + " s");
    } catch (ConnectException e) {
      throw unreachable("connection refused");
    } catch (SSLException e) {
      throw unreachable("TLS handshake failed: " + tlsReason(e));
    } catch (IOException e) {
      Throwable c = e.getCause();
      if (c instanceof SSLException s) {
        throw unreachable("TLS handshake failed: " + tlsReason(s));
      }
      throw unreachable(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unreachable("interrupted");
    }
  }

  private ApiException unreachable(String why) {
    return new ApiException(
        ApiException.Failure.UNREACHABLE,
        "cannot reach the API server "
            + connection.server()
            + " (context "
            + connection.context()
            + "): "
            + why);
  }

  private static String tlsReason(SSLException e) {
    String m = String.valueOf(e.getMessage());
    if (m.contains("PKIX") || m.contains("unable to find valid certification path")) {
      return "the server's certificate is not signed by the kubeconfig's certificate-authority ("
          + m
          + ")";
    }
    if (m.contains("No subject alternative")) {
      return "the server's certificate does not name this host (" + m + ")";
    }
    if (m.contains("bad_certificate") || m.contains("certificate_required")) {
      return "the server refused the client certificate (" + m + ")";
    }
    return m;
  }

  /**
   * The error for a non-200 answer, with the message of the API's {@code Status} if it sent one.
   */
  private static ApiException status(URI uri, String path, int code, InputStream body)
      throws IOException {
    byte[] bytes = body.readNBytes(64 << 10);
    String message = statusMessage(bytes);
    String what =
        "GET "
            + uri
            + ": "
            + code
            + " "
            + reasonPhrase(code)
            + (message.isEmpty() ? "" : ": " + message);
    ApiException.Failure f =
        switch (code) {
          case 401 -> ApiException.Failure.UNAUTHORIZED;
          case 403 -> ApiException.Failure.FORBIDDEN;
          case 404 -> ApiException.Failure.NOT_FOUND;
          case 410 -> ApiException.Failure.EXPIRED;
          default -> ApiException.Failure.BAD_RESPONSE;
        };
    if (f == ApiException.Failure.UNAUTHORIZED) {
      what += " (the kubeconfig's token or client certificate was not accepted)";
    } else if (f == ApiException.Failure.EXPIRED) {
      what += " (the list of " + path + " changed too much while it was paged through; scan again)";
    }
    return new ApiException(f, what);
  }

  static String statusMessage(byte[] body) {
    try (JsonParser p = JSON.createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return preview(body);
      }
      String message = "";
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken t = p.nextToken();
        if (name.equals("message") && t == JsonToken.VALUE_STRING) {
          message = p.getText();
        } else {
          p.skipChildren();
        }
      }
      return message;
    } catch (IOException e) {
      return preview(body);
    }
  }

  private static String reasonPhrase(int code) {
    return switch (code) {
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 410 -> "Gone";
      case 429 -> "Too Many Requests";
      case 500 -> "Internal Server Error";
      case 503 -> "Service Unavailable";
      default -> "";
    };
  }

  private static String preview(InputStream in) throws IOException {
    return preview(in.readNBytes(200));
  }

  private static String preview(byte[] b) {
    String s = new String(b, 0, Math.min(b.length, 200), StandardCharsets.UTF_8).strip();
    s = s.replaceAll("\\s+", " ");
    return s.isEmpty() ? "(empty body)" : "'" + s + (b.length > 200 ? "...'" : "'");
  }

  /** Streams a list body: hands on each item, returns {@code metadata.continue}. */
  private static String items(
      URI uri, InputStream body, String apiVersion, String kind, Consumer<Item> sink)
      throws ApiException, IOException {
    JsonParser p = JSON.createParser(body);
    try (p) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw bad(uri, p, "the body is not a JSON object");
      }
      String cont = "";
      boolean sawItems = false;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken t = p.nextToken();
        switch (name) {
          case "metadata" -> cont = continueToken(uri, p, t);
          case "items" -> {
            sawItems = true;
            if (t == JsonToken.VALUE_NULL) {
              continue;
            }
            if (t != JsonToken.START_ARRAY) {
              throw bad(uri, p, "items is not a list");
            }
            while (p.nextToken() != JsonToken.END_ARRAY) {
              if (p.currentToken() != JsonToken.START_OBJECT) {
                throw bad(uri, p, "an item is not an object");
              }
              sink.accept(item(uri, p, apiVersion, kind));
            }
          }
          default -> p.skipChildren();
        }
      }
      if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
        throw bad(uri, p, "unexpected content after the list");
      }
      if (!sawItems) {
        throw bad(uri, p, "the body is not a list (no items)");
      }
      return cont;
    } catch (JsonProcessingException e) {
      throw bad(uri, p, "invalid or truncated JSON: " + e.getOriginalMessage());
    }
  }

  private static String continueToken(URI uri, JsonParser p, JsonToken t)
      throws ApiException, IOException {
    if (t != JsonToken.START_OBJECT) {
      p.skipChildren();
      return "";
    }
    String cont = "";
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken v = p.nextToken();
      if (name.equals("continue") && v == JsonToken.VALUE_STRING) {
        cont = p.getText();
      } else if (name.equals("continue") && v != JsonToken.VALUE_NULL) {
        throw bad(uri, p, "metadata.continue is not a string");
      } else {
        p.skipChildren();
      }
    }
    return cont;
  }

  /** Copies one item, {@code apiVersion} and {@code kind} first. */
  private static Item item(URI uri, JsonParser p, String apiVersion, String kind)
      throws ApiException, IOException {
    String namespace = "";
    String itemName = "";
    BoundedWriter w = new BoundedWriter(MAX_ITEM_CHARS);
    try (JsonGenerator g = JSON.createGenerator(w)) {
      g.writeStartObject();
      g.writeStringField("apiVersion", apiVersion);
      g.writeStringField("kind", kind);
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        p.nextToken();
        if (name.equals("apiVersion") || name.equals("kind")) {
          p.skipChildren();
          continue;
        }
        g.writeFieldName(name);
        if (name.equals("metadata") && p.currentToken() == JsonToken.START_OBJECT) {
          g.writeStartObject();
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            if (v == JsonToken.VALUE_STRING && field.equals("name")) {
              itemName = p.getText();
            } else if (v == JsonToken.VALUE_STRING && field.equals("namespace")) {
              namespace = p.getText();
            }
            g.writeFieldName(field);
            g.copyCurrentStructure(p);
          }
          g.writeEndObject();
        } else {
          g.copyCurrentStructure(p);
        }
      }
      g.writeEndObject();
    } catch (BoundedWriter.TooLong e) {
      throw bad(uri, p, "an item is longer than " + (MAX_ITEM_CHARS >> 20) + " Mi characters");
    }
    return new Item(w.toString(), namespace, itemName);
  }

  private static ApiException bad(URI uri, JsonParser p, String why) {
    long at = p.currentLocation().getByteOffset();
    return new ApiException(
        ApiException.Failure.BAD_RESPONSE,
        "GET " + uri + ": bad response" + (at >= 0 ? " at byte " + at : "") + ": " + why);
  }

  @Override
  public void close() {
    http.close();
  }

  /** A string writer that refuses to grow beyond a limit. */
  private static final class BoundedWriter extends Writer {
    static final class TooLong extends IOException {
      private static final long serialVersionUID = 1L;
    }

    private final StringBuilder b = new StringBuilder(1024);
    private final int max;

    BoundedWriter(int max) {
      this.max = max;
    }

    @Override
    public void write(char[] cbuf, int off, int len) throws IOException {
      if (b.length() + len > max) {
        throw new TooLong();
      }
      b.append(cbuf, off, len);
    }

    @Override
    public void write(String s, int off, int len) throws IOException {
      if (b.length() + len > max) {
        throw new TooLong();
      }
      b.append(s, off, off + len);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}

    @Override
    public String toString() {
      return b.toString();
    }
  }
}
