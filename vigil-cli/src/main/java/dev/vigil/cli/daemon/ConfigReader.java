package dev.vigil.cli.daemon;

import dev.vigil.output.Delivery;
import dev.vigil.output.FalcoFormat;
import dev.vigil.output.SinkConfig;
import dev.vigil.rules.AppendOutput;
import dev.vigil.rules.Engine;
import dev.vigil.rules.Priority;
import dev.vigil.rules.RuleSelection;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads the merged configuration tree into a {@link DaemonConfig}, Falco's keys first. Longer than
 * most files here (about 680 lines): one short method per top-level section, kept in one place so
 * that the whole key set, its defaults and its errors read together.
 */
final class ConfigReader {
  /** Falco keys Vigil accepts and has no use for (engine, plugins, logging, libs tuning). */
  static final Set<String> FALCO_IGNORED =
      Set.of(
          "engine",
          "plugins_hostinfo",
          "log_stderr",
          "log_syslog",
          "log_level",
          "libs_logger",
          "buffer_format_base64",
          "syscall_event_drops",
          "syscall_event_timeouts",
          "metrics",
          "base_syscalls",
          "falco_libs",
          "container_engines",
          "capture",
          "static_fields",
          "modern_bpf");

  private final List<ConfigDiagnostic> diagnostics;

  ConfigReader(List<ConfigDiagnostic> diagnostics) {
    this.diagnostics = diagnostics;
  }

  DaemonConfig read(Node.MapNode root, List<Path> files) {
    Section s = new Section(root, "", diagnostics);
    s.accept(FALCO_IGNORED.toArray(String[]::new));
    s.accept("config_files");
    List<String> rules = s.strings("rules_files", List.of(DaemonConfig.BUNDLED));
    if (s.has("rules_file")) {
      s.keyOrigin("rules_file")
          .ifPresent(
              o -> s.warn(o, "'rules_file' is deprecated since Falco 0.38: use 'rules_files'"));
      if (!s.has("rules_files")) {
        rules = s.strings("rules_file", rules);
      }
    }
    for (String removed : List.of("grpc", "grpc_output")) {
      s.keyOrigin(removed)
          .ifPresent(o -> {
            s.accept(removed);
            s.warn(
                o,
                "'" + removed + "' was removed in Falco 0.44; Vigil has no gRPC output (ignored)");
          });
    }
    s.keyOrigin("outputs")
        .ifPresent(o -> {
          s.accept("outputs");
          s.warn(
              o,
              "'outputs' (rate, max_burst) was removed in Falco 0.37; set 'rate' and 'max_burst' on each output instead (ignored)");
        });
    Priority priority = s.priority("priority", Priority.DEBUG);
    Engine.Matching matching =
        s.string("rule_matching", "first").strip().toLowerCase(Locale.ROOT).equals("all")
            ? Engine.Matching.ALL
            : Engine.Matching.FIRST;
    s.node("rule_matching")
        .ifPresent(n -> {
          if (n instanceof Node.Scalar sc
              && !Set.of("first", "all").contains(sc.text().strip().toLowerCase(Locale.ROOT))) {
            s.error(n.origin(), "rule_matching: expected first or all, got '" + sc.text() + "'");
          }
        });
    boolean json = s.bool("json_output", false);
    FalcoFormat.Options format =
        new FalcoFormat.Options(
            s.bool("time_format_iso_8601", false),
            s.bool("json_include_output_property", true),
            s.bool("json_include_tags_property", true),
            s.bool("json_include_message_property", false),
            s.bool("json_include_output_fields_property", true),
            ZoneId.systemDefault());
    Duration outputTimeout =
        s.duration("output_timeout", Duration.ofMillis(2000), Duration.ofMillis(1));
    boolean buffered = s.bool("buffered_outputs", false);
    long capacity = s.section("outputs_queue").integer("capacity", 0, 0, 100_000_000);
    Delivery base =
        new Delivery(
            capacity == 0 ? Delivery.DEFAULT_CAPACITY : (int) capacity, 0, 1000, 5, Priority.DEBUG);

    List<AppendOutput> append = new ArrayList<>();
    boolean suggested = appendOutput(s, append);
    RuleSelection selection = selection(s);
    Outputs outs = new Outputs(s, base, outputTimeout);
    List<SinkConfig> outputs = outs.read(buffered);
    DaemonConfig.Webserver web = webserver(s);
    boolean watch = s.bool("watch_config_files", true);
    DaemonConfig.K8sAudit audit = K8sAuditSettings.read(s);
    s.finish();
    return new DaemonConfig(
        rules,
        priority,
        matching,
        json,
        format,
        append,
        suggested,
        selection,
        outputs,
        web,
        watch,
        outputTimeout,
        audit,
        files);
  }

