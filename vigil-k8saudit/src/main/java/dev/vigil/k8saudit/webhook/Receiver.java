package dev.vigil.k8saudit.webhook;

import dev.vigil.k8saudit.event.AuditEvent;
import dev.vigil.k8saudit.event.AuditReader;
import dev.vigil.k8saudit.event.InputProblem;
import dev.vigil.k8saudit.event.Key;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * One request, on its own virtual thread: method, authentication, media type, size, UTF-8, JSON
 * syntax, then the events, then the queue or spool. Every refusal names its reason in a text body.
 */
final class Receiver extends Handler.Abstract {
  static final String SOURCE = "webhook";

  private final Webhook w;
  private final byte[] token;
  private final Semaphore exchanges;

  Receiver(Webhook w) {
    this.w = w;
    this.token = ("Bearer " + w.config.bearerToken()).getBytes(StandardCharsets.UTF_8);
    this.exchanges = new Semaphore(w.config.maxExchanges());
  }

  /** The answer to one request. */
  private record Answer(int code, String text, boolean close, List<String> headers) {
    Answer(int code, String text, boolean close, String... headers) {
      this(code, text, close, List.of(headers));
    }
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    if (!exchanges.tryAcquire()) {
      w.refused.incrementAndGet();
      send(response, callback, new Answer(503, "too many requests at once: retry later", true));
      return true;
    }
    try {
      Answer a = serve(request);
      if (a.code() != 200) {
        w.refused.incrementAndGet();
        if (a.code() == 429) {
          w.overloaded.incrementAndGet();
        } else {
          w.listener.problem(new InputProblem(SOURCE, 0, 0, a.code() + " " + a.text()));
        }
      }
      send(response, callback, a);
    } catch (IOException e) {
      // the client went away, stalled or sent something unreadable: nothing was accepted
      w.refused.incrementAndGet();
      callback.failed(e);
    } catch (RuntimeException e) {
      w.refused.incrementAndGet();
      w.listener.notice("webhook: a request failed: " + e);
      callback.failed(e);
    } finally {
      exchanges.release();
    }
    return true;
  }

  private Answer serve(Request r) throws IOException {
    w.requests.incrementAndGet();
    if (!Request.getPathInContext(r).equals(WebhookConfig.PATH)) {
      return new Answer(404, "not found: the audit webhook is POST " + WebhookConfig.PATH, true);
    }
    if (!r.getMethod().equals("POST")) {
      return new Answer(
          405, "method " + r.getMethod() + " not allowed: use POST", true, "Allow", "POST");
    }
    if (!w.config.bearerToken().isEmpty() && !authorized(r)) {
      return new Answer(
          401,
          "unauthorized: a valid bearer token is required",
          true,
          "WWW-Authenticate",
          "Bearer");
    }
    String type = r.getHeaders().get(HttpHeader.CONTENT_TYPE);
    if (type != null && !type.toLowerCase(Locale.ROOT).contains("json")) {
      return new Answer(415, "unsupported Content-Type " + type + ": send application/json", true);
    }
    String encoding = r.getHeaders().get(HttpHeader.CONTENT_ENCODING);
    if (encoding != null && !encoding.equalsIgnoreCase("identity")) {
      return new Answer(415, "unsupported Content-Encoding " + encoding, true);
    }
    long max = w.config.maxBodyBytes();
    long length = r.getLength();
    if (length > max) {
      return new Answer(413, tooLarge(length + " bytes"), true);
    }
    Optional<byte[]> read = readBody(Content.Source.asInputStream(r), length, max);
    if (read.isEmpty()) {
      return new Answer(413, tooLarge("more than " + max + " bytes"), true);
    }
    return accept(read.get());
  }

  private String tooLarge(String size) {
    return "request body too large: "
        + size
        + ", the limit is "
        + w.config.maxBodyBytes()
        + " bytes (send smaller batches: --audit-webhook-truncate-max-batch-size)";
  }

