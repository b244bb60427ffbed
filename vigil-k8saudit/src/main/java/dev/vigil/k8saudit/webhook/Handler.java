package dev.vigil.k8saudit.webhook;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.vigil.k8saudit.event.AuditEvent;
import dev.vigil.k8saudit.event.AuditReader;
import dev.vigil.k8saudit.event.InputProblem;
import dev.vigil.k8saudit.event.Key;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One request: method, authentication, media type, size, UTF-8, JSON syntax, then the events, then
 * the queue. Every refusal names its reason in a text body.
 */
final class Handler implements HttpHandler {
  static final String SOURCE = "webhook";

  private final Webhook w;
  private final byte[] token;

  Handler(Webhook w) {
    this.w = w;
    this.token = ("Bearer " + w.config.bearerToken()).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void handle(HttpExchange x) {
    try {
      serve(x);
    } catch (IOException e) {
      // the client went away or sent something the server could not read: nothing was accepted
      w.refused.incrementAndGet();
    } catch (RuntimeException e) {
      w.refused.incrementAndGet();
      w.listener.notice("webhook: a request failed: " + e);
    } finally {
      x.close();
    }
  }

  private void serve(HttpExchange x) throws IOException {
    w.requests.incrementAndGet();
    if (!x.getRequestURI().getPath().equals(WebhookConfig.PATH)) {
      refuse(x, 404, "not found: the audit webhook is POST " + WebhookConfig.PATH, true);
      return;
    }
    if (!x.getRequestMethod().equals("POST")) {
      x.getResponseHeaders().set("Allow", "POST");
      refuse(x, 405, "method " + x.getRequestMethod() + " not allowed: use POST", true);
      return;
    }
    if (!w.config.bearerToken().isEmpty() && !authorized(x)) {
      x.getResponseHeaders().set("WWW-Authenticate", "Bearer");
      refuse(x, 401, "unauthorized: a valid bearer token is required", true);
      return;
    }
    String type = x.getRequestHeaders().getFirst("Content-Type");
    if (type != null && !type.toLowerCase(Locale.ROOT).contains("json")) {
      refuse(x, 415, "unsupported Content-Type " + type + ": send application/json", true);
      return;
    }
    String encoding = x.getRequestHeaders().getFirst("Content-Encoding");
    if (encoding != null && !encoding.equalsIgnoreCase("identity")) {
      refuse(x, 415, "unsupported Content-Encoding " + encoding, true);
      return;
    }
    long max = w.config.maxBodyBytes();
    long length = contentLength(x);
    if (length > max) {
      refuse(x, 413, tooLarge(length + " bytes"), true);
      return;
    }
    Optional<byte[]> read = readBody(x.getRequestBody(), length, max);
    if (read.isEmpty()) {
      refuse(x, 413, tooLarge("more than " + max + " bytes"), true);
      return;
    }
    accept(x, read.get());
  }

  private String tooLarge(String size) {
    return "request body too large: "
        + size
        + ", the limit is "
        + w.config.maxBodyBytes()
        + " bytes (send smaller batches: --audit-webhook-truncate-max-batch-size)";
  }

  private void accept(HttpExchange x, byte[] body) throws IOException {
    long receivedNanos = System.currentTimeMillis() * 1_000_000L;
    int bad = Utf8.firstInvalid(body, 0, body.length);
    if (bad >= 0) {
      refuse(x, 400, "malformed body: invalid UTF-8 at byte " + bad, false);
      return;
    }
    AuditReader reader = new AuditReader();
    Optional<InputProblem> syntax = reader.checkDocument(body, 0, body.length, SOURCE);
    if (syntax.isPresent()) {
      refuse(x, 400, "malformed body: " + syntax.get().render(), false);
      return;
    }
    List<BatchQueue.Item> items = new ArrayList<>();
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
            items.add(new BatchQueue.Item(e.bytes(), e.start(), e.end(), key(e)));
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
      refuse(x, 400, "no audit event in the body: " + problems.get(0).render(), false);
      return;
    }
    switch (w.queue.offer(items, body.length, receivedNanos)) {
      case BatchQueue.Offer.Accepted a -> {
        w.accepted.addAndGet(a.events());
        w.duplicates.addAndGet(a.duplicates());
        Webhook.respond(
            x,
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
      case BatchQueue.Offer.Full f -> {
        w.overloaded.incrementAndGet();
        x.getResponseHeaders().set("Retry-After", "1");
        refuse(x, 429, "too many events waiting: retry later", false);
      }
      case BatchQueue.Offer.Stopped s -> refuse(x, 503, "the receiver is stopping", true);
    }
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
    return id + '\u0000' + stage + '\u0000' + time;
  }

  private boolean authorized(HttpExchange x) {
    String h = x.getRequestHeaders().getFirst("Authorization");
    return h != null && MessageDigest.isEqual(h.strip().getBytes(StandardCharsets.UTF_8), token);
  }

  private void refuse(HttpExchange x, int code, String reason, boolean close) throws IOException {
    w.refused.incrementAndGet();
    if (code != 429) {
      w.listener.problem(new InputProblem(SOURCE, 0, 0, code + " " + reason));
    }
    Webhook.respond(x, code, reason, close);
  }

  private static long contentLength(HttpExchange x) {
    String v = x.getRequestHeaders().getFirst("Content-Length");
    if (v == null) {
      return -1;
    }
    try {
      return Long.parseLong(v.strip());
    } catch (NumberFormatException e) {
      return -1;
    }
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