  /** Falco's {@code append_output}; returns whether {@code suggested_output} is on. */
  private boolean appendOutput(Section s, List<AppendOutput> out) {
    Optional<Node> n = s.node("append_output");
    if (n.isEmpty()) {
      return true;
    }
    if (!(n.get() instanceof Node.ListNode list)) {
      s.error(n.get().origin(), "append_output: expected a list");
      return true;
    }
    boolean suggested = false;
    for (Node item : list.items()) {
      if (!(item instanceof Node.MapNode m)) {
        s.error(item.origin(), "append_output: each entry is a mapping");
        continue;
      }
      Section e = new Section(m, "append_output[]", diagnostics);
      suggested |= e.bool("suggested_output", false);
      Section match = e.section("match");
      AppendOutput.Match mt =
          new AppendOutput.Match(
              match.string("source", ""),
              match.strings("tags", List.of()),
              match.string("rule", ""));
      match.finish();
      String extra = e.string("extra_output", "");
      List<AppendOutput.ExtraField> fields = new ArrayList<>();
      e.node("extra_fields")
          .ifPresent(f -> {
            if (f instanceof Node.ListNode fl) {
              for (Node x : fl.items()) {
                switch (x) {
                  case Node.Scalar sc ->
                      fields.add(new AppendOutput.ExtraField(sc.text(), "%" + sc.text()));
                  case Node.MapNode fm ->
                      fm.entries()
                          .forEach((k, v) -> {
                            if (v.value() instanceof Node.Scalar vs) {
                              fields.add(new AppendOutput.ExtraField(k, vs.text()));
                            } else {
                              e.error(
                                  v.value().origin(),
                                  "extra_fields: '" + k + "' needs a format string");
                            }
                          });
                  case Node.ListNode bad ->
                      e.error(
                          bad.origin(), "extra_fields: expected a field name or {name: format}");
                }
              }
            } else {
              e.error(f.origin(), "extra_fields: expected a list");
            }
          });
      e.finish();
      if (!extra.isEmpty() || !fields.isEmpty()) {
        out.add(new AppendOutput(mt, extra, fields));
      }
    }
    return suggested;
  }

  /** Falco's {@code rules:} enable/disable steps by rule name (with *) or tag. */
  private RuleSelection selection(Section s) {
    RuleSelection sel = RuleSelection.asInFiles();
    Optional<Node> n = s.node("rules");
    if (n.isEmpty()) {
      return sel;
    }
    if (!(n.get() instanceof Node.ListNode list)) {
      s.error(n.get().origin(), "rules: expected a list of enable/disable entries");
      return sel;
    }
    for (Node item : list.items()) {
      if (!(item instanceof Node.MapNode m)) {
        s.error(item.origin(), "rules: each entry is {enable: {...}} or {disable: {...}}");
        continue;
      }
      Section e = new Section(m, "rules[]", diagnostics);
      for (String verb : List.of("enable", "disable")) {
        if (!e.has(verb)) {
          continue;
        }
        Section what = e.section(verb);
        boolean on = verb.equals("enable");
        if (what.has("rule")) {
          sel =
              sel.then(
                  new RuleSelection.ByName(
                      RuleSelection.NameMatch.WILDCARD, what.string("rule", ""), on));
        }
        if (what.has("tag")) {
          sel = sel.then(new RuleSelection.ByTags(Set.of(what.string("tag", "")), on));
        }
        what.finish();
      }
      e.finish();
    }
    return sel;
  }

