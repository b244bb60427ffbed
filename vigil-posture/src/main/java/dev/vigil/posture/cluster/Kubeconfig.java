package dev.vigil.posture.cluster;

import dev.vigil.posture.manifest.Nodes;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * A kubeconfig, as {@code kubectl} reads it: one or more files (the {@code KUBECONFIG} list),
 * merged so that the first file to define a cluster, user or context name wins, as does the first
 * {@code current-context}. Resolving a context gives a {@link Connection}. Relative file paths are
 * relative to the kubeconfig that names them. Errors name the file, line and column.
 *
 * <p>Supported: {@code server}, {@code certificate-authority[-data]}, {@code
 * insecure-skip-tls-verify}, {@code client-certificate[-data]}, {@code client-key[-data]}, {@code
 * token}, {@code tokenFile}, the context's {@code namespace}. Credential plugins ({@code exec},
 * {@code auth-provider}) and basic auth are refused with a message saying so.
 */
public final class Kubeconfig {
  /** A kubeconfig that cannot be used; the message starts with {@code file[:line:col]: }. */
  public static final class KubeconfigException extends Exception {
    private static final long serialVersionUID = 1L;
    private final boolean unreadable;

    KubeconfigException(String message) {
      this(message, false);
    }

    KubeconfigException(String message, boolean unreadable) {
      super(message);
      this.unreadable = unreadable;
    }

    /** Whether no kubeconfig could be opened at all (rather than one being invalid). */
    public boolean unreadable() {
      return unreadable;
    }
  }

  private record Named(Path file, MappingNode entry, MappingNode body) {}

  private final Map<String, Named> clusters = new LinkedHashMap<>();
  private final Map<String, Named> users = new LinkedHashMap<>();
  private final Map<String, Named> contexts = new LinkedHashMap<>();
  private String currentContext = "";

  private Kubeconfig() {}

  /**
   * The files to read: {@code explicit} if given, else {@code $KUBECONFIG} (a path list), else
   * {@code ~/.kube/config}.
   */
  public static List<Path> files(String explicit, @Nullable String env, String home) {
    if (!explicit.isEmpty()) {
      return List.of(Path.of(explicit));
    }
    if (env != null && !env.isBlank()) {
      List<Path> files = new ArrayList<>();
      for (String p : env.split(java.io.File.pathSeparator, -1)) {
        if (!p.isBlank()) {
          files.add(Path.of(p));
        }
      }
      return files;
    }
    return List.of(Path.of(home, ".kube", "config"));
  }

