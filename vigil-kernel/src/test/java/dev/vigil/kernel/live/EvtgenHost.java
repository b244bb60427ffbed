package dev.vigil.kernel.live;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The host side of the event-generator suite: the {@code eg} helper compiled and hard-linked under
 * every process name, users and resource files that the cases need and the host lacks (created for
 * the run and removed afterwards, as event-generator does), and the host's actions.
 */
final class EvtgenHost {
  /** useradd's exit status for "the user already exists". */
  private static final int USERADD_EXISTS = 9;

  private Path work;
  private Path bin;
  private final List<Path> created = new ArrayList<>();
  private final Set<String> users = new LinkedHashSet<>();

  /** Compiles {@code source} statically and links it under each name; returns the helper. */
  Path build(Path source, Set<String> names) throws IOException, InterruptedException {
    work = Files.createTempDirectory(Path.of("/tmp"), "vigil-eg-");
    bin = work.resolve("bin");
    Files.createDirectories(bin);
    for (Path p : List.of(work, bin)) {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    Path eg = bin.resolve("eg");
    Runc.Result r =
        Runc.run(List.of("gcc", "-static", "-O2", "-o", eg.toString(), source.toString()));
    if (r.exit() != 0) {
      throw new IllegalStateException(
          "cannot build the test helper (gcc and libc6-dev are needed): " + r.output());
    }
    for (String n : names) {
      Files.createLink(bin.resolve(n), eg);
    }
    return eg;
  }

  /** Creates the system users that host cases name and this machine lacks. */
  void createMissingUsers(List<Evtgen.Case> cases) throws IOException, InterruptedException {
    Map<String, String> known = passwd(Path.of("/etc/passwd"));
    for (Evtgen.Case c : cases) {
      if (EvtgenPlan.inContainer(c) || !(c.map("context").get("processes") instanceof List<?> l)) {
        continue;
      }
      for (Object p : l) {
        if (p instanceof Map<?, ?> m
            && m.get("user") instanceof String u
            && !known.containsKey(u)) {
          Runc.Result r =
              Runc.run(
                  List.of(
                      "useradd",
                      "--system",
                      "--no-create-home",
                      "--shell",
                      "/usr/sbin/nologin",
                      u));
          if (r.exit() == 0) {
            users.add(u);
          } else if (r.exit() != USERADD_EXISTS) {
            throw new IllegalStateException("useradd " + u + ": " + r.output());
          } // else another run made it meanwhile: theirs to remove
          known.put(u, "");
        }
      }
    }
  }

  /** The binaries and users of the host and of a container whose passwd file is given. */
  EvtgenPlan.Machine machine(Path containerPasswd) throws IOException {
    Map<String, String> hostUsers = passwd(Path.of("/etc/passwd"));
    Map<String, String> containerUsers = passwd(containerPasswd);
    String jvm = Files.readString(Path.of("/proc/self/comm"), StandardCharsets.UTF_8).strip();
    return new EvtgenPlan.Machine() {
      @Override
      public String binary(String name, boolean container) {
        return container ? "/opt/eg/" + name : bin.resolve(name).toString();
      }

      @Override
      public String hostLauncherParent() {
        return jvm;
      }

      @Override
      public String user(String name, boolean container) {
        String ids = (container ? containerUsers : hostUsers).get(name);
        if (ids == null) {
          throw new IllegalArgumentException("no user " + name);
        }
        return ids;
      }
    };
  }

  /** name → uid:gid. */
  private static Map<String, String> passwd(Path file) throws IOException {
    Map<String, String> out = new HashMap<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      String[] f = line.split(":", 5);
      if (f.length >= 4) {
        out.putIfAbsent(f[0], f[2] + ":" + f[3]);
      }
    }
    return out;
  }

  /**
   * Makes the action's file and directory resources exist (in the container's root when it runs
   * there), and notes what it and its steps create on the host, for {@link #close}.
   */
  void prepare(EvtgenPlan.Action a, Path containerRoot) throws IOException {
    Path base = a.container() ? containerRoot : Path.of("/");
    for (String d : a.dirs()) {
      mkdirs(base.resolve(d.substring(1)), !a.container());
    }
    for (String f : a.files()) {
      Path p = base.resolve(f.substring(1));
      if (!Files.exists(p)) {
        mkdirs(p.getParent(), !a.container());
        Files.createFile(p);
        if (!a.container()) {
          created.add(p);
        }
      }
    }
    if (!a.container()) {
      for (String o : a.outputs()) {
        Path p = Path.of(o).normalize();
        if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS) && !created.contains(p)) {
          created.add(p);
        }
      }
    }
  }

  private void mkdirs(Path dir, boolean note) throws IOException {
    if (dir == null || Files.isDirectory(dir)) {
      return;
    }
    mkdirs(dir.getParent(), note);
    Files.createDirectory(dir);
    if (note) {
      created.add(dir);
    }
  }

  /** Runs the helper on the host with the given environment. */
  Runc.Result run(List<String> env) throws IOException, InterruptedException {
    ProcessBuilder pb =
        new ProcessBuilder(bin.resolve("eg").toString())
            .redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    for (String e : env) {
      int eq = e.indexOf('=');
      pb.environment().put(e.substring(0, eq), e.substring(eq + 1));
    }
    Process p = pb.start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("timed out");
    }
    return new Runc.Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }

  /** Removes what the run created: files and directories (newest first), users, the helper. */
  void close() throws IOException, InterruptedException {
    for (int i = created.size() - 1; i >= 0; i--) {
      try {
        Files.deleteIfExists(created.get(i));
      } catch (IOException e) {
        // a directory someone else filled meanwhile stays
      }
    }
    for (String u : users) {
      Runc.run(List.of("userdel", u));
    }
    if (work != null) {
      Runc.run(List.of("rm", "-rf", work.toString()));
    }
  }
}
