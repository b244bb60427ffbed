package dev.vigil.posture.fix;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The paths a container must be able to write once its root filesystem is read-only: a built-in
 * table for well-known images, {@code /tmp} for every image, and paths the user adds with {@code
 * --writable-path}.
 */
public final class WritablePaths {
  /** Image name (the last path element of the repository, without tag or digest) to paths. */
  private static final Map<String, List<String>> KNOWN =
      Map.ofEntries(
          Map.entry("nginx", List.of("/var/cache/nginx", "/var/run")),
          Map.entry("nginx-unprivileged", List.of("/var/cache/nginx", "/tmp")),
          Map.entry(
              "openresty", List.of("/usr/local/openresty/nginx/client_body_temp", "/var/run")),
          Map.entry("httpd", List.of("/usr/local/apache2/logs")),
          Map.entry("redis", List.of("/data")),
          Map.entry("postgres", List.of("/var/run/postgresql", "/var/lib/postgresql/data")),
          Map.entry("mysql", List.of("/var/run/mysqld", "/var/lib/mysql")),
          Map.entry("mariadb", List.of("/run/mysqld", "/var/lib/mysql")),
          Map.entry("mongo", List.of("/data/db", "/data/configdb")),
          Map.entry("rabbitmq", List.of("/var/lib/rabbitmq")),
          Map.entry("grafana", List.of("/var/lib/grafana")),
          Map.entry("prometheus", List.of("/prometheus")),
          Map.entry(
              "tomcat",
              List.of(
                  "/usr/local/tomcat/logs", "/usr/local/tomcat/work", "/usr/local/tomcat/temp")),
          Map.entry("wordpress", List.of("/var/www/html", "/var/run/apache2")),
          Map.entry("php", List.of("/var/run/apache2")),
          Map.entry("jenkins", List.of("/var/jenkins_home")));

  private final List<String> extra;

  public WritablePaths(List<String> extra) {
    this.extra = List.copyOf(extra);
  }

  /**
   * The image name an image reference is looked up by: {@code docker.io/library/nginx:1.27} →
   * nginx.
   */
  static String name(String image) {
    String s = image;
    int at = s.indexOf('@');
    if (at >= 0) {
      s = s.substring(0, at);
    }
    int slash = s.lastIndexOf('/');
    int colon = s.lastIndexOf(':');
    if (colon > slash) {
      s = s.substring(0, colon);
    }
    return s.substring(slash + 1);
  }

  /** Whether the built-in table knows the image. */
  public static boolean known(String image) {
    return KNOWN.containsKey(name(image));
  }

  /** The paths {@code image} must write, in order: the table's, /tmp, then the user's. */
  public List<String> forImage(String image) {
    Set<String> out = new LinkedHashSet<>(KNOWN.getOrDefault(name(image), List.of()));
    out.add("/tmp");
    out.addAll(extra);
    return new ArrayList<>(out);
  }
}