  private DaemonConfig.Webserver webserver(Section root) {
    Section w = root.section("webserver");
    w.accept("threadiness", "k8s_audit_endpoint");
    boolean metricsOn = root.section("metrics").bool("enabled", true);
    DaemonConfig.Webserver web =
        new DaemonConfig.Webserver(
            w.bool("enabled", true),
            w.string("listen_address", "127.0.0.1"),
            (int) w.integer("listen_port", 8765, 0, 65535),
            w.string("k8s_healthz_endpoint", "/healthz"),
            w.bool("prometheus_metrics_enabled", true) && metricsOn,
            w.bool("ssl_enabled", false),
            Path.of(w.string("ssl_certificate", "/etc/vigil/vigil.pem")));
    w.finish();
    return web;
  }

  /** The output sections. */
  private static final class Outputs {
    private final Section root;
    private final Delivery base;
    private final Duration timeout;

    Outputs(Section root, Delivery base, Duration timeout) {
      this.root = root;
      this.base = base;
      this.timeout = timeout;
    }

    List<SinkConfig> read(boolean buffered) {
      List<SinkConfig> out = new ArrayList<>();
      Section so = root.section("stdout_output");
      if (so.bool("enabled", true)) {
        out.add(new SinkConfig.Stdout(buffered, delivery(so)));
      }
      so.finish();
      file(out);
      program(out);
      http(out);
      syslog(out);
      slack(out);
      kafka(out);
      store(out);
      return out;
    }

    Delivery delivery(Section o) {
      int cap = (int) o.integer("queue_capacity", base.queueCapacity(), 1, 100_000_000);
      double rate = o.number("rate", 0);
      int burst = (int) o.integer("max_burst", 1000, 1, 1_000_000);
      int retries = (int) o.integer("max_retries", 5, 0, 1000);
      Priority min = o.priority("minimum_priority", o.priority("minimumpriority", Priority.DEBUG));
      return new Delivery(cap, rate, burst, retries, min);
    }

    void file(List<SinkConfig> out) {
      Section f = root.section("file_output");
      if (f.bool("enabled", false)) {
        Section rot = f.section("rotation");
        long mb = rot.integer("max_size_mb", 0, 0, 1_000_000);
        int keep = (int) rot.integer("max_files", 5, 1, 1000);
        rot.finish();
        out.add(
            new SinkConfig.File(
                Path.of(f.string("filename", "./events.txt")),
                f.bool("keep_alive", false),
                mb << 20,
                keep,
                delivery(f)));
      } else {
        f.accept("keep_alive", "filename", "rotation");
        f.acceptDelivery();
      }
      f.finish();
    }

    void program(List<SinkConfig> out) {
      Section p = root.section("program_output");
      if (p.bool("enabled", false)) {
        String cmd = p.string("program", "");
        if (cmd.isBlank()) {
          p.error(p.origin(), "program_output.program: the command to run is required");
        }
        out.add(new SinkConfig.Program(cmd, p.bool("keep_alive", false), timeout, delivery(p)));
      } else {
        p.accept("keep_alive", "program");
        p.acceptDelivery();
      }
      p.finish();
    }

    void http(List<SinkConfig> out) {
      Section h = root.section("http_output");
      h.accept("echo", "keep_alive", "max_consecutive_timeouts");
      if (h.bool("enabled", false)) {
        URI url = uri(h, "url");
        SinkConfig.Tls tls =
            new SinkConfig.Tls(
                h.bool("insecure", false),
                h.string("ca_cert", ""),
                h.string("ca_bundle", ""),
                h.string("ca_path", ""),
                h.bool("mtls", false),
                h.string("client_cert", ""),
                h.string("client_key", ""));
        Map<String, String> headers = new TreeMap<>();
        Section hs = h.section("headers");
        h.node("headers")
            .ifPresent(n -> {
              if (n instanceof Node.MapNode m) {
                m.entries().keySet().forEach(k -> headers.put(k, hs.string(k, "")));
              }
            });
        out.add(
            new SinkConfig.Http(
                url,
                h.string("user_agent", "falcosecurity/falco"),
                tls,
                h.bool("compress_uploads", false),
                timeout,
                headers,
                delivery(h)));
      } else {
        h.accept(
            "url",
            "user_agent",
            "insecure",
            "ca_cert",
            "ca_bundle",
            "ca_path",
            "mtls",
            "client_cert",
            "client_key",
            "compress_uploads",
            "headers");
        h.acceptDelivery();
      }
      h.finish();
    }

