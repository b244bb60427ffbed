package dev.vigil.output;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.zip.GZIPOutputStream;

/**
 * POSTs one alert per request, over a kept-alive HTTP/1.1 connection: Falco's {@code http_output}
 * (the body is the alert line, JSON for falcosidekick) and, with another body, Slack-compatible
 * webhooks. 2xx is success; 408, 429, 5xx, timeouts and connection failures are retried; any other
 * status means the receiver refused the alert, which is dropped and counted without retrying.
 */
final class HttpSink implements Sink {
  /** A request body and its content type. */
  record Body(String contentType, String text) {}

  private final URI url;
  private final String userAgent;
  private final boolean compress;
  private final Duration timeout;
  private final Map<String, String> headers;
  private final Function<Outgoing, Body> body;
  private final HttpClient client;

  HttpSink(
      URI url,
      String userAgent,
      SinkConfig.Tls tls,
      boolean compress,
      Duration timeout,
      Map<String, String> headers,
      Function<Outgoing, Body> body)
      throws OutputException {
    String scheme = url.getScheme() == null ? "" : url.getScheme();
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new OutputException("expected an http:// or https:// URL, got '" + url + "'");
    }
    this.url = url;
    this.userAgent = userAgent;
    this.compress = compress;
    this.timeout = timeout;
    this.headers = Map.copyOf(headers);
    this.body = body;
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .sslContext(TlsContexts.client(tls))
            .build();
  }

  /** Falco's {@code http_output}: the alert line, JSON or text. */
  static Function<Outgoing, Body> falcoBody() {
    return o -> new Body(o.isJson() ? "application/json" : "text/plain", o.line());
  }

  @Override
  public void deliver(List<Outgoing> batch) throws DeliveryException {
    for (int i = 0; i < batch.size(); i++) {
      Body b = body.apply(batch.get(i));
      HttpRequest.Builder req =
          HttpRequest.newBuilder(url)
              .timeout(timeout)
              .header("Content-Type", b.contentType())
              .header("User-Agent", userAgent);
      headers.forEach(req::header);
      byte[] bytes = b.text().getBytes(StandardCharsets.UTF_8);
      if (compress) {
        bytes = gzip(bytes);
        req.header("Content-Encoding", "gzip");
      }
      HttpResponse<Void> resp;
      try {
        resp =
            client.send(
                req.POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(),
                HttpResponse.BodyHandlers.discarding());
      } catch (HttpTimeoutException e) {
        throw new DeliveryException("POST " + url + " timed out", i, true, e);
      } catch (IOException e) {
        throw new DeliveryException("POST " + url + " failed", i, true, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new DeliveryException("interrupted", i, false, e);
      }
      int status = resp.statusCode();
      if (status / 100 != 2) {
        boolean retry = status == 408 || status == 429 || status >= 500;
        throw new DeliveryException("POST " + url + " answered " + status, i, retry);
      }
    }
  }

  private static byte[] gzip(byte[] in) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(in.length / 2 + 32);
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  @Override
  public void close() {
    client.close();
  }
}
