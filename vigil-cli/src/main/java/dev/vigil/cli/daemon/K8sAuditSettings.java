package dev.vigil.cli.daemon;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The Kubernetes audit source's settings: Vigil's {@code k8saudit:} section, or Falco's {@code
 * plugins} entry for {@code k8saudit} (its {@code open_params} URL and {@code init_config}) when it
 * is in {@code load_plugins}.
 */
final class K8sAuditSettings {
  private K8sAuditSettings() {}

  static DaemonConfig.K8sAudit read(Section root) {
    DaemonConfig.K8sAudit off = DaemonConfig.K8sAudit.off();
    DaemonConfig.K8sAudit fromPlugin = plugin(root).orElse(off);
    Section k = root.section("k8saudit");
    Section hook = k.section("webhook");
    String listen = hook.string("listen", fromPlugin.webhookListen());
    String path = hook.string("path", fromPlugin.webhookPath());
    String cert = hook.string("ssl_certificate", fromPlugin.sslCertificate());
    long maxEvent = hook.integer("max_event_size", fromPlugin.maxEventSize(), 1, 1L << 30);
    long maxBatch = hook.integer("max_batch_size", fromPlugin.maxBatchSize(), 1, 512L << 20);
    String key = hook.string("ssl_key", "");
    List<String> clientCa = new ArrayList<>();
    for (String ca : hook.strings("client_ca", List.of())) {
      for (String one : ca.split(",", -1)) {
        if (!one.isBlank()) {
          clientCa.add(one.strip());
        }
      }
    }
    String tokenFile = hook.string("token_file", "");
    long queueEvents = hook.integer("queue_events", off.queueEvents(), 1, 10_000_000);
    String spoolDir = hook.string("spool_dir", off.spoolDir());
    long spoolMax = hook.integer("spool_max_size", off.spoolMaxSize(), 1L << 20, 1L << 50);
    hook.finish();
    List<String> files = new ArrayList<>(fromPlugin.files());
    // a list, or one string with commas (-o k8saudit.files=a.log,b.log)
    for (String f : k.strings("files", List.of())) {
      for (String one : f.split(",", -1)) {
        if (!one.isBlank()) {
          files.add(one.strip());
        }
      }
    }
    Path checkpoints = Path.of(k.string("checkpoint_dir", fromPlugin.checkpointDir().toString()));
    boolean enabled =
        k.bool("enabled", fromPlugin.enabled() || !listen.isEmpty() || !files.isEmpty());
    k.finish();
    return new DaemonConfig.K8sAudit(
        enabled,
        listen,
        path,
        files,
        checkpoints,
        cert,
        maxEvent,
        maxBatch,
        key,
        clientCa,
        tokenFile,
        queueEvents,
        spoolDir,
        spoolMax);
  }

  private static Optional<DaemonConfig.K8sAudit> plugin(Section root) {
    List<String> loaded = root.strings("load_plugins", List.of());
    Optional<Node> plugins = root.node("plugins");
    if (!loaded.contains("k8saudit")
        || plugins.isEmpty()
        || !(plugins.get() instanceof Node.ListNode list)) {
      return Optional.empty();
    }
    for (Node n : list.items()) {
      if (!(n instanceof Node.MapNode m)) {
        continue;
      }
      Section p = new Section(m, "plugins[]", new ArrayList<>());
      if (!p.string("name", "").equals("k8saudit")) {
        continue;
      }
      String open = p.string("open_params", "");
      DaemonConfig.K8sAudit off = DaemonConfig.K8sAudit.off();
      String cert = "";
      long maxEvent = off.maxEventSize();
      long maxBatch = off.maxBatchSize();
      if (p.node("init_config").orElse(null) instanceof Node.MapNode init) {
        Section i = new Section(init, "init_config", new ArrayList<>());
        cert = i.string("sslCertificate", "");
        maxEvent = i.integer("maxEventSize", maxEvent, 1, 1L << 30);
        maxBatch = i.integer("webhookMaxBatchSize", maxBatch, 1, 1L << 32);
      }
      try {
        URI u = new URI(open);
        if ("http".equals(u.getScheme()) || "https".equals(u.getScheme())) {
          String host = u.getHost() == null ? "0.0.0.0" : u.getHost();
          int port = u.getPort() < 0 ? 9765 : u.getPort();
          String path = u.getPath() == null || u.getPath().isEmpty() ? "/k8s-audit" : u.getPath();
          if (!"https".equals(u.getScheme())) {
            cert = "";
          } else if (cert.isEmpty()) {
            cert = "/etc/falco/falco.pem";
          }
          return Optional.of(
              new DaemonConfig.K8sAudit(
                  true,
                  host + ":" + port,
                  path,
                  List.of(),
                  off.checkpointDir(),
                  cert,
                  maxEvent,
                  maxBatch,
                  "",
                  List.of(),
                  "",
                  off.queueEvents(),
                  off.spoolDir(),
                  off.spoolMaxSize()));
        }
      } catch (URISyntaxException e) {
        // a plain path: a log file
      }
      String file = open.startsWith("file://") ? open.substring(7) : open;
      return Optional.of(
          new DaemonConfig.K8sAudit(
              true,
              "",
              off.webhookPath(),
              List.of(file),
              off.checkpointDir(),
              cert,
              maxEvent,
              maxBatch,
              "",
              List.of(),
              "",
              off.queueEvents(),
              off.spoolDir(),
              off.spoolMaxSize()));
    }
    return Optional.empty();
  }
}
