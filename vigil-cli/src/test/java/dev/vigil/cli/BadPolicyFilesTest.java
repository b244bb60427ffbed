package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Must-show 3 through the command line: files that are not policies give a one-line or positioned
 * message and exit 1 (2 when they cannot be opened), never a stack trace.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BadPolicyFilesTest {
  @TempDir Path dir;

  Path write(String name, byte[] content) throws IOException {
    Path p = dir.resolve(name);
    Files.write(p, content);
    return p;
  }

  static void noTrace(AuditCli r) {
    assertThat(r.out() + r.err()).doesNotContain("internal error").doesNotContain("\tat ");
  }

  @Test
  void notYaml() throws IOException {
    Path p = write("p.yaml", "rules: [ {level: None\n".getBytes(StandardCharsets.UTF_8));
    for (String cmd : new String[] {"check", "lint"}) {
      AuditCli r = AuditCli.run("audit", "policy", cmd, p.toString());
      assertThat(r.code()).isEqualTo(1);
      noTrace(r);
    }
    assertThat(AuditCli.run("audit", "policy", "lint", p.toString()).out())
        .contains(p + ":2:1: error: kube-apiserver cannot read the file (yaml: line 2:");
  }

  @Test
  void binaryGarbage() throws IOException {
    byte[] b = new byte[1 << 16];
    new Random(3).nextBytes(b);
    Path p = write("garbage.bin", b);
    AuditCli r = AuditCli.run("audit", "policy", "check", p.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).contains("yaml: invalid leading UTF-8 octet");
    noTrace(r);
    AuditCli lint = AuditCli.run("audit", "policy", "lint", p.toString());
    assertThat(lint.code()).isEqualTo(1);
    assertThat(lint.out()).contains("[yaml-syntax]").contains("a policy is a UTF-8 YAML text file");
    noTrace(lint);
  }

  @Test
  void aliasBomb() throws IOException {
    StringBuilder sb = new StringBuilder("apiVersion: audit.k8s.io/v1\nkind: Policy\n");
    sb.append("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    String prev = "a";
    for (int i = 0; i < 9; i++) {
      String n = "b" + i;
      sb.append(n).append(": &").append(n).append(" [");
      for (int k = 0; k < 9; k++) {
        sb.append(k == 0 ? "*" : ",*").append(prev);
      }
      sb.append("]\n");
      prev = n;
    }
    sb.append("rules:\n- level: None\n");
    Path p = write("bomb.yaml", sb.toString().getBytes(StandardCharsets.UTF_8));
    AuditCli r = AuditCli.run("audit", "policy", "check", p.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).contains("document contains excessive aliasing");
    noTrace(r);
  }

  @Test
  void fiftyMegabytes() throws IOException {
    Path p = dir.resolve("huge.yaml");
    try (OutputStream out = Files.newOutputStream(p)) {
      out.write(
          "apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n".getBytes(StandardCharsets.UTF_8));
      byte[] rule = "- level: None\n  users: [\"someone\"]\n".getBytes(StandardCharsets.UTF_8);
      for (long n = 0; n < 50L * 1024 * 1024; n += rule.length) {
        out.write(rule);
      }
    }
    for (String cmd : new String[] {"check", "lint"}) {
      AuditCli r = AuditCli.run("audit", "policy", cmd, p.toString());
      assertThat(r.code()).isEqualTo(1);
      assertThat(r.out()).contains("Vigil reads policy files up to 16 MiB");
      noTrace(r);
    }
    AuditCli sim = AuditCli.run("audit", "policy", "simulate", p.toString(), p.toString());
    assertThat(sim.code()).isEqualTo(1);
    noTrace(sim);
  }

  @Test
  void cannotBeOpened() {
    AuditCli missing =
        AuditCli.run("audit", "policy", "check", dir.resolve("none.yaml").toString());
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err())
        .isEqualTo("vigil: policy " + dir.resolve("none.yaml") + " does not exist\n");
    AuditCli directory = AuditCli.run("audit", "policy", "lint", dir.toString());
    assertThat(directory.code()).isEqualTo(2);
    assertThat(directory.err()).isEqualTo("vigil: policy " + dir + " is a directory, not a file\n");
  }
}
