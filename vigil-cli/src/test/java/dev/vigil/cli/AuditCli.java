package dev.vigil.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Runs the CLI in process, for the audit policy commands: streams, exit code, JSON. */
record AuditCli(int code, String out, String err) {
  static final ObjectMapper JSON = new ObjectMapper();

  static AuditCli run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
    return new AuditCli(code, out.toString(), err.toString());
  }

  JsonNode json() {
    try {
      return JSON.readTree(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The shared corpus path of a k8s-audit file. */
  static String corpus(String relative) {
    String shared = System.getProperty("vigil.shared", "../shared");
    Path p = Path.of(shared, "corpus", "k8s-audit", relative);
    if (!Files.exists(p)) {
      throw new IllegalStateException("missing corpus file " + p);
    }
    return p.toString();
  }
}
