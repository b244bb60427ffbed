package dev.vigil.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/** The host name alerts carry: FALCO_HOSTNAME if set (as in Falco), else the system's. */
final class Hostname {
  private Hostname() {}

  static String get() {
    String env = System.getenv("FALCO_HOSTNAME");
    if (env != null && !env.isBlank()) {
      return env.strip();
    }
    try {
      String h = Files.readString(Path.of("/etc/hostname")).strip();
      if (!h.isEmpty()) {
        return h;
      }
    } catch (IOException e) {
      // fall through
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }
}
