package dev.vigil.cli;

import dev.vigil.cli.admission.AdmissionServer;
import dev.vigil.posture.Scanner;
import dev.vigil.posture.admission.Admission;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code vigil scan --admission-webhook}: the scan's checks as a validating admission webhook. Runs
 * until stopped.
 */
final class AdmissionCommand {
  private AdmissionCommand() {}

  static int serve(ScanCommand.AdmissionOptions o, Scanner.Options options, PrintWriter err) {
    int colon = o.listen.lastIndexOf(':');
    int port;
    try {
      port = Integer.parseInt(o.listen.substring(colon + 1));
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (colon < 0 || port < 0 || port > 65535) {
      throw new UserError(
          ExitCode.USAGE,
          "--listen must be ADDR:PORT (for example 0.0.0.0:8443), not '" + o.listen + "'");
    }
    String host = o.listen.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    AdmissionServer server;
    try {
      server =
          new AdmissionServer(
              new Admission(options),
              Path.of(o.cert),
              Path.of(o.key),
              host.isEmpty() ? "0.0.0.0" : host,
              port,
              Duration.ofSeconds(10));
    } catch (AdmissionServer.TlsFilesException e) {
      throw new UserError(ExitCode.USAGE, String.valueOf(e.getMessage()));
    }
    try {
      server.start();
    } catch (IOException e) {
      server.close();
      throw new UserError(ExitCode.RUNTIME, "cannot listen on " + o.listen + ": " + e.getMessage());
    }
    err.println(
        "vigil: admission webhook on https://"
            + o.listen.substring(0, colon)
            + ":"
            + server.port()
            + "/validate, denying pods that violate PodSecurity \""
            + options.level().label()
            + ":"
            + options.version()
            + "\"");
    err.flush();
    try {
      server.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      server.close();
    }
    return ExitCode.OK;
  }
}