    void syslog(List<SinkConfig> out) {
      Section s = root.section("syslog_output");
      if (s.bool("enabled", false)) {
        String addr = s.string("address", "udp://127.0.0.1:514");
        int facility = facility(s);
        Optional<SinkConfig> c = syslogAddress(s, addr, facility, delivery(s));
        c.ifPresent(out::add);
      } else {
        s.accept("address", "facility");
        s.acceptDelivery();
      }
      s.finish();
    }

    void slack(List<SinkConfig> out) {
      Section s = root.section("slack_output");
      if (s.bool("enabled", false)) {
        String fmt = s.string("outputformat", "all").toUpperCase(Locale.ROOT);
        SinkConfig.SlackFormat format =
            switch (fmt) {
              case "TEXT" -> SinkConfig.SlackFormat.TEXT;
              case "FIELDS" -> SinkConfig.SlackFormat.FIELDS;
              default -> SinkConfig.SlackFormat.ALL;
            };
        Delivery d = delivery(s);
        if (!s.has("rate")) {
          d = new Delivery(d.queueCapacity(), 1, 20, d.maxRetries(), d.minimumPriority());
        }
        out.add(
            new SinkConfig.Slack(
                uri(s, "webhookurl"),
                s.string("channel", ""),
                s.string("username", "Vigil"),
                s.string("icon", ""),
                s.string("footer", ""),
                format,
                s.string("messageformat", ""),
                timeout,
                d));
      } else {
        s.accept(
            "webhookurl",
            "channel",
            "username",
            "icon",
            "footer",
            "outputformat",
            "messageformat",
            "minimumpriority");
        s.acceptDelivery();
      }
      s.finish();
    }

    void kafka(List<SinkConfig> out) {
      Section k = root.section("kafka_output");
      k.accept("async", "balancer", "topiccreation");
      if (k.bool("enabled", false)) {
        List<String> brokers = List.of(k.string("hostport", "").split(","));
        if (k.string("hostport", "").isBlank()) {
          k.error(k.origin(), "kafka_output.hostport: the brokers (host:port,...) are required");
        }
        String topic = k.string("topic", "falco");
        String acks =
            switch (k.string("requiredacks", "ALL").toUpperCase(Locale.ROOT)) {
              case "NONE" -> "0";
              case "ONE" -> "1";
              default -> "all";
            };
        String compression = k.string("compression", "NONE").toLowerCase(Locale.ROOT);
        Map<String, String> props = new TreeMap<>(kafkaSecurity(k));
        Section ps = k.section("properties");
        k.node("properties")
            .ifPresent(n -> {
              if (n instanceof Node.MapNode m) {
                m.entries().keySet().forEach(key -> props.put(key, ps.string(key, "")));
              }
            });
        out.add(
            new SinkConfig.Kafka(
                brokers.stream().map(String::strip).toList(),
                topic,
                acks,
                compression,
                k.string("clientid", "vigil"),
                props,
                delivery(k)));
      } else {
        k.accept(
            "hostport",
            "topic",
            "requiredacks",
            "compression",
            "clientid",
            "properties",
            "minimumpriority",
            "sasl",
            "tls",
            "username",
            "password");
        k.acceptDelivery();
      }
      k.finish();
    }

