package dev.vigil.kernel.live;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Real containers for tests, without a container engine: runc with a small root filesystem made of
 * busybox-static, mounted as overlayfs so that files created in the container land in an upper
 * layer (as with docker or containerd). The cgroup path mimics dockerd's cgroupfs layout ({@code
 * /docker/<64 hex>}), which is how Vigil recognises a container.
 */
final class Runc {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path work;
  private final Path lower;
  private final List<Container> containers = new ArrayList<>();

  /** A running (or finished) container. */
  static final class Container {
    final String name;
    final String id;
    final Path bundle;
    final Path merged;

    private Container(String name, String id, Path bundle, Path merged) {
      this.name = name;
      this.id = id;
      this.bundle = bundle;
      this.merged = merged;
    }

    /** Vigil's container id: the first 12 hex digits. */
    String shortId() {
      return id.substring(0, 12);
    }

    /** Runs a command in the container (runc exec) and waits for it. */
    Result exec(boolean tty, String... cmd) throws IOException, InterruptedException {
      return exec(tty, List.of(), cmd);
    }

    /** Runs a command in the container with extra environment variables ({@code KEY=VALUE}). */
    Result exec(boolean tty, List<String> env, String... cmd)
        throws IOException, InterruptedException {
      List<String> args = new ArrayList<>(List.of("runc", "exec"));
      if (tty) {
        args.add("-t");
      }
      for (String e : env) {
        args.add("--env");
        args.add(e);
      }
      args.add(name);
      args.addAll(List.of(cmd));
      return tty ? runWithTty(args) : run(args);
    }
  }

  /** The result of a command. */
  record Result(int exit, String output) {}

  /** Prepares the root filesystem (busybox and a few files) under a fresh directory. */
  Runc() throws IOException, InterruptedException {
    require("runc");
    require("script");
    Path busybox = Path.of("/bin/busybox");
    if (!Files.isExecutable(busybox)) {
      throw new IllegalStateException(
          "/bin/busybox is missing: the container tests need busybox-static (apt-get install -y"
              + " busybox-static)");
    }
    work = Files.createTempDirectory(Path.of("/tmp"), "vigil-runc-");
    lower = work.resolve("rootfs");
    for (String d :
        List.of(
            "bin", "sbin", "etc", "tmp", "proc", "sys", "dev", "root", "usr/bin", "var/log",
            "run")) {
      Files.createDirectories(lower.resolve(d));
    }
    Files.copy(busybox, lower.resolve("bin/busybox"));
    // part of the image (lower layer): a stand-in for e2fsprogs' debugfs
    Files.copy(busybox, lower.resolve("sbin/debugfs"));
    for (String applet :
        List.of(
            "sh", "cat", "ls", "cp", "mkdir", "echo", "nc", "sleep", "id", "rm", "touch", "ln",
            "chmod", "dpkg", "find", "grep", "true", "mount", "nsenter", "shred", "wget")) {
      Files.createSymbolicLink(lower.resolve("bin/" + applet), Path.of("busybox"));
    }
    write("etc/passwd", "root:x:0:0:root:/root:/bin/sh\ndaemon:x:1:1:daemon:/:/bin/sh\n");
    write("etc/group", "root:x:0:\ndaemon:x:1:\n");
    write("etc/shadow", "root:*:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n");
    write("etc/hostname", "vigil-test\n");
  }

  /**
   * Adds a file to the image (the containers' lower layer), hard-linked from {@code source}: before
   * {@link #start}, as an image is fixed once a container uses it.
   */
  void addToImage(String path, Path source) throws IOException {
    Path target = lower.resolve(path);
    Files.createDirectories(target.getParent());
    Files.createLink(target, source);
  }

  /** A file of the image. */
  Path imageFile(String path) {
    return lower.resolve(path);
  }

  private void write(String path, String content) throws IOException {
    Files.writeString(lower.resolve(path), content, StandardCharsets.UTF_8);
  }