  private Answer accept(byte[] body) {
    long receivedNanos = System.currentTimeMillis() * 1_000_000L;
    int bad = Utf8.firstInvalid(body, 0, body.length);
    if (bad >= 0) {
      return new Answer(400, "malformed body: invalid UTF-8 at byte " + bad, false);
    }
    AuditReader reader = new AuditReader();
    Optional<InputProblem> syntax = reader.checkDocument(body, 0, body.length, SOURCE);
    if (syntax.isPresent()) {
      return new Answer(400, "malformed body: " + syntax.get().render(), false);
    }
    List<Ingest.Item> items = new ArrayList<>();
    List<InputProblem> problems = new ArrayList<>();
    reader.document(
        body,
        0,
        body.length,
        SOURCE,
        receivedNanos,
        new AuditReader.Sink() {
          @Override
          public void event(AuditEvent e, long line) {
            items.add(new Ingest.Item(e.bytes(), e.start(), e.end(), key(e)));
          }

          @Override
          public void problem(InputProblem p) {
            problems.add(p);
          }
        });
    for (InputProblem p : problems) {
      w.listener.problem(p);
    }
    w.skipped.addAndGet(problems.size());
    if (items.isEmpty() && !problems.isEmpty()) {
      return new Answer(400, "no audit event in the body: " + problems.get(0).render(), false);
    }
    return switch (w.queue.offer(items, body.length, receivedNanos)) {
      case Ingest.Offer.Accepted a -> {
        w.accepted.addAndGet(a.events());
        w.duplicates.addAndGet(a.duplicates());
        yield new Answer(
            200,
            "accepted "
                + a.events()
                + " events ("
                + a.duplicates()
                + " already received, "
                + problems.size()
                + " skipped)",
            false);
      }
      case Ingest.Offer.Full f ->
          new Answer(429, f.reason() + ": retry later", false, "Retry-After", "1");
      case Ingest.Offer.Unavailable u -> new Answer(503, u.reason(), true, "Retry-After", "1");
    };
  }

  /** auditID, stage and the stage's time: what identifies one event across retries. */
  private static String key(AuditEvent e) {
    String id = e.text(e.top(Key.AUDIT_ID));
    if (id == null || id.isEmpty()) {
      return "";
    }
    String stage = e.text(e.top(Key.STAGE));
    String time = e.text(e.top(Key.STAGE_TIMESTAMP));
    if (time == null) {
      time = e.text(e.top(Key.REQUEST_RECEIVED_TIMESTAMP));
    }
    String k = id + '\u0000' + stage + '\u0000' + time;
    return k.length() <= MAX_KEY ? k : "sha256:" + sha256(k);
  }

  /** Longer keys (clients choose auditIDs) are remembered and spooled by their digest. */
  static final int MAX_KEY = 512;

  private static String sha256(String s) {
    try {
      return java.util.HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private boolean authorized(Request r) {
    String h = r.getHeaders().get(HttpHeader.AUTHORIZATION);
    return h != null && MessageDigest.isEqual(h.strip().getBytes(StandardCharsets.UTF_8), token);
  }

  /** Writes a short text answer; the callback completes the exchange. */
  private static void send(Response response, Callback callback, Answer a) {
    byte[] body = (a.text() + "\n").getBytes(StandardCharsets.UTF_8);
    response.setStatus(a.code());
    var h = response.getHeaders();
    h.put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
    for (int i = 0; i + 1 < a.headers().size(); i += 2) {
      h.put(a.headers().get(i), a.headers().get(i + 1));
    }
    if (a.close()) {
      h.put(HttpHeader.CONNECTION, "close");
    }
    response.write(true, ByteBuffer.wrap(body), callback);
  }

  /** The body, or empty when it is longer than {@code max}; never reads more than max + 1. */
  private static Optional<byte[]> readBody(InputStream in, long length, long max)
      throws IOException {
    if (length >= 0) {
      byte[] b = in.readNBytes((int) length);
      if (b.length < length) {
        throw new IOException("the body ended early");
      }
      return Optional.of(b);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 16);
    byte[] chunk = new byte[1 << 16];
    int n;
    while ((n = in.read(chunk)) > 0) {
      if (out.size() + (long) n > max) {
        return Optional.empty();
      }
      out.write(chunk, 0, n);
    }
    return Optional.of(out.toByteArray());
  }
}