    /**
     * falcosidekick's {@code tls}, {@code sasl} (PLAIN, SCRAM_SHA256, SCRAM_SHA512), {@code
     * username} and {@code password} as the Kafka client's properties; {@code properties} entries
     * set later win.
     */
    private Map<String, String> kafkaSecurity(Section k) {
      Map<String, String> p = new TreeMap<>();
      boolean tls = k.bool("tls", false);
      String sasl = k.string("sasl", "").strip().toUpperCase(Locale.ROOT);
      String user = k.string("username", "");
      String password = k.string("password", "");
      String module =
          switch (sasl) {
            case "" -> "";
            case "PLAIN" -> "org.apache.kafka.common.security.plain.PlainLoginModule";
            case "SCRAM_SHA256", "SCRAM_SHA512" ->
                "org.apache.kafka.common.security.scram.ScramLoginModule";
            default -> {
              k.error(
                  k.keyOrigin("sasl").orElse(k.origin()),
                  "kafka_output.sasl: expected PLAIN, SCRAM_SHA256 or SCRAM_SHA512, got '"
                      + sasl
                      + "'");
              yield "";
            }
          };
      if (module.isEmpty()) {
        if (tls) {
          p.put("security.protocol", "SSL");
        }
        return p;
      }
      if (user.isEmpty()) {
        k.error(
            k.keyOrigin("sasl").orElse(k.origin()),
            "kafka_output.sasl: a username (and password) is required");
      }
      p.put("security.protocol", tls ? "SASL_SSL" : "SASL_PLAINTEXT");
      p.put("sasl.mechanism", sasl.replace("SCRAM_SHA", "SCRAM-SHA-"));
      p.put(
          "sasl.jaas.config",
          module
              + " required username=\""
              + jaasQuote(user)
              + "\" password=\""
              + jaasQuote(password)
              + "\";");
      return p;
    }

    private static String jaasQuote(String s) {
      return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    void store(List<SinkConfig> out) {
      Section a = root.section("alert_store");
      if (a.bool("enabled", false)) {
        out.add(
            new SinkConfig.Store(
                Path.of(a.string("path", "/var/lib/vigil/alerts.db")),
                a.duration("retention", Duration.ofDays(30), Duration.ofDays(1)),
                delivery(a)));
      } else {
        a.accept("path", "retention");
        a.acceptDelivery();
      }
      a.finish();
    }

    private URI uri(Section s, String key) {
      String v = s.string(key, "");
      try {
        URI u = new URI(v);
        if (u.getScheme() != null
            && (u.getScheme().equals("http") || u.getScheme().equals("https"))
            && u.getHost() != null) {
          return u;
        }
      } catch (URISyntaxException e) {
        // reported below
      }
      Origin at = s.node(key).map(Node::origin).orElse(s.origin());
      s.error(at, s.name(key) + ": expected an http:// or https:// URL, got '" + v + "'");
      return URI.create("http://invalid.invalid/");
    }
  }

  static int facility(Section s) {
    String f = s.string("facility", "user").strip().toLowerCase(Locale.ROOT);
    List<String> names =
        List.of(
            "kern",
            "user",
            "mail",
            "daemon",
            "auth",
            "syslog",
            "lpr",
            "news",
            "uucp",
            "cron",
            "authpriv",
            "ftp",
            "ntp",
            "audit",
            "alert",
            "clock");
    int i = names.indexOf(f);
    if (i >= 0) {
      return i;
    }
    if (f.matches("local[0-7]")) {
      return 16 + (f.charAt(5) - '0');
    }
    s.node("facility")
        .ifPresent(n ->
            s.error(
                n.origin(),
                "syslog_output.facility: expected user, daemon, local0 ... local7, got '"
                    + f
                    + "'"));
    return 1;
  }

  static Optional<SinkConfig> syslogAddress(Section s, String addr, int facility, Delivery d) {
    Origin at = s.node("address").map(Node::origin).orElse(s.origin());
    try {
      URI u = new URI(addr);
      String scheme = u.getScheme() == null ? "" : u.getScheme();
      switch (scheme) {
        case "udp", "tcp" -> {
          if (u.getHost() == null || u.getPort() < 0) {
            break;
          }
          return Optional.of(
              new SinkConfig.Syslog(
                  scheme.equals("udp") ? SinkConfig.Transport.UDP : SinkConfig.Transport.TCP,
                  u.getHost(),
                  u.getPort(),
                  Path.of(""),
                  facility,
                  d));
        }
        case "unix" -> {
          return Optional.of(
              new SinkConfig.Syslog(
                  SinkConfig.Transport.UNIX, "", 0, Path.of(u.getPath()), facility, d));
        }
        default -> {}
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    s.error(
        at,
        "syslog_output.address: expected udp://HOST:PORT, tcp://HOST:PORT or unix:///PATH, got '"
            + addr
            + "'");
    return Optional.empty();
  }
}