  /**
   * Starts a detached container running {@code sleep} as its init, on the host network (so it can
   * reach listeners on the host's loopback), optionally privileged.
   */
  Container start(String name, boolean privileged) throws IOException, InterruptedException {
    String id = HexFormat.of().formatHex(randomBytes(32));
    Path dir = work.resolve(name);
    Path upper = dir.resolve("upper");
    Path ovlWork = dir.resolve("work");
    Path bundle = dir.resolve("bundle");
    Path merged = bundle.resolve("rootfs");
    for (Path p : List.of(upper, ovlWork, merged)) {
      Files.createDirectories(p);
    }
    check(
        run(
            List.of(
                "mount",
                "-t",
                "overlay",
                "overlay",
                "-o",
                "lowerdir=" + lower + ",upperdir=" + upper + ",workdir=" + ovlWork,
                merged.toString())),
        "mount the overlay");
    check(run(List.of("runc", "spec", "--bundle", bundle.toString())), "runc spec");
    ObjectNode cfg = (ObjectNode) JSON.readTree(bundle.resolve("config.json").toFile());
    ObjectNode process = (ObjectNode) cfg.get("process");
    process.put("terminal", false);
    ArrayNode args = process.putArray("args");
    args.add("/bin/sleep").add("3600");
    process.put("noNewPrivileges", false);
    ObjectNode root = cfg.putObject("root");
    root.put("path", merged.toString());
    root.put("readonly", false);
    cfg.put("hostname", name);
    ObjectNode linux = (ObjectNode) cfg.get("linux");
    linux.put("cgroupsPath", "/docker/" + id);
    ArrayNode ns = linux.putArray("namespaces");
    for (String t : List.of("pid", "ipc", "uts", "mount")) {
      ns.addObject().put("type", t);
    }
    cfg.putObject("annotations").put("vigil.image", "localhost/vigil-busybox:test");
    if (privileged) {
      List<String> all = boundingCapabilities();
      ObjectNode caps = process.putObject("capabilities");
      for (String set : List.of("bounding", "effective", "permitted")) {
        ArrayNode a = caps.putArray(set);
        all.forEach(a::add);
      }
      linux.putArray("maskedPaths");
      linux.putArray("readonlyPaths");
    }
    JSON.writerWithDefaultPrettyPrinter().writeValue(bundle.resolve("config.json").toFile(), cfg);
    // the detached container keeps its stdio: give it a file, not a pipe this JVM would wait on
    Path log = dir.resolve("container.log");
    Process p =
        new ProcessBuilder("runc", "run", "--detach", "--bundle", bundle.toString(), name)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .start();
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException("runc run failed: " + Files.readString(log));
    }
    Container c = new Container(name, id, bundle, merged);
    containers.add(c);
    return c;
  }

  /** Every capability this process may grant (root here lacks CAP_SYS_RESOURCE, for one). */
  private static List<String> boundingCapabilities() throws IOException {
    long bnd = 0;
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("CapBnd:")) {
        bnd = Long.parseUnsignedLong(line.substring(7).strip(), 16);
      }
    }
    List<String> names = capabilityNames();
    List<String> out = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      if ((bnd & (1L << i)) != 0) {
        out.add(names.get(i));
      }
    }
    return out;
  }

  /** Capability names by number. */
  private static List<String> capabilityNames() {
    return List.of(
        "CAP_CHOWN",
        "CAP_DAC_OVERRIDE",
        "CAP_DAC_READ_SEARCH",
        "CAP_FOWNER",
        "CAP_FSETID",
        "CAP_KILL",
        "CAP_SETGID",
        "CAP_SETUID",
        "CAP_SETPCAP",
        "CAP_LINUX_IMMUTABLE",
        "CAP_NET_BIND_SERVICE",
        "CAP_NET_BROADCAST",
        "CAP_NET_ADMIN",
        "CAP_NET_RAW",
        "CAP_IPC_LOCK",
        "CAP_IPC_OWNER",
        "CAP_SYS_MODULE",
        "CAP_SYS_RAWIO",
        "CAP_SYS_CHROOT",
        "CAP_SYS_PTRACE",
        "CAP_SYS_PACCT",
        "CAP_SYS_ADMIN",
        "CAP_SYS_BOOT",
        "CAP_SYS_NICE",
        "CAP_SYS_RESOURCE",
        "CAP_SYS_TIME",
        "CAP_SYS_TTY_CONFIG",
        "CAP_MKNOD",
        "CAP_LEASE",
        "CAP_AUDIT_WRITE",
        "CAP_AUDIT_CONTROL",
        "CAP_SETFCAP",
        "CAP_MAC_OVERRIDE",
        "CAP_MAC_ADMIN",
        "CAP_SYSLOG",
        "CAP_WAKE_ALARM",
        "CAP_BLOCK_SUSPEND",
        "CAP_AUDIT_READ",
        "CAP_PERFMON",
        "CAP_BPF",
        "CAP_CHECKPOINT_RESTORE");
  }

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  static Result run(List<String> cmd) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("timed out: " + cmd);
    }
    return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }

  /** Runs a command on a pseudo-terminal (util-linux script), so that it has a controlling tty. */
  static Result runWithTty(List<String> cmd) throws IOException, InterruptedException {
    StringBuilder line = new StringBuilder();
    for (String c : cmd) {
      line.append('\'').append(c.replace("'", "'\\''")).append("' ");
    }
    return run(List.of("script", "-qec", line.toString(), "/dev/null"));
  }

  private static void check(Result r, String what) {
    if (r.exit() != 0) {
      throw new IllegalStateException(what + " failed (" + r.exit() + "): " + r.output());
    }
  }

  private static void require(String tool) throws IOException, InterruptedException {
    if (run(List.of("sh", "-c", "command -v " + tool)).exit() != 0) {
      throw new IllegalStateException(
          tool + " is missing: the container tests need it (apt-get install -y runc bsdutils)");
    }
  }

  /** Stops and removes the containers and the root filesystem. */
  void close() throws IOException, InterruptedException {
    for (Container c : containers) {
      run(List.of("runc", "kill", c.name, "KILL"));
      for (int i = 0; i < 50; i++) {
        if (run(List.of("runc", "delete", "-f", c.name)).exit() == 0) {
          break;
        }
        Thread.sleep(100);
      }
      run(List.of("umount", "-l", c.merged.toString()));
    }
    run(List.of("rm", "-rf", work.toString()));
  }
}