  /**
   * Reads {@code files}; a file of the {@code KUBECONFIG} list that does not exist is skipped, as
   * kubectl does, but at least one must.
   */
  public static Kubeconfig read(List<Path> files) throws KubeconfigException {
    Kubeconfig k = new Kubeconfig();
    int read = 0;
    for (Path f : files) {
      if (files.size() > 1 && !Files.exists(f)) {
        continue;
      }
      String text;
      try {
        text = Files.readString(f, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new KubeconfigException(f + ": cannot read kubeconfig: " + reason(e), true);
      }
      k.add(f, text);
      read++;
    }
    if (read == 0) {
      throw new KubeconfigException("no kubeconfig found (looked for " + files + ")", true);
    }
    return k;
  }

  private void add(Path file, String text) throws KubeconfigException {
    Node root;
    try {
      LoadSettings settings =
          LoadSettings.builder().setLabel(file.toString()).setMaxAliasesForCollections(50).build();
      Optional<Node> n = new Compose(settings).composeString(text);
      if (n.isEmpty()) {
        return; // an empty file, as kubectl allows
      }
      root = n.get();
    } catch (MarkedYamlEngineException e) {
      String where =
          e.getProblemMark()
              .map(m -> file + ":" + (m.getLine() + 1) + ":" + (m.getColumn() + 1))
              .orElse(file.toString());
      throw new KubeconfigException(where + ": invalid YAML: " + e.getProblem());
    } catch (YamlEngineException e) {
      throw new KubeconfigException(file + ": invalid YAML: " + e.getMessage());
    }
    if (!(root instanceof MappingNode)) {
      throw error(file, root, "a kubeconfig must be a mapping, not " + Nodes.describe(root));
    }
    named(file, root, "clusters", "cluster", clusters);
    named(file, root, "users", "user", users);
    named(file, root, "contexts", "context", contexts);
    if (currentContext.isEmpty()) {
      currentContext = Nodes.string(root, "current-context", "");
    }
  }

  private static void named(
      Path file, Node root, String listKey, String bodyKey, Map<String, Named> into)
      throws KubeconfigException {
    Node list = Nodes.get(root, listKey);
    if (list == null) {
      return;
    }
    if (!(list instanceof org.snakeyaml.engine.v2.nodes.SequenceNode)) {
      throw error(file, list, listKey + " must be a list, not " + Nodes.describe(list));
    }
    for (Node item : Nodes.list(root, listKey)) {
      if (!(item instanceof MappingNode entry)) {
        throw error(file, item, "an entry of " + listKey + " must be a mapping");
      }
      String name = text(file, entry, "name");
      if (name.isEmpty()) {
        throw error(file, entry, "an entry of " + listKey + " has no name");
      }
      Node body = Nodes.get(entry, bodyKey);
      if (body == null && Nodes.entry(entry, bodyKey) != null) {
        into.putIfAbsent(name, new Named(file, entry, entry)); // "user:" with nothing under it
        continue;
      }
      if (!(body instanceof MappingNode b)) {
        throw error(
            file,
            body == null ? entry : body,
            listKey + " entry '" + name + "' has no " + bodyKey + " mapping");
      }
      into.putIfAbsent(name, new Named(file, entry, b));
    }
  }

  public String currentContext() {
    return currentContext;
  }

  /** Resolves {@code context} (or the current context when empty) into a connection. */
  public Connection connect(String context) throws KubeconfigException {
    String name = context.isEmpty() ? currentContext : context;
    if (name.isEmpty()) {
      throw new KubeconfigException(
          "the kubeconfig has no current-context; name one with --context (contexts: "
              + String.join(", ", contexts.keySet())
              + ")");
    }
    Named ctx = contexts.get(name);
    if (ctx == null) {
      throw new KubeconfigException(
          "context '"
              + name
              + "' is not in the kubeconfig (contexts: "
              + (contexts.isEmpty() ? "none" : String.join(", ", contexts.keySet()))
              + ")");
    }
    String clusterName = text(ctx.file(), ctx.body(), "cluster");
    Named cluster = clusters.get(clusterName);
    if (cluster == null) {
      throw error(
          ctx.file(),
          orSelf(Nodes.get(ctx.body(), "cluster"), ctx.body()),
          "context '" + name + "' names cluster '" + clusterName + "', which is not defined");
    }
    String userName = text(ctx.file(), ctx.body(), "user");
    Named user = userName.isEmpty() ? null : users.get(userName);
    if (!userName.isEmpty() && user == null) {
      throw error(
          ctx.file(),
          orSelf(Nodes.get(ctx.body(), "user"), ctx.body()),
          "context '" + name + "' names user '" + userName + "', which is not defined");
    }
    String namespace = text(ctx.file(), ctx.body(), "namespace");
    URI server = server(cluster);
    Tls.Trust trust = trust(cluster);
    Credentials creds = user == null ? Credentials.NONE : credentials(user);
    return new Connection(
        name,
        server,
        Tls.context(trust, creds.identity()),
        creds.token(),
        namespace.isEmpty() ? "default" : namespace);
  }

  private static URI server(Named c) throws KubeconfigException {
    Node n = Nodes.get(c.body(), "server");
    String s = text(c.file(), c.body(), "server");
    if (s.isEmpty()) {
      throw error(c.file(), c.body(), "cluster has no server");
    }
    try {
      URI u = new URI(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
      if ((!"https".equals(u.getScheme()) && !"http".equals(u.getScheme()))
          || u.getHost() == null) {
        throw error(
            c.file(), orSelf(n, c.body()), "server must be an https:// URL, not '" + s + "'");
      }
      return u;
    } catch (URISyntaxException e) {
      throw error(c.file(), orSelf(n, c.body()), "server must be an https:// URL, not '" + s + "'");
    }
  }

  private static Tls.Trust trust(Named c) throws KubeconfigException {
    Node insecure = Nodes.get(c.body(), "insecure-skip-tls-verify");
    if (insecure != null && Boolean.TRUE.equals(Nodes.bool(insecure))) {
      return new Tls.Trust.Insecure();
    }
    Optional<byte[]> ca = material(c, "certificate-authority");
    if (ca.isEmpty()) {
      return new Tls.Trust.DefaultRoots();
    }
    try {
      return new Tls.Trust.Certificates(Pem.certificates(ca.get()));
    } catch (Pem.PemException e) {
      throw error(
          c.file(), where(c, "certificate-authority"), "certificate-authority: " + e.getMessage());
    }
  }

  private record Credentials(Optional<Tls.Identity> identity, String token) {
    static final Credentials NONE = new Credentials(Optional.empty(), "");
  }

  private static Credentials credentials(Named u) throws KubeconfigException {
    for (String unsupported : List.of("exec", "auth-provider")) {
      Node n = Nodes.get(u.body(), unsupported);
      if (n != null) {
        throw error(
            u.file(),
            n,
            "user uses a credential plugin ("
                + unsupported
                + "), which vigil does not run; give it a token, tokenFile or client certificate");
      }
    }
    if (Nodes.get(u.body(), "username") != null || Nodes.get(u.body(), "password") != null) {
      throw error(
          u.file(),
          u.body(),
          "basic auth (username/password) is not supported (Kubernetes removed it in 1.19)");
    }
    String token = text(u.file(), u.body(), "token");
    String tokenFile = text(u.file(), u.body(), "tokenFile");
    if (token.isEmpty() && !tokenFile.isEmpty()) {
      Path p = relative(u.file(), tokenFile);
      try {
        token = Files.readString(p, StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        throw error(
            u.file(), where(u, "tokenFile"), "cannot read tokenFile " + p + ": " + reason(e));
      }
    }
    Optional<byte[]> cert = material(u, "client-certificate");
    Optional<byte[]> key = material(u, "client-key");
    if (cert.isPresent() != key.isPresent()) {
      throw error(
          u.file(),
          u.body(),
          cert.isPresent()
              ? "user has a client-certificate but no client-key"
              : "user has a client-key but no client-certificate");
    }
    Optional<Tls.Identity> identity = Optional.empty();
    if (cert.isPresent() && key.isPresent()) {
      try {
        identity =
            Optional.of(new Tls.Identity(Pem.certificates(cert.get()), Pem.privateKey(key.get())));
      } catch (Pem.PemException e) {
        throw error(u.file(), u.body(), "client certificate or key: " + e.getMessage());
      }
    }
    return new Credentials(identity, token);
  }

  /** {@code key-data} (base64 PEM) or the file {@code key} names, if either is set. */
  private static Optional<byte[]> material(Named n, String key) throws KubeconfigException {
    String data = text(n.file(), n.body(), key + "-data");
    if (!data.isEmpty()) {
      try {
        return Optional.of(Base64.getMimeDecoder().decode(data));
      } catch (IllegalArgumentException e) {
        throw error(n.file(), where(n, key + "-data"), key + "-data is not base64");
      }
    }
    String file = text(n.file(), n.body(), key);
    if (file.isEmpty()) {
      return Optional.empty();
    }
    Path p = relative(n.file(), file);
    try {
      return Optional.of(Files.readAllBytes(p));
    } catch (IOException e) {
      throw error(n.file(), where(n, key), "cannot read " + key + " " + p + ": " + reason(e));
    }
  }

  /** {@code path} as kubectl reads it: relative to the directory of the kubeconfig naming it. */
  private static Path relative(Path kubeconfig, String path) {
    Path dir = kubeconfig.toAbsolutePath().getParent();
    return dir == null ? Path.of(path) : dir.resolve(path);
  }

  private static Node where(Named n, String key) {
    return orSelf(Nodes.get(n.body(), key), n.body());
  }

  private static Node orSelf(@Nullable Node n, Node self) {
    return n == null ? self : n;
  }

  private static String text(Path file, Node map, String key) throws KubeconfigException {
    Node n = Nodes.get(map, key);
    if (n == null) {
      return "";
    }
    if (!(n instanceof ScalarNode s)) {
      throw error(file, n, key + " must be a string, not " + Nodes.describe(n));
    }
    return s.getValue();
  }

  private static KubeconfigException error(Path file, Node at, String message) {
    int line = Nodes.line(at);
    return new KubeconfigException(
        (line > 0 ? file + ":" + line + ":" + Nodes.column(at) : file.toString()) + ": " + message);
  }

  private static String reason(IOException e) {
    return e instanceof java.nio.file.NoSuchFileException
        ? "no such file"
        : e instanceof java.nio.file.AccessDeniedException
            ? "permission denied"
            : String.valueOf(e.getMessage());
  }
}
